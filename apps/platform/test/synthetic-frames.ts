/**
 * Camera frames made in the test: a payment code's QR on a phone screen, then spoiled the way
 * the seed describes (三.1 曝光): too dark, or a lamp's reflection across the code. Luma only.
 */
import QRCode from 'qrcode';

export interface GrayFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A small deterministic PRNG, so every run sees the same noise. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function codeFrame(text: string, seed: number, opts: { width?: number; height?: number; scale?: number } = {}): GrayFrame {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const scale = opts.scale ?? 8;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const random = mulberry32(seed);
  const data = new Uint8Array(width * height);
  // Shifted a little per frame: a hand never holds the phone twice in the same place.
  const x0 = Math.round((width - size * scale) / 2 + (random() - 0.5) * 40);
  const y0 = Math.round((height - size * scale) / 2 + (random() - 0.5) * 40);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const mx = Math.floor((x - x0) / scale);
      const my = Math.floor((y - y0) / scale);
      const inside = mx >= 0 && my >= 0 && mx < size && my < size;
      const base = inside ? (qr.modules.get(my, mx) ? 35 : 215) : 150;
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(base + (random() - 0.5) * 12)));
    }
  }
  return { data, width, height };
}

/** Too little light: the whole frame scaled down, sensor noise on top. */
export function darken(f: GrayFrame, factor: number, seed: number): GrayFrame {
  const random = mulberry32(seed);
  const data = f.data.map((v) => Math.max(0, Math.min(255, Math.round(v * factor + random() * 6))));
  return { ...f, data };
}

/** A lamp's reflection: a saturated ellipse over part of the code. */
export function glare(f: GrayFrame, cx: number, cy: number, rx: number, ry: number): GrayFrame {
  const data = f.data.slice();
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      if (d < 1) data[y * f.width + x] = d < 0.6 ? 255 : Math.max(data[y * f.width + x]!, 250);
    }
  }
  return { ...f, data };
}

/**
 * A plain exposure meter, standing in for `analyzeFrame` (`@scanpay/paycode/frame`) until it
 * lands: mean luma for "too dark", the share of clipped pixels for glare.
 */
export function exposureDefects(f: GrayFrame): { tooDark: boolean; glare: boolean } {
  let sum = 0;
  let clipped = 0;
  for (const v of f.data) {
    sum += v;
    if (v >= 250) clipped++;
  }
  const n = f.data.length;
  return { tooDark: sum / n < 45, glare: clipped / n > 0.04 };
}
