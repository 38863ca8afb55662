/**
 * The camera test of the self-check: the camera looks at a known test pattern (a code whose text
 * the app knows) and this turns what the decoder and the frame analysis made of it into
 * evidence. The capture itself belongs to the app; this part is pure.
 */
import type { CameraCheck } from '@scanpay/diagnosis';

export interface TestPatternResult {
  /** The text the pattern encodes. */
  expectedText: string;
  /** What the decoder read from the frames (null: nothing). */
  decodedText: string | null;
  /** 0..1 sharpness of the best frame, from the frame analysis, if the app ran it. */
  sharpness?: number;
  /** The camera could not be opened at all. */
  cameraError?: 'no_camera' | 'permission_denied';
}

/** Below this sharpness a camera that still reads the pattern is called degraded. */
export const DEGRADED_SHARPNESS = 0.4;

export function cameraCheckFromTestPattern(r: TestPatternResult): CameraCheck {
  const base = { kind: 'self_check', check: 'camera' } as const;
  if (r.cameraError) return { ...base, result: r.cameraError };
  const decodedKnownPattern = r.decodedText !== null && r.decodedText.trim() === r.expectedText.trim();
  const sharpness = r.sharpness === undefined ? {} : { sharpness: Math.max(0, Math.min(1, r.sharpness)) };
  if (!decodedKnownPattern) return { ...base, result: 'fail', decodedKnownPattern, ...sharpness };
  const degraded = r.sharpness !== undefined && r.sharpness < DEGRADED_SHARPNESS;
  return { ...base, result: degraded ? 'degraded' : 'pass', decodedKnownPattern, ...sharpness };
}
