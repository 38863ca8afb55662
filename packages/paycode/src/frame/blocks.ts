/**
 * Block statistics of a gray frame, the shared first step of code location and quality analysis.
 * Gradients are sampled on every second pixel of every second row at full resolution, so small
 * modules keep their edges while the cost stays near a quarter of the frame.
 * `mean gx² + gy²` of forward differences, so `energy` of a step of contrast C is about C²/2 per edge sample.
 */
import type { GrayImage } from './gray.ts';

/** Full-resolution pixels per block side. */
export const BLOCK = 16;
const STEP = 2;

export interface BlockMap {
  cols: number;
  rows: number;
  /** Whether the quadrupled-angle sums (c4x, c4y) were computed. */
  grid: boolean;
  /** Mean of gx² + gy² per sample (central differences, 0..65025). */
  energy: Float32Array;
  /** Σ(gx² − gy²), Σ 2·gx·gy: the doubled-angle vector, for bar orientation. */
  c2x: Float32Array;
  c2y: Float32Array;
  /** Σ z⁴/|z|²: the quadrupled-angle vector, for the axes of a square grid (QR). */
  c4x: Float32Array;
  c4y: Float32Array;
  /** Σ(gx² + gy²) (not averaged), the normaliser of the two vectors above. */
  mag: Float32Array;
  /** Edges crossed per sampled row, roughly: Σ(|gx| + |gy|) over a row, divided by the block's range. */
  edges: Float32Array;
  mean: Float32Array;
  min: Uint8Array;
  max: Uint8Array;
  /** Share of samples at 250 or brighter. */
  saturated: Float32Array;
  samples: Uint16Array;
}

/**
 * `grid: false` skips the quadrupled-angle sums (one division per sample): the decoders' region finder
 * does not need a QR grid's direction, only the frame analysis does.
 */
export function blockMap(image: GrayImage, options: { grid?: boolean; stepX?: number } = {}): BlockMap {
  const grid = options.grid ?? true;
  // Every second row always; every second or fourth column (each sample still sees a 2×2 patch).
  const stepX = options.stepX ?? STEP;
  const { data, width, height } = image;
  const cols = Math.ceil(width / BLOCK);
  const rows = Math.ceil(height / BLOCK);
  const n = cols * rows;
  const m: BlockMap = {
    cols,
    rows,
    grid,
    energy: new Float32Array(n),
    c2x: new Float32Array(n),
    c2y: new Float32Array(n),
    c4x: new Float32Array(n),
    c4y: new Float32Array(n),
    mag: new Float32Array(n),
    edges: new Float32Array(n),
    mean: new Float32Array(n),
    min: new Uint8Array(n).fill(255),
    max: new Uint8Array(n),
    saturated: new Float32Array(n),
    samples: new Uint16Array(n),
  };
  const { mean, min, max, saturated, samples, mag, edges, c2x, c2y, c4x, c4y } = m;
  for (let y = 1; y < height - 1; y += STEP) {
    const row = y * width;
    const brow = ((y / BLOCK) | 0) * cols;
    for (let bc = 0; bc < cols; bc++) {
      const b = brow + bc;
      const xEnd = Math.min(width - 1, (bc + 1) * BLOCK);
      let sMag = 0, sAbs = 0, s2x = 0, s2y = 0, s4x = 0, s4y = 0, sum = 0, lo = min[b]!, hi = max[b]!, sat = 0, count = 0;
      for (let x = Math.max(1, bc * BLOCK + 1); x < xEnd; x += stepX) {
        const i = row + x;
        const v = data[i]!;
        // 2×2 differences centred on the same point: unlike central differences they still see a
        // 2 px period, and unlike plain forward ones their x and y agree on where they look.
        const d = data[i + width + 1]! - v;
        const a = data[i + 1]! - data[i + width]!;
        const gx = (d + a) / 2;
        const gy = (d - a) / 2;
        const gxx = gx * gx;
        const gyy = gy * gy;
        const g2 = gxx + gyy;
        const dx = gxx - gyy;
        const dy = 2 * gx * gy;
        sMag += g2;
        sAbs += (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
        s2x += dx;
        s2y += dy;
        if (grid && g2 > 0) {
          const inv = 1 / g2;
          s4x += (dx * dx - dy * dy) * inv;
          s4y += 2 * dx * dy * inv;
        }
        sum += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (v >= 250) sat++;
        count++;
      }
      mag[b]! += sMag; edges[b]! += sAbs; c2x[b]! += s2x; c2y[b]! += s2y; c4x[b]! += s4x; c4y[b]! += s4y;
      mean[b]! += sum; min[b] = lo; max[b] = hi; saturated[b]! += sat; samples[b]! += count;
    }
  }
  for (let b = 0; b < n; b++) {
    const s = m.samples[b]! || 1;
    m.energy[b] = m.mag[b]! / s;
    // Samples every stepX-th pixel catch about 1/stepX of each edge's rise: scale back up.
    m.edges[b] = (stepX * m.edges[b]!) / ((s / (BLOCK / stepX)) * Math.max(8, m.max[b]! - m.min[b]!));
    m.mean[b]! /= s;
    m.saturated[b]! /= s;
  }
  return m;
}
