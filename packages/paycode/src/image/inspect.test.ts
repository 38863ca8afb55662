import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { inspectImage, DEFAULT_MAX_BYTES } from './inspect.ts';

const encode = async (width: number, height: number, format: 'png' | 'jpeg' | 'webp', options: Record<string, unknown> = {}): Promise<Uint8Array> => {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } });
  return new Uint8Array(await image.toFormat(format, options).toBuffer());
};

/** A PNG of just signature, IHDR (with a correct CRC), one tiny IDAT and IEND: any size it likes to claim. */
function pngClaiming(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: number[]): number[] => {
    const body = [...type].map((c) => c.charCodeAt(0)).concat(data);
    const len = [24, 16, 8, 0].map((s) => (data.length >>> s) & 255);
    const crc = crc32(Uint8Array.from(body));
    return [...len, ...body, ...[24, 16, 8, 0].map((s) => (crc >>> s) & 255)];
  };
  const be = (n: number): number[] => [24, 16, 8, 0].map((s) => (n >>> s) & 255);
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk('IHDR', [...be(width), ...be(height), 8, 2, 0, 0, 0]),
    ...chunk('IDAT', [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]),
    ...chunk('IEND', []),
  ]);
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

let png: Uint8Array, jpeg: Uint8Array, webp: Uint8Array, webpLossless: Uint8Array;
beforeAll(async () => {
  [png, jpeg, webp, webpLossless] = await Promise.all([
    encode(64, 48, 'png'),
    encode(64, 48, 'jpeg'),
    encode(64, 48, 'webp'),
    encode(64, 48, 'webp', { lossless: true }),
  ]);
});

describe('inspectImage: good images', () => {
  it('reads type and size of a PNG, a JPEG and a WebP (lossy and lossless) from their headers', () => {
    expect(inspectImage(png)).toEqual({ ok: true, type: 'png', width: 64, height: 48 });
    expect(inspectImage(jpeg)).toEqual({ ok: true, type: 'jpeg', width: 64, height: 48 });
    expect(inspectImage(webp)).toEqual({ ok: true, type: 'webp', width: 64, height: 48 });
    expect(inspectImage(webpLossless)).toEqual({ ok: true, type: 'webp', width: 64, height: 48 });
  });

  it('accepts a hand-built PNG header of a modest size', () => {
    expect(inspectImage(pngClaiming(640, 480))).toEqual({ ok: true, type: 'png', width: 640, height: 480 });
  });
});

describe('inspectImage: bad input', () => {
  it('refuses anything over 1 MiB before looking inside', () => {
    const big = new Uint8Array(DEFAULT_MAX_BYTES + 1);
    big.set(png);
    expect(inspectImage(big)).toEqual({ ok: false, reason: 'too_large_bytes' });
    // Exactly 1 MiB is allowed: the same PNG with zero padding after IEND passes.
    expect(inspectImage(big.subarray(0, DEFAULT_MAX_BYTES))).toEqual({ ok: true, type: 'png', width: 64, height: 48 });
  });

  it('refuses a PNG that claims 20,000 × 20,000 from its header, fast', () => {
    const bomb = pngClaiming(20_000, 20_000);
    const started = performance.now();
    expect(inspectImage(bomb)).toEqual({ ok: false, reason: 'too_many_pixels' });
    expect(performance.now() - started).toBeLessThan(50);
    expect(bomb.length).toBeLessThan(100); // all it took was its header
  });

  it('refuses images over 4 megapixels in every format', async () => {
    expect(inspectImage(pngClaiming(2001, 2000))).toEqual({ ok: false, reason: 'too_many_pixels' });
    expect(inspectImage(pngClaiming(2000, 2000)).ok).toBe(true);
    expect(inspectImage(await encode(3000, 1500, 'jpeg'))).toEqual({ ok: false, reason: 'too_many_pixels' });
    expect(inspectImage(await encode(2500, 1700, 'webp'))).toEqual({ ok: false, reason: 'too_many_pixels' });
  });

  it('goes by magic bytes, not by what a file claims to be', () => {
    const gif = new TextEncoder().encode('GIF89a\x40\x00\x30\x00');
    const bmp = Uint8Array.from([0x42, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0]);
    const avi = Uint8Array.from([...new TextEncoder().encode('RIFF'), 4, 0, 0, 0, ...new TextEncoder().encode('AVI LIST')]);
    const text = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    for (const bytes of [gif, bmp, avi, text]) expect(inspectImage(bytes)).toEqual({ ok: false, reason: 'unsupported_type' });
    // A PNG signature glued onto JPEG content is a broken PNG.
    const fake = Uint8Array.from([...png.subarray(0, 8), ...jpeg.subarray(2)]);
    expect(inspectImage(fake)).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('notices truncated files of each type', () => {
    for (const bytes of [png, jpeg, webp]) {
      for (const keep of [2, 7, 20, Math.floor(bytes.length / 2), bytes.length - 3]) {
        expect(inspectImage(bytes.subarray(0, keep)), `${keep} of ${bytes.length} bytes`).toEqual({ ok: false, reason: 'truncated' });
      }
    }
    expect(inspectImage(new Uint8Array(0))).toEqual({ ok: false, reason: 'truncated' });
  });

  it('refuses a PNG whose header checksum or size is wrong', () => {
    const badCrc = pngClaiming(64, 48);
    badCrc[30]! ^= 0xff;
    expect(inspectImage(badCrc)).toEqual({ ok: false, reason: 'corrupt' });
    expect(inspectImage(pngClaiming(0, 48))).toEqual({ ok: false, reason: 'corrupt' });
  });
});
