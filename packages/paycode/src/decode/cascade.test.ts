import { beforeAll, describe, expect, it } from 'vitest';
import { loadWasm } from './loader.ts';
import { cheapPass, decodeImage } from './cascade.ts';
import { readWithZXing } from './zxing.ts';
import { toGray, type ImageDataLike } from '../frame/gray.ts';
import { blurred, code128Image, noiseImage, qrImage } from './test-images.ts';

const PAYLOAD = '281234567890123456';
// Generous budgets: other test files share the two cores, and a slow run must not look like a miss.
const STILL = { effort: 'high', budgetMs: 20_000 } as const;

let zxing: Awaited<ReturnType<typeof loadWasm>>['zxing'];
beforeAll(async () => {
  ({ zxing } = await loadWasm());
});

const plainZXingReads = (image: ImageDataLike): string[] => readWithZXing(zxing, toGray(image), {}).reads.map((r) => r.text);

describe('decodeImage', () => {
  it('reads a clean QR payment code in the cheap pass', async () => {
    const out = await decodeImage(qrImage(PAYLOAD, { modulePx: 4 }), STILL);
    expect(out.codes).toEqual([expect.objectContaining({ format: 'qr', payload: PAYLOAD, variant: 'cheap', decoders: ['zxing'] })]);
    expect(out.attempts).toBe(1);
  });

  it('reads a clean Code 128 payment code', async () => {
    const out = await decodeImage(code128Image(PAYLOAD, { modulePx: 2 }), STILL);
    expect(out.codes.map((c) => [c.format, c.payload])).toEqual([['code128', PAYLOAD]]);
  });

  it('reads an inverted QR code (light modules on dark) that the cheap pass skips', async () => {
    const image = qrImage(PAYLOAD, { modulePx: 4, inverted: true });
    expect(cheapPass(zxing, toGray(image)).reads).toEqual([]);
    const out = await decodeImage(image, STILL);
    expect(out.codes.map((c) => c.payload)).toEqual([PAYLOAD]);
    expect(out.codes[0]!.variant).not.toBe('cheap');
  });

  it('reads an inverted Code 128', async () => {
    const out = await decodeImage(code128Image(PAYLOAD, { modulePx: 2, inverted: true }), STILL);
    expect(out.codes.map((c) => c.payload)).toEqual([PAYLOAD]);
  });

  it('reads a Code 128 too small for plain zxing by enlarging and sharpening its region', async () => {
    const image = code128Image(PAYLOAD, { modulePx: 1.2 });
    expect(plainZXingReads(image)).toEqual([]);
    const out = await decodeImage(image, STILL);
    expect(out.codes.map((c) => c.payload)).toEqual([PAYLOAD]);
    expect(out.codes[0]!.variant).toMatch(/^roi-/);
  });

  it('reads a small, defocused QR code that plain zxing misses', async () => {
    const image = blurred(qrImage(PAYLOAD, { modulePx: 1.8, width: 200, height: 160 }), 1);
    expect(plainZXingReads(image)).toEqual([]);
    const out = await decodeImage(image, STILL);
    expect(out.codes.map((c) => c.payload)).toEqual([PAYLOAD]);
  });

  it('finds nothing in noise, however hard it tries', async () => {
    const out = await decodeImage(noiseImage(640, 480, 7), STILL);
    expect(out.codes).toEqual([]);
    expect(out.attempts).toBeGreaterThan(1);
  });

  it('stops at the fast effort after the cheap pass', async () => {
    const out = await decodeImage(qrImage(PAYLOAD, { modulePx: 4, inverted: true }), { effort: 'fast' });
    expect(out.codes).toEqual([]);
    expect(out.variantsTried).toEqual(['cheap']);
  });
});
