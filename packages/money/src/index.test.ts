import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatYuan, MAX_PAYMENT_FEN, parseChannelYuan, parseYuan } from './index.ts';

describe('parseYuan', () => {
  it.each([
    ['12.34', 1234],
    ['12.3', 1230],
    ['12', 1200],
    ['0.01', 1],
    ['100000000', MAX_PAYMENT_FEN],
    ['100000000.00', MAX_PAYMENT_FEN],
  ])('reads %s as %d fen', (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen });
  });

  it.each([
    ['', 'empty'],
    ['0', 'below_minimum'],
    ['0.00', 'below_minimum'],
    ['-1', 'format'],
    ['+1', 'format'],
    ['1.234', 'too_many_decimals'],
    ['1e3', 'format'],
    ['１２', 'format'],
    ['100000000.01', 'above_maximum'],
    ['99999999999999', 'above_maximum'],
    [' 12', 'format'],
    ['12 ', 'format'],
    ['1,000', 'format'],
    ['1.', 'format'],
    ['.5', 'format'],
    ['012', 'format'],
    ['NaN', 'format'],
    ['Infinity', 'format'],
    ['0x10', 'format'],
    ['١٢', 'format'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(parseYuan(input)).toEqual({ ok: false, reason });
  });

  it('round-trips every amount in range through formatYuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_PAYMENT_FEN }), (fen) => {
        expect(parseYuan(formatYuan(fen))).toEqual({ ok: true, fen });
      }),
      { numRuns: 10_000 },
    );
  });

  it('never accepts a string that is not plain ASCII decimal', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (s) => {
        const r = parseYuan(s);
        if (r.ok) expect(s).toMatch(/^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('formatYuan', () => {
  it('always writes two decimals', () => {
    expect(formatYuan(1234)).toBe('12.34');
    expect(formatYuan(1)).toBe('0.01');
    expect(formatYuan(100)).toBe('1.00');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(-250)).toBe('-2.50');
  });

  it('refuses fractions of a fen', () => {
    expect(() => formatYuan(12.5)).toThrow(TypeError);
    expect(() => formatYuan(Number.NaN)).toThrow(TypeError);
  });
});

describe('parseChannelYuan', () => {
  it('reads channel amounts without a payment range', () => {
    expect(parseChannelYuan('0.00')).toBe(0);
    expect(parseChannelYuan('88.8')).toBe(8880);
    expect(parseChannelYuan('88.888')).toBeNull();
    expect(parseChannelYuan('abc')).toBeNull();
  });
});
