/**
 * Scan configuration as a profile (PRODUCT.md: "scan configuration profiles … misconfiguration
 * detected"): which camera, what resolution, which part of the frame is decoded, and the torch.
 * A profile is checked before use, and one the camera cannot honour is explained, then replaced by
 * the defaults (see camera-errors.ts).
 */
export interface ScanRegion {
  /** Fractions of the frame, 0–1: the part that is decoded and outlined in the viewfinder. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ScanProfile {
  name: string;
  facingMode: 'environment' | 'user';
  /** Asked for as `ideal`: a camera that cannot do it gives the nearest it can. */
  width: number;
  height: number;
  /** `exact` asks for exactly this size and fails (OverconstrainedError) when the camera cannot. */
  strictResolution: boolean;
  region: ScanRegion;
  torch: boolean;
  /** Pause between decoded frames, so the decoder never takes the whole CPU of a small POS. */
  frameIntervalMs: number;
}

export const FULL_FRAME: ScanRegion = { x: 0, y: 0, width: 1, height: 1 };
export const CENTER_REGION: ScanRegion = { x: 0.2, y: 0.15, width: 0.6, height: 0.7 };

export const DEFAULT_PROFILE: ScanProfile = {
  name: 'default',
  facingMode: 'environment',
  width: 1280,
  height: 720,
  strictResolution: false,
  region: FULL_FRAME,
  torch: false,
  frameIntervalMs: 80,
};

export const RESOLUTIONS: readonly { width: number; height: number }[] = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

export type ProfileProblem =
  | { field: 'resolution'; detail: string }
  | { field: 'region'; detail: string }
  | { field: 'frameIntervalMs'; detail: string };

/** What is wrong with a profile before it reaches the camera (empty when it is usable). */
export function checkProfile(p: ScanProfile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const okSize = (v: number) => Number.isInteger(v) && v >= 160 && v <= 4096;
  if (!okSize(p.width) || !okSize(p.height)) {
    problems.push({ field: 'resolution', detail: `${p.width}×${p.height} is outside 160–4096 px` });
  }
  const r = p.region;
  const inUnit = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
  if (![r.x, r.y, r.width, r.height].every(inUnit) || r.x + r.width > 1.0001 || r.y + r.height > 1.0001) {
    problems.push({ field: 'region', detail: 'the scan region must lie inside the frame' });
  } else if (r.width < 0.2 || r.height < 0.2) {
    problems.push({ field: 'region', detail: 'the scan region is too small to hold a payment code' });
  }
  if (!Number.isFinite(p.frameIntervalMs) || p.frameIntervalMs < 0 || p.frameIntervalMs > 2000) {
    problems.push({ field: 'frameIntervalMs', detail: 'the pause between frames must be 0–2000 ms' });
  }
  return problems;
}

/** getUserMedia constraints for a profile (FEASIBILITY.md §1: `ideal` environment works everywhere). */
export function toConstraints(p: ScanProfile): MediaStreamConstraints {
  const size = p.strictResolution
    ? { width: { exact: p.width }, height: { exact: p.height } }
    : { width: { ideal: p.width }, height: { ideal: p.height } };
  return { audio: false, video: { facingMode: { ideal: p.facingMode }, ...size } };
}

/** The region in pixels of a frame of the given size, rounded to whole, even pixels. */
export function regionInPixels(region: ScanRegion, frameWidth: number, frameHeight: number) {
  const even = (v: number) => Math.max(0, Math.round(v / 2) * 2);
  const x = even(region.x * frameWidth);
  const y = even(region.y * frameHeight);
  return {
    x,
    y,
    width: Math.min(frameWidth - x, even(region.width * frameWidth)),
    height: Math.min(frameHeight - y, even(region.height * frameHeight)),
  };
}
