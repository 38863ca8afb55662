/**
 * Screen moiré removal. A phone screen filmed by a camera beats against the sensor's grid: the image is
 * multiplied by a few pure waves. In the logarithm the product becomes a sum, and each wave is one sharp
 * peak in the spectrum, far stronger than anything the code's own random modules make at one frequency.
 * Those peaks are cut out (with their mirror images) and the rest transformed back.
 */
import type { GrayImage } from '../frame/gray.ts';

/** Radix-2 FFT of the first `rows` rows of an n×n grid, in place; the twiddles are computed once per call. */
function fftRows(re: Float64Array, im: Float64Array, n: number, inverse: boolean, rows = n): void {
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = (inverse ? 1 : -1) * Math.sin((2 * Math.PI * k) / n);
  }
  const swap = new Uint32Array(n);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    swap[i] = j;
  }
  for (let row = 0; row < rows * n; row += n) {
    for (let i = 1; i < n; i++) {
      const j = swap[i]!;
      if (i < j) {
        const t = re[row + i]!;
        re[row + i] = re[row + j]!;
        re[row + j] = t;
        const u = im[row + i]!;
        im[row + i] = im[row + j]!;
        im[row + j] = u;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let start = row; start < row + n; start += len) {
        for (let k = 0; k < half; k++) {
          const a = start + k;
          const b = a + half;
          const cr = cos[k * step]!;
          const ci = sin[k * step]!;
          const tr = re[b]! * cr - im[b]! * ci;
          const ti = re[b]! * ci + im[b]! * cr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < rows * n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
  }
}

function transpose(a: Float64Array, n: number): void {
  for (let y = 0; y < n; y++) {
    for (let x = y + 1; x < n; x++) {
      const t = a[y * n + x]!;
      a[y * n + x] = a[x * n + y]!;
      a[x * n + y] = t;
    }
  }
}

/**
 * 2D FFT of an image in the top `height` rows of an n×n grid (the rest zero). Forward: its rows, then
 * its columns as rows of the transposed grid, which is where the spectrum stays (swapping the two
 * frequency axes changes nothing for a search that treats them alike). Inverse: the same backwards,
 * and only the image's own rows in the last pass.
 */
function forward2d(re: Float64Array, im: Float64Array, n: number, height: number): void {
  fftRows(re, im, n, false, height);
  transpose(re, n);
  transpose(im, n);
  fftRows(re, im, n, false);
}

function inverse2d(re: Float64Array, im: Float64Array, n: number, height: number): void {
  fftRows(re, im, n, true);
  transpose(re, n);
  transpose(im, n);
  fftRows(re, im, n, true, height);
}

/** Wave periods looked for, in pixels. */
const MIN_PERIOD = 4;
const MAX_PERIOD = 40;
/** How far above its ring's typical magnitude a peak must stand. */
const PROMINENCE = 5;
/** Most waves removed: two beats, their harmonics and mixes. */
const MAX_PEAKS = 6;
/** Radius of the cut around each peak, in frequency bins (a wave's energy leaks into its neighbours). */
const NOTCH = 3;

/** Largest grid transformed; bigger images are left as they are (the variants pass a region). */
const MAX_GRID = 256;

/** Calls `visit` with the row and column of every pixel in the middle half of the image (where the code is). */
function forMiddle(width: number, height: number, visit: (y: number, x: number) => void): void {
  for (let y = height >> 2; y < height - (height >> 2); y++) for (let x = width >> 2; x < width - (width >> 2); x++) visit(y, x);
}

/** The image with its strongest periodic waves removed, or null when it has none worth removing. */
export function demoire(image: GrayImage): GrayImage | null {
  const { width, height, data } = image;
  let n = 1;
  while (n < Math.max(width, height)) n <<= 1;
  if (n > MAX_GRID || width < 16 || height < 16) return null;

  // Log of the image, clipped to the levels of its middle (where the code is): a dark bezel or the
  // counter beyond the screen's edge would otherwise be a huge step, whose spectrum is a line of peaks.
  const histogram = new Uint32Array(256);
  let counted = 0;
  forMiddle(width, height, (y, x) => {
    histogram[data[y * width + x]!]!++;
    counted++;
  });
  const level = (share: number): number => {
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]!) > share * counted) return v;
    return 255;
  };
  const floor = Math.log1p(level(0.01));
  const ceiling = Math.log1p(level(0.99));
  const logs = new Float64Array(256);
  for (let v = 0; v < 256; v++) logs[v] = Math.min(ceiling, Math.max(floor, Math.log1p(v)));
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += logs[data[i]!]!;
  mean /= data.length;
  // Mean-centred, and the padding is the mean, so it adds no edge of its own.
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) re[y * n + x] = logs[data[y * width + x]!]! - mean;
  forward2d(re, im, n, height);

  // Squared magnitudes throughout: the comparisons below hold for squares as well, without a root each.
  const power = new Float64Array(n * n);
  for (let i = 0; i < power.length; i++) power[i] = re[i]! * re[i]! + im[i]! * im[i]!;
  // Signed frequency of bin k.
  const f = (k: number): number => (k < n / 2 ? k : k - n);
  const rMin = n / MAX_PERIOD;
  const rMax = Math.min(n / 2 - 1, n / MIN_PERIOD);

  // Each bin of the half-plane v ≥ 0 (a real image's spectrum is symmetric) by its whole radius, in
  // the band searched; −1 elsewhere.
  const ringOf = new Int16Array(n * n).fill(-1);
  const rings = Math.ceil(rMax) + 1;
  const counts = new Uint32Array(rings + 1);
  for (let v = 0; v <= n / 2; v++) {
    for (let u = 0; u < n; u++) {
      const fu = f(u);
      if (v === 0 && fu <= 0) continue;
      const r = Math.round(Math.sqrt(fu * fu + v * v));
      if (r < Math.floor(rMin) || r > rings) continue;
      ringOf[v * n + u] = r;
      counts[r]!++;
    }
  }
  // The typical (median) power at each radius: the code and the edges spread there, a wave does not.
  const ringValues = Array.from(counts, (c) => new Float64Array(c));
  const filled = new Uint32Array(rings + 1);
  for (let i = 0; i < ringOf.length; i++) {
    const r = ringOf[i]!;
    if (r >= 0) ringValues[r]![filled[r]!++] = power[i]!;
  }
  const typical = ringValues.map((values) => (values.length === 0 ? Infinity : values.sort()[values.length >> 1]!));

  const at = (a: number, b: number): number => power[(((Math.round(b) % n) + n) % n) * n + (((Math.round(a) % n) + n) % n)]!;
  const threshold = PROMINENCE * PROMINENCE;
  // Local maxima (3×3) that stand out from their ring.
  const peaks: { u: number; v: number; score: number }[] = [];
  for (let i = 0; i < ringOf.length; i++) {
    const ring = ringOf[i]!;
    if (ring < 0) continue;
    const m = power[i]!;
    if (m < threshold * typical[ring]!) continue;
    const u = i % n;
    const v = (i - u) / n;
    const fu = f(u);
    const fv = f(v);
    // Axis lines carry the region's own borders (its edges and the padding), not a wave.
    if (Math.abs(fu) <= 1 || Math.abs(fv) <= 1) continue;
    const r = Math.sqrt(fu * fu + fv * fv);
    if (r < rMin || r > rMax) continue;
    // A straight edge makes a line of maxima through the origin; a wave is a lone point.
    const out = (r + 3) / r;
    const inn = (r - 3) / r;
    if (Math.max(at(fu * out, fv * out), at(fu * inn, fv * inn)) > m / 9) continue;
    let isMax = true;
    for (let dv = -1; dv <= 1 && isMax; dv++) {
      for (let du = -1; du <= 1; du++) {
        if ((du || dv) && at(fu + du, fv + dv) > m) {
          isMax = false;
          break;
        }
      }
    }
    if (isMax) peaks.push({ u, v, score: m / typical[ring]! });
  }
  if (peaks.length === 0) return null;
  peaks.sort((a, b) => b.score - a.score);

  // Cut each peak and its mirror with a soft notch.
  for (const { u, v } of peaks.slice(0, MAX_PEAKS)) {
    for (const [cu, cv] of [
      [u, v],
      [(n - u) % n, (n - v) % n],
    ] as const) {
      for (let dv = -NOTCH; dv <= NOTCH; dv++) {
        for (let du = -NOTCH; du <= NOTCH; du++) {
          const d2 = du * du + dv * dv;
          if (d2 > NOTCH * NOTCH + 1) continue;
          const i = ((cv + dv + n) % n) * n + ((cu + du + n) % n);
          const keep = 1 - Math.exp(-d2 / (0.75 * NOTCH * NOTCH));
          re[i] = re[i]! * keep;
          im[i] = im[i]! * keep;
        }
      }
    }
  }
  inverse2d(re, im, n, height);

  // Back from the logarithm, stretched over the middle of the image (where the code is; a dark bezel
  // at the border would otherwise take most of the range).
  const sample = new Float64Array(counted);
  let k = 0;
  forMiddle(width, height, (y, x) => (sample[k++] = re[y * n + x]!));
  sample.sort();
  const lo = sample[Math.floor(sample.length * 0.01)]!;
  const hi = sample[Math.floor(sample.length * 0.99)]!;
  const span = hi - lo || 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ((re[y * n + x]! - lo) / span) * 255;
      out[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { data: out, width, height };
}
