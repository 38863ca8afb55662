/**
 * Finds where a code probably is, without decoding. Each busy block is classed by its edges: one
 * dominant direction ("bar" blocks: barcode bars, but also the edge of a text line or of the phone)
 * or several ("grid" blocks: QR modules, text). Bar blocks join only neighbours with the same direction,
 * and a barcode is told from a text line by its shape: a barcode extends along its gradient direction
 * (bar after bar), an edge extends across it.
 */
import { BLOCK, type BlockMap } from './blocks.ts';

export type RegionKind = 'linear' | 'matrix';

export interface CodeRegion {
  /** Axis-aligned bounding box in full-resolution pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The region as a rotated box: centre, `length` along `angle`, `breadth` across it. */
  center: { x: number; y: number };
  length: number;
  breadth: number;
  blocks: number;
  kind: RegionKind;
  /**
   * Linear: direction across the bars (the reading direction), radians in [0, π).
   * Matrix: direction of one grid axis, radians in [0, π/2).
   */
  angle: number;
  /** 0..1: how strongly the edges agree on one direction (linear) or one pair of axes (matrix). */
  coherence: number;
  /**
   * Linear: the direction the code extends in (from the spread of its blocks), radians. Under
   * perspective it leans away from `angle`: the bars are then sheared, not perpendicular to it.
   */
  axis: number;
  /** Extents along `axis` and along the bars (the code in its own, possibly sheared, frame). */
  axisLength: number;
  axisBreadth: number;
  /** Share of the rotated box's area covered by busy blocks. */
  fill: number;
  /** Median edges crossed per 16 px in the region's blocks: a scale-free clue to the module size. */
  edgesPerBlock: number;
  touchesEdge: boolean;
  score: number;
}

function percentile(values: Float32Array, p: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Energy below which a block is treated as flat (noise, smooth background). */
export function busyThreshold(map: BlockMap): number {
  // The floor sits well above sensor noise (about 10–15 with 2×2 differences at σ≈3) and below a
  // faint code's edges (a 10 % contrast code reads 35–130).
  return Math.max(24, 2.5 * percentile(map.energy, 0.25));
}

const BAR = 1;
const GRID = 2;

/** Direction difference modulo π, in [0, π/2]. */
function angleGap(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return d > Math.PI / 2 ? Math.PI - d : d;
}

export interface LocateOptions {
  /**
   * Put a barcode broken into pieces (a faint, blurred or glared stretch) back together, and trim
   * line-like blocks only from a region's rim. The decoders want the whole code; the frame analysis
   * keeps the plain grouping its thresholds were set on.
   */
  joinPieces?: boolean;
}

export function locateCodes(map: BlockMap, width: number, height: number, limit = 3, options: LocateOptions = {}): CodeRegion[] {
  const join = options.joinPieces ?? false;
  const { cols, rows } = map;
  const n = cols * rows;
  const threshold = busyThreshold(map);
  const cls = new Uint8Array(n);
  const dir = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const mag = map.mag[b]!;
    if (!(map.energy[b]! > threshold && map.max[b]! - map.min[b]! >= 10) || mag === 0) continue;
    const coh2 = Math.hypot(map.c2x[b]!, map.c2y[b]!) / mag;
    // One straight edge (a text line, the phone's bezel) is oriented too, but crosses each row once.
    if (coh2 >= 0.55 && map.edges[b]! < 1.6) continue;
    cls[b] = coh2 >= 0.55 ? BAR : GRID;
    dir[b] = wrap(Math.atan2(map.c2y[b]!, map.c2x[b]!) / 2, Math.PI);
  }
  const regions: CodeRegion[] = [];
  const barGroups: number[][] = [];
  const seen = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (!cls[start] || seen[start]) continue;
    const kind = cls[start]!;
    const seedDir = dir[start]!;
    const group: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const b = stack.pop()!;
      group.push(b);
      const c = b % cols;
      const r = (b / cols) | 0;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const nr = r + dr;
          const nc = c + dc;
          if (nr < 0 || nc < 0 || nr >= rows || nc >= cols) continue;
          const nb = nr * cols + nc;
          if (seen[nb] || cls[nb] !== kind) continue;
          if (kind === BAR && angleGap(dir[nb]!, seedDir) > 0.3) continue;
          seen[nb] = 1;
          stack.push(nb);
        }
      }
    }
    if (group.length < 2) continue;
    if (kind === BAR) {
      barGroups.push(...trimEdgeLines(map, group, join));
    } else {
      regions.push(describe(map, group, 'matrix', width, height));
    }
  }
  for (const group of join ? joinCollinear(map, barGroups, width, height) : barGroups) regions.push(describe(map, group, 'linear', width, height));
  return regions.filter((r) => r.score > 0).sort((a, b) => b.score - a.score).slice(0, limit);
}

