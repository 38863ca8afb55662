/**
 * QR finder patterns (the three 7-module squares) by the classic 1:1:3:1:1 run test, inside a region.
 * They give the module size exactly, and their layout shows how far the code is tilted: the vectors
 * from the corner pattern to the other two are the images of two equal, perpendicular sides.
 */
import type { GrayImage } from './gray.ts';

export interface FinderPattern {
  x: number;
  y: number;
  /** Module size in pixels, from the pattern's 7-module width. */
  module: number;
  /** Rows that matched, a confidence count. */
  hits: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Dark (1) or light (0) per pixel of the box, against the box's mid-level between 10th and 90th percentile. */
function binarize(image: GrayImage, box: Box): Uint8Array {
  const hist = new Uint32Array(256);
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) hist[image.data[y * image.width + x]!]!++;
  }
  const n = box.width * box.height;
  let acc = 0, p10 = 0, p90 = 255;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc < n * 0.1) p10 = v;
    if (acc < n * 0.9) p90 = v;
  }
  const t = (p10 + p90) / 2;
  const out = new Uint8Array(n);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) out[y * box.width + x] = image.data[(y + box.y) * image.width + x + box.x]! < t ? 1 : 0;
  }
  return out;
}

/** Whether five run lengths look like 1:1:3:1:1, and the unit they imply. */
function finderRatio(r: number[]): number | null {
  const total = r[0]! + r[1]! + r[2]! + r[3]! + r[4]!;
  if (total < 7) return null;
  const unit = total / 7;
  const tol = unit * 0.7;
  if (Math.abs(r[0]! - unit) > tol || Math.abs(r[1]! - unit) > tol || Math.abs(r[3]! - unit) > tol || Math.abs(r[4]! - unit) > tol) return null;
  if (Math.abs(r[2]! - 3 * unit) > 3 * tol) return null;
  return unit;
}

/** Runs through (cx, cy) along a direction in the binary box; returns the 1:1:3:1:1 unit or null. */
function crossCheck(bits: Uint8Array, w: number, h: number, cx: number, cy: number, dx: number, dy: number): number | null {
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= w || y >= h ? -1 : bits[y * w + x]!);
  if (at(cx, cy) !== 1) return null;
  const walk = (sign: number): number[] => {
    const runs = [0, 0, 0];
    let x = cx, y = cy, state = 0; // 0: centre dark, 1: light ring, 2: outer dark
    const want = [1, 0, 1];
    while (state < 3) {
      const v = at(x, y);
      if (v === want[state]) {
        runs[state]!++;
        x += dx * sign;
        y += dy * sign;
      } else if (v === -1) {
        return state === 2 && runs[2]! > 0 ? runs : [];
      } else {
        state++;
      }
      if (runs[0]! > w + h) return [];
    }
    return runs;
  };
  const fwd = walk(1);
  const back = walk(-1);
  if (fwd.length === 0 || back.length === 0) return null;
  return finderRatio([back[2]!, back[1]!, back[0]! + fwd[0]! - 1, fwd[1]!, fwd[2]!]);
}

export function findFinderPatterns(image: GrayImage, box: Box): FinderPattern[] {
  const b = {
    x: Math.max(0, Math.floor(box.x)),
    y: Math.max(0, Math.floor(box.y)),
    width: 0,
    height: 0,
  };
  b.width = Math.min(image.width - b.x, Math.ceil(box.width));
  b.height = Math.min(image.height - b.y, Math.ceil(box.height));
  if (b.width < 14 || b.height < 14) return [];
  const bits = binarize(image, b);
  const { width: w, height: h } = b;
  const found: FinderPattern[] = [];
  for (let y = 0; y < h; y++) {
    const runs: number[] = [];
    const starts: number[] = [];
    let prev = -1;
    for (let x = 0; x < w; x++) {
      const v = bits[y * w + x]!;
      if (v !== prev) {
        runs.push(0);
        starts.push(x);
        prev = v;
      }
      runs[runs.length - 1]!++;
    }
    const firstDark = bits[y * w] === 1 ? 0 : 1;
    for (let i = firstDark; i + 4 < runs.length; i += 2) {
      const unit = finderRatio(runs.slice(i, i + 5));
      if (unit === null) continue;
      const cx = Math.round(starts[i + 2]! + runs[i + 2]! / 2);
      const vertical = crossCheck(bits, w, h, cx, y, 0, 1);
      if (vertical === null) continue;
      const diagonal = crossCheck(bits, w, h, cx, y, 1, 1);
      if (diagonal === null) continue;
      const module = (unit + vertical) / 2;
      const near = found.find((f) => Math.hypot(f.x - (cx + b.x), f.y - (y + b.y)) < f.module * 3.5);
      if (near) {
        near.x = (near.x * near.hits + cx + b.x) / (near.hits + 1);
        near.y = (near.y * near.hits + y + b.y) / (near.hits + 1);
        near.module = (near.module * near.hits + module) / (near.hits + 1);
        near.hits++;
      } else {
        found.push({ x: cx + b.x, y: y + b.y, module, hits: 1 });
      }
    }
  }
  return found.filter((f) => f.hits >= 2).sort((p, q) => q.hits - p.hits).slice(0, 3);
}

/**
 * Out-of-plane tilt (degrees) from three finder patterns: the two sides leaving the corner pattern map
 * a square's equal, perpendicular sides; the ratio of their smaller to larger singular value is cos(tilt).
 */
export function tiltFromFinders(p: FinderPattern[]): number | null {
  if (p.length < 3) return null;
  // The corner pattern is the one whose two sides meet closest to a right angle.
  let best: { corner: FinderPattern; a: [number, number]; b: [number, number] } | null = null;
  let bestCos = Infinity;
  for (let i = 0; i < 3; i++) {
    const c = p[i]!;
    const u = p[(i + 1) % 3]!;
    const v = p[(i + 2) % 3]!;
    const a: [number, number] = [u.x - c.x, u.y - c.y];
    const b: [number, number] = [v.x - c.x, v.y - c.y];
    const cos = Math.abs(a[0] * b[0] + a[1] * b[1]) / (Math.hypot(...a) * Math.hypot(...b));
    if (cos < bestCos) {
      bestCos = cos;
      best = { corner: c, a, b };
    }
  }
  const { a, b } = best!;
  // Singular values of [a b] from its Gram matrix.
  const g11 = a[0] * a[0] + a[1] * a[1];
  const g22 = b[0] * b[0] + b[1] * b[1];
  const g12 = a[0] * b[0] + a[1] * b[1];
  const mean = (g11 + g22) / 2;
  const spread = Math.sqrt(((g11 - g22) / 2) ** 2 + g12 * g12);
  const small = Math.sqrt(Math.max(0, mean - spread));
  const large = Math.sqrt(mean + spread);
  if (large === 0) return null;
  return (Math.acos(Math.min(1, small / large)) * 180) / Math.PI;
}
