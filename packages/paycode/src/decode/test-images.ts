/** Test support: clean QR and Code 128 images drawn from their module patterns, plus noise. */
import QRCode from 'qrcode';
import bwipjs from 'bwip-js/generic';
import type { ImageDataLike } from '../frame/gray.ts';

export interface DrawOptions {
  /** Pixels per module; fractions are drawn with 4× supersampling. */
  modulePx: number;
  width?: number;
  height?: number;
  /** Light modules on a dark ground, as some dark-mode screens show them. */
  inverted?: boolean;
  /** Gray levels of dark and light modules. */
  dark?: number;
  light?: number;
}

function draw(cols: number, rows: number, isDark: (c: number, r: number) => boolean, quiet: number, o: DrawOptions): ImageDataLike {
  const m = o.modulePx;
  const width = o.width ?? Math.ceil((cols + 2 * quiet) * m);
  const height = o.height ?? Math.ceil((rows + 2 * quiet) * m);
  const dark = o.inverted ? (o.light ?? 235) : (o.dark ?? 20);
  const light = o.inverted ? (o.dark ?? 20) : (o.light ?? 235);
  const x0 = (width - cols * m) / 2;
  const y0 = (height - rows * m) / 2;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const c = Math.floor((x + (sx + 0.5) / 4 - x0) / m);
          const r = Math.floor((y + (sy + 0.5) / 4 - y0) / m);
          if (c >= 0 && r >= 0 && c < cols && r < rows && isDark(c, r)) hits++;
        }
      }
      const v = light + ((dark - light) * hits) / 16;
      const i = (y * width + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = v;
      data[i + 3] = 255;
    }
  }
  return { data, width, height };
}

export function qrImage(payload: string, o: DrawOptions): ImageDataLike {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  return draw(size, size, (c, r) => qr.modules.get(r, c) === 1, 4, o);
}

export function code128Image(payload: string, o: DrawOptions & { barModules?: number }): ImageDataLike {
  const [raw] = bwipjs.raw('code128', payload, {}) as Array<{ sbs: number[] }>;
  const bars: number[] = [];
  raw!.sbs.forEach((w, i) => {
    for (let k = 0; k < w; k++) bars.push(i % 2 === 0 ? 1 : 0);
  });
  return draw(bars.length, o.barModules ?? 30, (c) => bars[c] === 1, 10, o);
}

/** Uniform noise with a seeded generator: no code is in it. */
export function noiseImage(width: number, height: number, seed = 1): ImageDataLike {
  let s = seed >>> 0;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = data[i + 1] = data[i + 2] = s >>> 24;
    data[i + 3] = 255;
  }
  return { data, width, height };
}

/** Box-blurs an RGBA image in place of a camera's defocus (radius in pixels). */
export function blurred(image: ImageDataLike, radius: number): ImageDataLike {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = Math.min(width - 1, Math.max(0, x + dx));
          const yy = Math.min(height - 1, Math.max(0, y + dy));
          sum += data[(yy * width + xx) * 4]!;
          n++;
        }
      }
      const i = (y * width + x) * 4;
      out[i] = out[i + 1] = out[i + 2] = sum / n;
      out[i + 3] = 255;
    }
  }
  return { data: out, width, height };
}

/** Two images of one height next to each other (a screen showing two codes). */
export function sideBySide(left: ImageDataLike, right: ImageDataLike): ImageDataLike {
  if (left.height !== right.height) throw new Error('sideBySide: heights differ');
  const width = left.width + right.width;
  const data = new Uint8ClampedArray(width * left.height * 4);
  for (let y = 0; y < left.height; y++) {
    data.set(left.data.subarray(y * left.width * 4, (y + 1) * left.width * 4), y * width * 4);
    data.set(right.data.subarray(y * right.width * 4, (y + 1) * right.width * 4), (y * width + left.width) * 4);
  }
  return { data, width, height: left.height };
}