/**
 * Pieces of one barcode: a blurred or faint stretch (or glare) can break its blocks apart. Pieces with
 * the same bar direction that lie on one line, end to end with a short gap, are put back together.
 */
function joinCollinear(map: BlockMap, groups: number[][], width: number, height: number): number[][] {
  const pieces = groups.map((g) => ({ blocks: g, r: describe(map, g, 'linear', width, height) }));
  let joined = true;
  while (joined) {
    joined = false;
    outer: for (let i = 0; i < pieces.length; i++) {
      for (let j = i + 1; j < pieces.length; j++) {
        const a = pieces[i]!.r;
        const b = pieces[j]!.r;
        if (angleGap(a.angle, b.angle) > 0.15) continue;
        // Only barcode-like pieces (bar after bar along the gradient), never stacked text-line edges.
        if (a.length < 0.8 * a.breadth || b.length < 0.8 * b.breadth) continue;
        const ux = Math.cos(a.axis);
        const uy = Math.sin(a.axis);
        const dx = b.center.x - a.center.x;
        const dy = b.center.y - a.center.y;
        const along = Math.abs(dx * ux + dy * uy);
        const across = Math.abs(-dx * uy + dy * ux);
        const gap = along - (a.axisLength + b.axisLength) / 2;
        if (across > 0.5 * Math.max(a.axisBreadth, b.axisBreadth) || gap > 3 * BLOCK) continue;
        const blocks = [...pieces[i]!.blocks, ...pieces[j]!.blocks];
        pieces.splice(j, 1);
        pieces[i] = { blocks, r: describe(map, blocks, 'linear', width, height) };
        joined = true;
        break outer;
      }
    }
  }
  return pieces.map((p) => p.blocks);
}

/**
 * Bars cross many edges per block; a bezel or a panel border running beside the code crosses one or
 * two. Such blocks can join a barcode's group through its quiet zone: drop them and keep the pieces.
 */
function trimEdgeLines(map: BlockMap, group: number[], rimOnly: boolean): number[][] {
  const edges = group.map((b) => map.edges[b]!).sort((p, q) => p - q);
  // Only blocks that look like a line (about two edges or fewer) and clearly below the group's norm go.
  const floor = Math.min(2.2, 0.5 * edges[Math.floor(edges.length * 0.75)]!);
  // Only from the group's rim: a line runs beside the code, while a faint or blurred stretch inside
  // the code (fewer edges per block) must not cut it in two.
  const members = new Set(group);
  const onRim = (b: number): boolean => [b - 1, b + 1, b - map.cols, b + map.cols].some((n) => !members.has(n));
  const kept = new Set(group.filter((b) => map.edges[b]! >= floor || (rimOnly && !onRim(b))));
  if (kept.size === group.length) return [group];
  const parts: number[][] = [];
  const seen = new Set<number>();
  for (const start of kept) {
    if (seen.has(start)) continue;
    const part: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const b = stack.pop()!;
      part.push(b);
      const c = b % map.cols;
      for (const nb of [b - 1, b + 1, b - map.cols, b + map.cols, b - map.cols - 1, b - map.cols + 1, b + map.cols - 1, b + map.cols + 1]) {
        if (!kept.has(nb) || seen.has(nb) || Math.abs((nb % map.cols) - c) > 1) continue;
        seen.add(nb);
        stack.push(nb);
      }
    }
    if (part.length >= 2) parts.push(part);
  }
  return parts;
}

