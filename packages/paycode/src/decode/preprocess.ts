/**
 * Image repairs tried on hard frames. Each returns a new gray image; all are O(pixels) with running
 * sums, so they stay cheap on a region of interest.
 */
import type { GrayImage } from '../frame/gray.ts';

export { estimateBlurSigma } from '../frame/sharpness.ts';

export function invert(image: GrayImage): GrayImage {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = 255 - image.data[i]!;
  return { data: out, width: image.width, height: image.height };
}

/** Integral images of the values and their squares (one extra row and column of zeros). */
function integrals(image: GrayImage): { sum: Float64Array; sq: Float64Array } {
  const { data, width, height } = image;
  const w1 = width + 1;
  const sum = new Float64Array(w1 * (height + 1));
  const sq = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    let rowSq = 0;
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x]!;
      rowSum += v;
      rowSq += v * v;
      const i = (y + 1) * w1 + x + 1;
      sum[i] = sum[i - w1]! + rowSum;
      sq[i] = sq[i - w1]! + rowSq;
    }
  }
  return { sum, sq };
}

/** Mean filter over a (2r+1)² window, clipped at the borders. */
export function boxBlur(image: GrayImage, radius: number): GrayImage {
  const r = Math.max(1, Math.round(radius));
  const { width, height } = image;
  const { sum } = integrals(image);
  const w1 = width + 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const s = sum[y1 * w1 + x1]! - sum[y0 * w1 + x1]! - sum[y1 * w1 + x0]! + sum[y0 * w1 + x0]!;
      out[y * width + x] = s / ((x1 - x0) * (y1 - y0)) + 0.5;
    }
  }
  return { data: out, width, height };
}

/** Unsharp mask: pushes each pixel away from its neighbourhood mean, re-steepening blurred edges. */
export function sharpen(image: GrayImage, radius: number, amount: number): GrayImage {
  const blurred = boxBlur(image, radius);
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = image.data[i]! + amount * (image.data[i]! - blurred.data[i]!);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, width: image.width, height: image.height };
}

/**
 * Local contrast normalisation: (v − local mean) / local deviation. Evens out glare gradients,
 * washed-out screens and faint codes, so a plain threshold works again.
 */
export function normalizeLocal(image: GrayImage, radius: number): GrayImage {
  const r = Math.max(2, Math.round(radius));
  const { width, height, data } = image;
  const { sum, sq } = integrals(image);
  const w1 = width + 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const n = (x1 - x0) * (y1 - y0);
      const a = y1 * w1 + x1, b = y0 * w1 + x1, c = y1 * w1 + x0, d = y0 * w1 + x0;
      const mean = (sum[a]! - sum[b]! - sum[c]! + sum[d]!) / n;
      const variance = (sq[a]! - sq[b]! - sq[c]! + sq[d]!) / n - mean * mean;
      // The floor keeps flat areas (quiet zone, screen) flat instead of amplifying their noise.
      const v = 128 + (48 * (data[y * width + x]! - mean)) / Math.sqrt(Math.max(variance, 36));
      out[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { data: out, width, height };
}

/** Sauvola-style threshold against the local mean: black (0) or white (255). */
export function binarizeLocal(image: GrayImage, radius: number, k = 0.15): GrayImage {
  const r = Math.max(2, Math.round(radius));
  const { width, height, data } = image;
  const { sum, sq } = integrals(image);
  const w1 = width + 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const n = (x1 - x0) * (y1 - y0);
      const a = y1 * w1 + x1, b = y0 * w1 + x1, c = y1 * w1 + x0, d = y0 * w1 + x0;
      const mean = (sum[a]! - sum[b]! - sum[c]! + sum[d]!) / n;
      const dev = Math.sqrt(Math.max(0, (sq[a]! - sq[b]! - sq[c]! + sq[d]!) / n - mean * mean));
      const threshold = mean * (1 + k * (dev / 128 - 1));
      out[y * width + x] = data[y * width + x]! > threshold ? 255 : 0;
    }
  }
  return { data: out, width, height };
}

/** Global stretch of the 1st–99th percentile to the full range. */
export function stretch(image: GrayImage): GrayImage {
  const hist = new Uint32Array(256);
  for (let i = 0; i < image.data.length; i++) hist[image.data[i]!]!++;
  const n = image.data.length;
  let lo = 0, hi = 255, acc = 0;
  for (; lo < 255; lo++) if ((acc += hist[lo]!) > n * 0.01) break;
  acc = 0;
  for (; hi > 0; hi--) if ((acc += hist[hi]!) > n * 0.01) break;
  const span = Math.max(8, hi - lo);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = ((image.data[i]! - lo) * 255) / span;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, width: image.width, height: image.height };
}

/**
 * For an upright barcode image (bars vertical): averages the middle rows into one profile, steepens
 * it, and repeats it as a short image. Averaging along the bars removes noise and moiré; the
 * steepening brings back bars narrower than two pixels.
 */
