import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.ts';

describe('Secret', () => {
  it('never prints its value', () => {
    const s = new Secret('281234567890123456');
    expect(String(s)).toBe('[redacted]');
    expect(`${s}`).toBe('[redacted]');
    expect(JSON.stringify({ code: s })).toBe('{"code":"[redacted]"}');
    expect(inspect({ s })).not.toContain('2812345');
  });

  it('hands the value out only through reveal()', () => {
    expect(new Secret('k').reveal()).toBe('k');
  });
});
