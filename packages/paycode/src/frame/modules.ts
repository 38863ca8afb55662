/**
 * Module size from run lengths: along lines in the code's own direction (across the bars, or along a
 * QR grid axis), pixels are split at the region's mid-level, and the short runs are single modules.
 * Scale-free, and unlike the region's box not fooled by text or bezel joining the region.
 */
import type { GrayImage } from './gray.ts';

export function moduleFromRuns(gray: GrayImage, box: { x: number; y: number; width: number; height: number }, angle: number, dark: number, light: number): number {
  const threshold = (dark + light) / 2;
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // Lines long enough to cross the box in any direction, spread across it.
  const half = Math.hypot(box.width, box.height) / 2;
  const runs: number[] = [];
  const lines = 24;
  for (let l = 0; l < lines; l++) {
    const offset = ((l + 0.5) / lines - 0.5) * 2 * half;
    const ox = cx - uy * offset;
    const oy = cy + ux * offset;
    let length = 0;
    let prev = -1;
    let started = false;
    for (let t = -half; t <= half; t++) {
      const x = Math.round(ox + ux * t);
      const y = Math.round(oy + uy * t);
      if (x < box.x || y < box.y || x >= box.x + box.width || y >= box.y + box.height || x >= gray.width || y >= gray.height) {
        prev = -1; // outside the box: a run cut here is not a whole run
        started = false;
        length = 0;
        continue;
      }
      const bit = gray.data[y * gray.width + x]! < threshold ? 1 : 0;
      if (bit === prev) {
        length++;
        continue;
      }
      if (started) runs.push(length); // the first run inside the box is cut by its edge: skip it
      started = prev !== -1;
      prev = bit;
      length = 1;
    }
  }
  if (runs.length < 8) return 0;
  runs.sort((a, b) => a - b);
  // In both symbologies single modules are the commonest run; the 20th–40th percentiles land on them.
  const from = Math.floor(runs.length * 0.2);
  const to = Math.max(from + 1, Math.floor(runs.length * 0.4));
  let sum = 0;
  for (let i = from; i < to; i++) sum += runs[i]!;
  return sum / (to - from);
}
