import { describe, expect, it } from 'vitest';
import { judge } from './accept.ts';
import type { RawRead } from './types.ts';

const at = (x: number, y: number, size = 100): RawRead['corners'] => [
  { x, y },
  { x: x + size, y },
  { x: x + size, y: y + size },
  { x, y: y + size },
];
const read = (r: Partial<RawRead>): RawRead => ({ decoder: 'zxing', format: 'qr', text: '281234567890123456', corners: at(0, 0), ...r });

describe('judge', () => {
  it('accepts a zxing read and names its decoder and variant', () => {
    const v = judge([read({})], 'cheap');
    expect(v.accepted).toEqual([expect.objectContaining({ payload: '281234567890123456', decoders: ['zxing'], variant: 'cheap' })]);
  });

  it('never trusts zbar alone with text outside printable ASCII (it guesses character sets)', () => {
    const v = judge([read({ decoder: 'zbar', text: '蹬靼翌QR' })], 'roi-zbar');
    expect(v.accepted).toEqual([]);
    expect(v.rejected).toBe(1);
  });

  it('takes non-ASCII zbar text when zxing read the same', () => {
    const v = judge([read({ text: 'ﾃﾞｻﾞｲﾝQR' }), read({ decoder: 'zbar', text: 'ﾃﾞｻﾞｲﾝQR' })], 'x');
    expect(v.accepted.map((c) => c.decoders)).toEqual([['zxing', 'zbar']]);
  });

  it('holds back a zbar-only Code 128 read until a second, independent read confirms it', () => {
    const zbar = read({ decoder: 'zbar', format: 'code128' });
    expect(judge([zbar], 'roi-zbar')).toMatchObject({ accepted: [], unconfirmed: [zbar] });
    const confirmed = judge([zbar], 'roi-zbar', new Set(['code128:281234567890123456']));
    expect(confirmed.accepted.map((c) => c.payload)).toEqual(['281234567890123456']);
  });

  it('accepts a zbar QR read in ASCII on its own (error correction vouches for it)', () => {
    expect(judge([read({ decoder: 'zbar' })], 'roi-zbar').accepted).toHaveLength(1);
  });

  it('rejects both payloads when two reads of one spot disagree', () => {
    const v = judge([read({}), read({ decoder: 'zbar', text: '281234567890123457', corners: at(10, 10) })], 'x');
    expect(v.accepted).toEqual([]);
    expect(v.rejected).toBe(2);
  });

  it('keeps two different codes at two different places', () => {
    const v = judge([read({}), read({ text: '291234567890123456', corners: at(400, 0) })], 'x');
    expect(v.accepted.map((c) => c.payload).sort()).toEqual(['281234567890123456', '291234567890123456']);
  });

  it('keeps both symbols of a QR printed inside another QR, but not two reads of one QR that overlap most of it', () => {
    const outer = read({ text: 'outer', corners: at(0, 0, 200) });
    const inner = read({ text: 'inner', corners: at(70, 70, 60) });
    expect(judge([outer, inner], 'cheap').accepted.map((c) => c.payload).sort()).toEqual(['inner', 'outer']);
    const shifted = read({ decoder: 'zbar', text: 'other', corners: at(20, 20, 170) });
    expect(judge([outer, shifted], 'x').accepted).toEqual([]);
  });
});
