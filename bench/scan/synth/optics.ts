/** What happens between the screen and the sensor: blur, glare, moiré, exposure, noise, 8-bit output. */
import type { Rng } from './rng.ts';
import type { Point } from './scene.ts';

/** Gaussian blur approximated by three box blurs (running sums), so wide kernels stay cheap. */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma < 0.2) return src;
  // Box radius whose three-fold repetition has variance sigma² (Wells, 1986).
  const boxes = 3;
  const ideal = Math.sqrt((12 * sigma * sigma) / boxes + 1);
  let out: Float32Array = Float32Array.from(src);
  const tmp = new Float32Array(src.length);
  const radius = Math.max(0, (ideal - 1) / 2);
  for (let b = 0; b < boxes; b++) {
    boxPass(out, tmp, height, width, radius, 1, width); // along rows
    boxPass(tmp, out, width, height, radius, width, 1); // along columns
  }
  return out;
}

/** A box blur of fractional radius along lines of `length` pixels (stride `step`), `count` lines `lineStep` apart. */
function boxPass(src: Float32Array, dst: Float32Array, count: number, length: number, radius: number, step: number, lineStep: number): void {
  const r = Math.floor(radius);
  const frac = radius - r; // the two outermost taps get this weight, for a smooth sigma
  const norm = 1 / (2 * r + 1 + 2 * frac);
  const pad = r + 2;
  const line = new Float32Array(length + 2 * pad);
  for (let l = 0; l < count; l++) {
    const base = l * lineStep;
    for (let i = 0; i < length; i++) line[pad + i] = src[base + i * step]!;
    const first = line[pad]!;
    const last = line[pad + length - 1]!;
    for (let i = 0; i < pad; i++) {
      line[i] = first;
      line[pad + length + i] = last;
    }
    let acc = 0;
    for (let i = pad - r; i <= pad + r; i++) acc += line[i]!;
    for (let i = 0; i < length; i++) {
      const c = pad + i;
      dst[base + i * step] = (acc + frac * (line[c - r - 1]! + line[c + r + 1]!)) * norm;
      acc += line[c + r + 1]! - line[c - r]!;
    }
  }
}

/** Camera shake: the average of the image shifted along a straight line. */
export function motionBlur(src: Float32Array, width: number, height: number, length: number, angle: number): Float32Array {
  const steps = Math.max(2, Math.ceil(length * 2));
  const offsets: number[] = [];
  for (let s = 0; s < steps; s++) {
    const d = (s / (steps - 1) - 0.5) * length;
    const dx = Math.round(Math.cos(angle) * d);
    const dy = Math.round(Math.sin(angle) * d);
    offsets.push(dx, dy);
  }
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let s = 0; s < offsets.length; s += 2) {
        const xx = Math.min(width - 1, Math.max(0, x + offsets[s]!));
        const yy = Math.min(height - 1, Math.max(0, y + offsets[s + 1]!));
        acc += src[yy * width + xx]!;
      }
      out[y * width + x] = acc / steps;
    }
  }
  return out;
}

export interface GlareSpot {
  center: Point;
  radiusX: number;
  radiusY: number;
  angle: number;
  /** Added luminance at the centre; above ~1 the middle of the spot clips to white. */
  peak: number;
  /** Uniform veil over the screen, washing out contrast. */
  veil: number;
}

export function addGlare(lum: Float32Array, mask: Uint8Array, width: number, height: number, g: GlareSpot): void {
  const c = Math.cos(g.angle);
  const s = Math.sin(g.angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const dx = x - g.center.x;
      const dy = y - g.center.y;
      const a = (dx * c + dy * s) / g.radiusX;
      const b = (-dx * s + dy * c) / g.radiusY;
      const d2 = a * a + b * b;
      lum[i]! += g.veil + (d2 < 9 ? g.peak * Math.exp(-d2 / 2) : 0);
    }
  }
}

export interface MoireSpec {
  /** Beat period in pixels and direction of the banding. */
  period: number;
  angle: number;
  /** Relative depth of the darkening, 0..1. */
  amplitude: number;
  phase: number;
}

/** Screen-door interference: the screen's pixel grid beating against the sensor's, in two directions. */
export function addMoire(lum: Float32Array, mask: Uint8Array, width: number, height: number, m: MoireSpec): void {
  const k1x = (Math.cos(m.angle) * 2 * Math.PI) / m.period;
  const k1y = (Math.sin(m.angle) * 2 * Math.PI) / m.period;
  const k2x = (Math.cos(m.angle + 1.1) * 2 * Math.PI) / (m.period * 1.37);
  const k2y = (Math.sin(m.angle + 1.1) * 2 * Math.PI) / (m.period * 1.37);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const w1 = 0.5 + 0.5 * Math.cos(k1x * x + k1y * y + m.phase);
      const w2 = 0.5 + 0.5 * Math.cos(k2x * x + k2y * y + m.phase * 1.7);
      lum[i]! *= 1 - m.amplitude * (0.65 * w1 + 0.35 * w2);
    }
  }
}

/** Exposure gain with bloom: bright screen light spills into the dark modules before clipping. */
export function expose(lum: Float32Array, width: number, height: number, gain: number, bloomSigma: number, bloom: number): Float32Array {
  const halo = bloom > 0 ? gaussianBlur(lum, width, height, bloomSigma) : lum;
  const out = new Float32Array(lum.length);
  for (let i = 0; i < lum.length; i++) out[i] = gain * (lum[i]! + bloom * halo[i]!);
  return out;
}

/**
 * Sensor read-out: noise, clipping and 8-bit RGBA. The screen gets a faint blue cast and the counter a
 * warm one, so the frames are not perfectly grey.
 */
export function toRgba(lum: Float32Array, mask: Uint8Array, width: number, height: number, noiseSigma: number, rng: Rng): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < lum.length; i++, j += 4) {
    const v = lum[i]! * 255 + noiseSigma * rng.normal();
    const onScreen = mask[i] === 1;
    out[j] = onScreen ? v * 0.97 : v * 1.04;
    out[j + 1] = v;
    out[j + 2] = onScreen ? v * 1.04 : v * 0.88;
    out[j + 3] = 255;
  }
  return out;
}