function describe(map: BlockMap, group: number[], kind: RegionKind, width: number, height: number): CodeRegion {
  const { cols, rows } = map;
  let c0 = cols, c1 = -1, r0 = rows, r1 = -1;
  let s2x = 0, s2y = 0, s4x = 0, s4y = 0, mag = 0;
  for (const b of group) {
    const c = b % cols;
    const r = (b / cols) | 0;
    c0 = Math.min(c0, c); c1 = Math.max(c1, c); r0 = Math.min(r0, r); r1 = Math.max(r1, r);
    s2x += map.c2x[b]!; s2y += map.c2y[b]!; s4x += map.c4x[b]!; s4y += map.c4y[b]!; mag += map.mag[b]!;
  }
  const angle = kind === 'linear' ? wrap(Math.atan2(s2y, s2x) / 2, Math.PI) : wrap(Math.atan2(s4y, s4x) / 4, Math.PI / 2);
  // Without grid sums (the decoders' cheaper map) a matrix region gets a neutral coherence.
  const coherence = kind === 'linear' ? Math.hypot(s2x, s2y) / (mag || 1) : map.grid ? Math.hypot(s4x, s4y) / (mag || 1) : 0.5;
  // Extent of the block centres along the region's axis and across it.
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  let a0 = Infinity, a1 = -Infinity, b0 = Infinity, b1 = -Infinity;
  for (const b of group) {
    const x = ((b % cols) + 0.5) * BLOCK;
    const y = (((b / cols) | 0) + 0.5) * BLOCK;
    const along = x * ux + y * uy;
    const across = -x * uy + y * ux;
    a0 = Math.min(a0, along); a1 = Math.max(a1, along); b0 = Math.min(b0, across); b1 = Math.max(b1, across);
  }
  const length = a1 - a0 + BLOCK;
  const breadth = b1 - b0 + BLOCK;
  const midA = (a0 + a1) / 2;
  const midB = (b0 + b1) / 2;
  const center = { x: midA * ux - midB * uy, y: midA * uy + midB * ux };
  const fill = Math.min(1, (group.length * BLOCK * BLOCK) / (length * breadth));
  const sheared = kind === 'linear' ? shearedFrame(group, cols, angle, center) : { axis: angle, axisLength: length, axisBreadth: breadth };
  const edges = group.map((b) => map.edges[b]!).sort((p, q) => p - q);
  const x = c0 * BLOCK;
  const y = r0 * BLOCK;
  // A barcode runs along its gradient (bar after bar); the edge of a text line or of the phone runs across it.
  const shape = kind === 'linear' ? Math.min(1, Math.max(0, (length / breadth - 0.8) / 1.2)) : Math.min(1, Math.min(length, breadth) / Math.max(length, breadth) + 0.3);
  return {
    x,
    y,
    width: Math.min(width, (c1 + 1) * BLOCK) - x,
    height: Math.min(height, (r1 + 1) * BLOCK) - y,
    center,
    length,
    breadth,
    ...sheared,
    blocks: group.length,
    kind,
    angle,
    coherence,
    fill,
    edgesPerBlock: edges[edges.length >> 1] ?? 0,
    touchesEdge: c0 === 0 || r0 === 0 || c1 === cols - 1 || r1 === rows - 1,
    score: group.length * (0.3 + coherence) * Math.min(1, fill * 1.6) * shape,
  };
}

/**
 * The code's long axis from the second moments of its block centres, and its extents in the frame
 * spanned by that axis and the bar direction. Falls back to the gradient direction when the spread
 * says nothing (few blocks) or disagrees wildly.
 */
function shearedFrame(group: number[], cols: number, angle: number, center: { x: number; y: number }): { axis: number; axisLength: number; axisBreadth: number } {
  let sxx = 0, syy = 0, sxy = 0;
  for (const b of group) {
    const dx = ((b % cols) + 0.5) * BLOCK - center.x;
    const dy = (((b / cols) | 0) + 0.5) * BLOCK - center.y;
    sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
  }
  let axis = wrap(0.5 * Math.atan2(2 * sxy, sxx - syy), Math.PI);
  const spread = Math.hypot(sxx - syy, 2 * sxy) / (sxx + syy || 1);
  if (group.length < 6 || spread < 0.3 || angleGap(axis, angle) > 0.7) axis = angle;
  // Basis: a along the axis, b along the bars (perpendicular to the gradient).
  const ax = Math.cos(axis), ay = Math.sin(axis);
  const bx = -Math.sin(angle), by = Math.cos(angle);
  const det = ax * by - ay * bx;
  if (Math.abs(det) < 0.3) return { axis: angle, axisLength: 0, axisBreadth: 0 };
  let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
  for (const b of group) {
    const dx = ((b % cols) + 0.5) * BLOCK - center.x;
    const dy = (((b / cols) | 0) + 0.5) * BLOCK - center.y;
    const u = (dx * by - dy * bx) / det;
    const v = (ax * dy - ay * dx) / det;
    u0 = Math.min(u0, u); u1 = Math.max(u1, u); v0 = Math.min(v0, v); v1 = Math.max(v1, v);
  }
  return { axis, axisLength: u1 - u0 + BLOCK, axisBreadth: v1 - v0 + BLOCK };
}

/** A region found on a downscaled image, in the full image's pixels. */
export function scaleRegion(r: CodeRegion, f: number): CodeRegion {
  return {
    ...r,
    x: r.x * f,
    y: r.y * f,
    width: r.width * f,
    height: r.height * f,
    center: { x: r.center.x * f, y: r.center.y * f },
    length: r.length * f,
    breadth: r.breadth * f,
    axisLength: r.axisLength * f,
    axisBreadth: r.axisBreadth * f,
    edgesPerBlock: r.edgesPerBlock / f,
    score: r.score, // counts 4× fewer blocks for the same area: wins only over fragments
  };
}

function wrap(angle: number, period: number): number {
  const a = angle % period;
  return a < 0 ? a + period : a;
}
