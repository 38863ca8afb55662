/** Where to look harder: symbols zxing located but could not read, then busy, code-like regions. */
import { downscaleBox, type GrayImage } from '../frame/gray.ts';
import { blockMap } from '../frame/blocks.ts';
import { locateCodes, scaleRegion, type CodeRegion } from '../frame/locate.ts';
import type { Roi } from './variants.ts';
import type { CodeFormat, Point } from './types.ts';
import type { ZXingOutcome } from './zxing.ts';

export function roiFromCorners(corners: Point[], source: Roi['source'], format: CodeFormat = 'qr'): Roi {
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  const width = Math.max(...xs) - x;
  const height = Math.max(...ys) - y;
  if (format === 'qr') return { x, y, width, height, kind: 'matrix', source };
  const [a, b] = [corners[0]!, corners[1]!];
  return { x, y, width, height, kind: 'linear', angle: Math.atan2(b.y - a.y, b.x - a.x), source };
}

export function roiFromRegion(region: CodeRegion): Roi {
  const { x, y, width, height, kind, angle, center, length, breadth, axis, axisLength, axisBreadth } = region;
  return { x, y, width, height, kind, angle, center, length, breadth, axis, axisLength, axisBreadth, source: 'locator' };
}

/** Overlap of two boxes as a share of the smaller one. */
export function overlapShare(a: Roi, b: Roi): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a.width * a.height, b.width * b.height);
}

const STRONG_REGION = 20;

/**
 * Code-like regions for the decoders, at full resolution and at half: halving averages away the
 * sensor noise that hides a faint code's edges (a 10 % contrast code under noise of σ 4).
 */
export function decoderRegions(gray: GrayImage): CodeRegion[] {
  const fine = locateCodes(blockMap(gray, { grid: false, stepX: 4 }), gray.width, gray.height, 3, { joinPieces: true });
  // A code of any size in plain view scores 20 or more; only frames without one pay for the second look.
  if (fine.some((r) => r.score >= STRONG_REGION)) return fine;
  const half = downscaleBox(gray, 2);
  const coarse = locateCodes(blockMap(half, { grid: false }), half.width, half.height, 3, { joinPieces: true }).map((r) => scaleRegion(r, 2));
  return [...fine, ...coarse].sort((a, b) => b.score - a.score);
}

/** Candidate regions, best first, without near-duplicates. `regions` may be passed in if already computed. */
export function findRois(gray: GrayImage, located: ZXingOutcome['located'], regions?: CodeRegion[]): Roi[] {
  const found = regions ?? decoderRegions(gray);
  const candidates = [...located.map((l) => roiFromCorners(l.corners, 'zxing', l.format)), ...found.map(roiFromRegion)];
  const rois: Roi[] = [];
  const frameArea = gray.width * gray.height;
  for (const c of candidates) {
    if (c.width < 8 || c.height < 8) continue;
    // All of the frame busy (a textured counter washed out by over-exposure) is no place to look
    // closer: the whole-frame variants cover it, and as a "twin" it would hide the code inside it.
    if (c.width * c.height > 0.9 * frameArea) continue;
    const area = (r: Roi): number => r.width * r.height;
    const twin = rois.find((r) => overlapShare(r, c) > 0.6 && Math.max(area(r), area(c)) < 4 * Math.min(area(r), area(c)));
    // A symbol zxing located has the better box and a known kind: it wins over the locator's guess.
    if (twin) continue;
    rois.push(c);
  }
  return rois.slice(0, 3);
}