export function barProfile(image: GrayImage, sharpenAmount = 1.2, rows = 24): GrayImage {
  const { data, width, height } = image;
  const top = Math.floor(height * 0.2);
  const bottom = Math.max(top + 1, Math.ceil(height * 0.8));
  const profile = new Float32Array(width);
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < width; x++) profile[x]! += data[y * width + x]!;
  }
  for (let x = 0; x < width; x++) profile[x]! /= bottom - top;
  const steep = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const left = profile[Math.max(0, x - 2)]!;
    const right = profile[Math.min(width - 1, x + 2)]!;
    const local = (left + right + profile[x]! * 2) / 4;
    steep[x] = profile[x]! + sharpenAmount * (profile[x]! - local);
  }
  // Stretched to the full range: averaging leaves a faint code's bars a few levels apart, and
  // zxing's row threshold gives up on a row with less than about 16 levels of spread.
  const sorted = Float32Array.from(steep).sort();
  const lo = sorted[Math.floor(width * 0.02)]!;
  const hi = sorted[Math.floor(width * 0.98)]!;
  const gain = 235 / Math.max(4, hi - lo);
  const out = new Uint8Array(width * rows);
  for (let x = 0; x < width; x++) {
    const v = 10 + (steep[x]! - lo) * gain;
    out[x] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  for (let y = 1; y < rows; y++) out.copyWithin(y * width, 0, width);
  return { data: out, width, height: rows };
}

/**
 * Gaussian blur of a float image, approximated by repeated box blurs. Rows use a running sum along the
 * row; columns keep one running sum per column and walk down row by row, so memory is read in order.
 */
function gaussianBlurF32(src: Float32Array, width: number, height: number, sigma: number, passes = 3): Float32Array {
  // n box passes of radius r have variance n·((2r+1)² − 1)/12.
  const r = Math.max(1, Math.round((Math.sqrt((12 * sigma * sigma) / passes + 1) - 1) / 2));
  let a = Float32Array.from(src);
  let b = new Float32Array(src.length);
  const sums = new Float32Array(width);
  for (let pass = 0; pass < passes; pass++) {
    boxRows(a, b, width, height, r);
    boxColumns(b, a, width, height, r, sums);
  }
  return a;
}

function boxRows(src: Float32Array, dst: Float32Array, width: number, height: number, r: number): void {
  const norm = 1 / (2 * r + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const first = src[row]!;
    const last = src[row + width - 1]!;
    let acc = first * (r + 1);
    for (let i = 1; i <= r; i++) acc += i < width ? src[row + i]! : last;
    for (let x = 0; x < width; x++) {
      dst[row + x] = acc * norm;
      const add = x + r + 1 < width ? src[row + x + r + 1]! : last;
      const drop = x - r >= 0 ? src[row + x - r]! : first;
      acc += add - drop;
    }
  }
}

function boxColumns(src: Float32Array, dst: Float32Array, width: number, height: number, r: number, sums: Float32Array): void {
  const norm = 1 / (2 * r + 1);
  const lastRow = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    let acc = src[x]! * (r + 1);
    for (let i = 1; i <= r; i++) acc += src[Math.min(i, height - 1) * width + x]!;
    sums[x] = acc;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const addRow = y + r + 1 < height ? (y + r + 1) * width : lastRow;
    const dropRow = y - r >= 0 ? (y - r) * width : 0;
    for (let x = 0; x < width; x++) {
      const acc = sums[x]!;
      dst[row + x] = acc * norm;
      sums[x] = acc + src[addRow + x]! - src[dropRow + x]!;
    }
  }
}

/**
 * Van Cittert deconvolution: repeatedly adds back what re-blurring the estimate loses. Two or three
 * rounds restore modules that a defocused or shaken camera smeared into their neighbours.
 */
export function deblur(image: GrayImage, sigma: number, rounds = 2): GrayImage {
  const { width, height } = image;
  const observed = Float32Array.from(image.data);
  const estimate = Float32Array.from(observed);
  for (let k = 0; k < rounds; k++) {
    const reblurred = gaussianBlurF32(estimate, width, height, sigma);
    for (let i = 0; i < estimate.length; i++) {
      const v = estimate[i]! + observed[i]! - reblurred[i]!;
      estimate[i] = v < -64 ? -64 : v > 320 ? 320 : v; // bounded, so ringing cannot run away
    }
  }
  const out = new Uint8Array(estimate.length);
  for (let i = 0; i < out.length; i++) {
    const v = estimate[i]!;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, width, height };
}

/**
 * Samples a parallelogram into an upright image (bilinear): output column steps go along `u`, row
 * steps along `v` (unit vectors, not necessarily perpendicular), around `center`, enlarged by `scale`.
 */
export function sampleAffine(
  image: GrayImage,
  center: { x: number; y: number },
  u: { x: number; y: number },
  v: { x: number; y: number },
  width: number,
  height: number,
  scale = 1,
): GrayImage {
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(w * h);
  const { data, width: sw, height: sh } = image;
  for (let y = 0; y < h; y++) {
    const dv = (y - h / 2 + 0.5) / scale;
    for (let x = 0; x < w; x++) {
      const du = (x - w / 2 + 0.5) / scale;
      const sx = center.x + du * u.x + dv * v.x - 0.5;
      const sy = center.y + du * u.y + dv * v.y - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= sw - 1 || y0 >= sh - 1) {
        out[y * w + x] = 255; // outside the frame: paper white, like a quiet zone
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * sw + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + sw]! + (data[i + sw + 1]! - data[i + sw]!) * fx;
      out[y * w + x] = top + (bottom - top) * fy + 0.5;
    }
  }
  return { data: out, width: w, height: h };
}
