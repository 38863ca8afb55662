import { beforeAll, describe, expect, it } from 'vitest';
import { toGray, type GrayImage } from '../frame/gray.ts';
import { demoire } from './demoire.ts';
import { loadWasm } from './loader.ts';
import { readWithZXing } from './zxing.ts';
import { noiseImage, qrImage } from './test-images.ts';

const PAYLOAD = '281234567890123456';
let zxing: Awaited<ReturnType<typeof loadWasm>>['zxing'];
beforeAll(async () => {
  ({ zxing } = await loadWasm());
});

/** A faint code on a screen beating against the sensor: the image times two slanted waves. */
function withMoire(image: GrayImage, period: number, amplitude: number): GrayImage {
  const { width, height } = image;
  const out = new Uint8Array(width * height);
  const k1 = { x: (Math.cos(0.6) * 2 * Math.PI) / period, y: (Math.sin(0.6) * 2 * Math.PI) / period };
  const k2 = { x: (Math.cos(1.7) * 2 * Math.PI) / (period * 1.37), y: (Math.sin(1.7) * 2 * Math.PI) / (period * 1.37) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = 0.65 * (0.5 + 0.5 * Math.cos(k1.x * x + k1.y * y)) + 0.35 * (0.5 + 0.5 * Math.cos(k2.x * x + k2.y * y));
      out[y * width + x] = image.data[y * width + x]! * (1 - amplitude * w);
    }
  }
  return { data: out, width, height };
}

const read = (image: GrayImage): string[] =>
  readWithZXing(zxing, image, { tryHarder: true, tryRotate: false, tryInvert: false, tryDownscale: false }).reads.map((r) => r.text);

describe('demoire', () => {
  it('takes screen moiré out of a faint QR code that no decoder reads through it', () => {
    const faint = qrImage(PAYLOAD, { modulePx: 4.5, width: 240, height: 240, dark: 150, light: 225 });
    const filmed = withMoire(toGray(faint), 9, 0.5);
    expect(read(filmed)).toEqual([]);
    const clean = demoire(filmed);
    expect(clean).not.toBeNull();
    expect(read(clean!)).toEqual([PAYLOAD]);
  });

  it('leaves images without a wave alone', () => {
    expect(demoire(toGray(qrImage(PAYLOAD, { modulePx: 4, width: 200, height: 200 })))).toBeNull();
    expect(demoire(toGray(noiseImage(128, 128)))).toBeNull();
  });

  it('refuses images too big or too small to transform cheaply', () => {
    expect(demoire(withMoire(toGray(noiseImage(300, 200)), 9, 0.5))).toBeNull();
    expect(demoire(toGray(noiseImage(10, 10)))).toBeNull();
  });
});
