/**
 * The real photos in /work/shared/data/scan (zxing-cpp's black-box samples), read in place, at the
 * rotations zxing-cpp's own test runner uses for each set.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageDataLike } from '@scanpay/paycode/frame';

export const REAL_DATA_DIR = process.env.SCAN_DATA_DIR ?? '/work/shared/data/scan';

export interface RealImage {
  set: string;
  file: string;
  rotation: number;
  /** What the code encodes; null in the false-positive sets. */
  expected: string | null;
  load(): Promise<ImageDataLike>;
}

function rotationsFor(set: string): number[] {
  if (set.startsWith('code128')) return [0, 180];
  return [0, 90, 180, 270];
}

/** Images of all sets, or a reason why there are none. */
export function listRealImages(): { images: RealImage[]; skipped: string[] } | { missing: string } {
  if (!fs.existsSync(REAL_DATA_DIR)) return { missing: `${REAL_DATA_DIR} not found` };
  const images: RealImage[] = [];
  const skipped: string[] = [];
  for (const set of fs.readdirSync(REAL_DATA_DIR).sort()) {
    const dir = path.join(REAL_DATA_DIR, set);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (!/^(qrcode|code128|falsepositives)-/.test(set)) {
      skipped.push(`${set} (not QR or Code 128)`);
      continue;
    }
    if (set === 'qrcode-7') {
      skipped.push(`${set} (structured append: one message over several symbols, not a payment-code case)`);
      continue;
    }
    for (const file of fs.readdirSync(dir).filter((f) => /\.(png|jpe?g|webp|gif)$/i.test(f)).sort()) {
      const stem = file.replace(/\.[^.]+$/, '');
      const txt = path.join(dir, `${stem}.txt`);
      const isNegative = set.startsWith('falsepositives');
      if (!isNegative && !fs.existsSync(txt)) {
        skipped.push(`${set}/${file} (no expected text)`);
        continue;
      }
      const expected = isNegative ? null : fs.readFileSync(txt, 'utf8');
      for (const rotation of rotationsFor(set)) {
        images.push({
          set,
          file,
          rotation,
          expected,
          load: async () => {
            const { data, info } = await sharp(path.join(dir, file)).rotate(rotation).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
            return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
          },
        });
      }
    }
  }
  return { images, skipped };
}
