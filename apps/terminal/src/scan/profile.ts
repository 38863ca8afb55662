/**
 * Scan configuration as a profile (PRODUCT.md: "scan configuration profiles … misconfiguration
 * detected"): which camera, what resolution, which part of the frame is decoded, and the torch.
 * A profile is checked before use, and one the camera cannot honour is explained, then replaced by
 * the defaults (see camera-errors.ts). The operator sets it on the platform (profile-sync.ts).
 */
import { DEFAULT_SCAN_PROFILE, scanProfileProblems, type ScanProfile, type ScanProfileProblem, type ScanRegion } from '@scanpay/contracts';

// One schema for the platform and the terminal (`@scanpay/contracts`): a profile the operator could
// save is one this app accepts, and the other way round.
export type { ScanProfile, ScanRegion } from '@scanpay/contracts';
export type ProfileProblem = ScanProfileProblem;

export const FULL_FRAME: ScanRegion = { x: 0, y: 0, width: 1, height: 1 };
export const CENTER_REGION: ScanRegion = { x: 0.2, y: 0.15, width: 0.6, height: 0.7 };

export const DEFAULT_PROFILE: ScanProfile = DEFAULT_SCAN_PROFILE;

export const RESOLUTIONS: readonly { width: number; height: number }[] = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

/** What is wrong with a profile before it reaches the camera (empty when it is usable). */
export function checkProfile(p: ScanProfile): ProfileProblem[] {
  return scanProfileProblems(p);
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
