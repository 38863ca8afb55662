/** How blurred an image is, from its steepest edges. */
import type { GrayImage } from './gray.ts';

/**
 * Blur width (Gaussian sigma, px) from the steepest edges: a step of contrast C blurred by sigma
 * has a largest slope of C / (sigma·√(2π)). A sharp image reads about 0.4–0.6. Only edges of
 * features wider than the blur keep that slope: a code whose every feature is smaller than the blur
 * reads too low (its contrast is gone too), which callers must allow for.
 */
export function estimateBlurSigma(
  image: GrayImage,
  box?: { x: number; y: number; width: number; height: number },
  /** Measure only along these directions (radians) and report the blurriest; default: x and y together. */
  directions?: number[],
): number {
  const { contrast, steepest } = edgeSlopes(image, box, directions);
  let sigma = 0.3;
  for (const s of steepest) sigma = Math.max(sigma, contrast / (2.5 * Math.max(1, s)));
  return Math.min(8, sigma);
}

/**
 * The 5th–95th percentile spread of the box, and per direction the 99th percentile of the one-pixel
 * slope: the steepest edges. With no directions, the larger of the x and y slopes counts.
 */
export function edgeSlopes(
  image: GrayImage,
  box?: { x: number; y: number; width: number; height: number },
  directions?: number[],
): { contrast: number; steepest: number[] } {
  const { data, width, height } = image;
  const x0 = Math.max(1, Math.floor(box?.x ?? 0));
  const y0 = Math.max(1, Math.floor(box?.y ?? 0));
  const x1 = Math.min(width - 1, Math.ceil(box ? box.x + box.width : width));
  const y1 = Math.min(height - 1, Math.ceil(box ? box.y + box.height : height));
  const hist = new Uint32Array(256);
  const dirs = directions ?? [];
  const slopes = Array.from({ length: Math.max(1, dirs.length) }, () => new Uint32Array(256));
  const unit = dirs.map((a) => [Math.cos(a), Math.sin(a)] as const);
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const i = y * width + x;
      hist[data[i]!]!++;
      // One-pixel differences: a sharp (anti-aliased) step reads about 0.4, so real blur near 1 px shows.
      const gx = data[i + 1]! - data[i]!;
      const gy = data[i + width]! - data[i]!;
      if (unit.length === 0) slopes[0]![Math.min(255, Math.max(Math.abs(gx), Math.abs(gy)) | 0)]!++;
      for (let d = 0; d < unit.length; d++) slopes[d]![Math.min(255, Math.abs(gx * unit[d]![0] + gy * unit[d]![1]) | 0)]!++;
    }
  }
  const at = (h: Uint32Array, p: number): number => {
    let total = 0;
    for (const v of h) total += v;
    let acc = 0;
    for (let v = 0; v < 256; v++) if ((acc += h[v]!) >= p * total) return v;
    return 255;
  };
  return { contrast: at(hist, 0.95) - at(hist, 0.05), steepest: slopes.map((h) => at(h, 0.99)) };
}
