/**
 * Module size from run lengths: along lines across the region (along the reading direction for bars),
 * pixels are split at the region's mid-level, and the short runs are single modules. Scale-free, and
 * unlike the region's box it is not fooled by text or bezel joining the region.
 */
import type { GrayImage } from './gray.ts';

export function moduleFromRuns(gray: GrayImage, box: { x: number; y: number; width: number; height: number }, angle: number, dark: number, light: number): number {
  const threshold = (dark + light) / 2;
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(gray.width - 1, Math.ceil(box.x + box.width));
  const y1 = Math.min(gray.height - 1, Math.ceil(box.y + box.height));
  // Scan along whichever frame axis is closer to the direction; a lean stretches runs by 1/cos ≤ 1.41.
  const horizontal = Math.abs(Math.cos(angle)) >= Math.abs(Math.sin(angle));
  const stretch = 1 / Math.max(Math.abs(Math.cos(angle)), Math.abs(Math.sin(angle)));
  const runs: number[] = [];
  const lines = horizontal ? y1 - y0 : x1 - x0;
  const step = Math.max(1, Math.floor(lines / 24));
  for (let l = 0; l < lines; l += step) {
    let length = 0;
    let prev = -1;
    let started = false;
    const count = horizontal ? x1 - x0 : y1 - y0;
    for (let k = 0; k < count; k++) {
      const v = horizontal ? gray.data[(y0 + l) * gray.width + x0 + k]! : gray.data[(y0 + k) * gray.width + x0 + l]!;
      const bit = v < threshold ? 1 : 0;
      if (bit === prev) {
        length++;
        continue;
      }
      if (started) runs.push(length); // the first run is cut by the box edge: skip it
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
  return sum / (to - from) / stretch;
}
