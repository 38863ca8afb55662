/**
 * Opens the camera for a scan profile. A profile the camera refuses (OverconstrainedError) is
 * explained and the defaults are tried instead; permission and hardware problems are explained
 * and leave the scanner gun and typing working.
 */
import { explainCameraError, type CameraProblem } from './camera-errors.ts';
import { checkProfile, DEFAULT_PROFILE, toConstraints, type ScanProfile } from './profile.ts';

export interface CameraSession {
  stream: MediaStream;
  track: MediaStreamTrack;
  profile: ScanProfile;
  /** Present when the device reports a torch (`getCapabilities().torch`). */
  hasTorch: boolean;
  setTorch(on: boolean): Promise<boolean>;
  stop(): void;
}

export type CameraOpenResult =
  | { ok: true; session: CameraSession; /** The chosen profile could not be used: why, and that defaults run. */ warning?: CameraProblem }
  | { ok: false; problem: CameraProblem };

type TorchCapabilities = MediaTrackCapabilities & { torch?: boolean };

function sessionOf(stream: MediaStream, profile: ScanProfile): CameraSession {
  const track = stream.getVideoTracks()[0]!;
  const caps = (track.getCapabilities?.() ?? {}) as TorchCapabilities;
  const hasTorch = caps.torch === true;
  const setTorch = async (on: boolean) => {
    if (!hasTorch) return false;
    try {
      await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
      return true;
    } catch {
      return false;
    }
  };
  return { stream, track, profile, hasTorch, setTorch, stop: () => stream.getTracks().forEach((t) => t.stop()) };
}

export async function openCamera(profile: ScanProfile): Promise<CameraOpenResult> {
  const media = globalThis.navigator?.mediaDevices;
  if (!media?.getUserMedia) {
    return { ok: false, problem: explainCameraError(undefined, { hasMediaDevices: false, secureContext: globalThis.isSecureContext }) };
  }
  let warning: CameraProblem | undefined;
  let chosen = profile;
  if (checkProfile(profile).length > 0) {
    // A broken profile is a misconfiguration: say so and run the defaults.
    warning = explainCameraError(Object.assign(new Error('bad profile'), { name: 'OverconstrainedError', constraint: checkProfile(profile)[0]!.field }));
    chosen = DEFAULT_PROFILE;
  }
  try {
    const stream = await media.getUserMedia(toConstraints(chosen));
    return { ok: true, session: await withTorch(sessionOf(stream, chosen)), ...(warning ? { warning } : {}) };
  } catch (err) {
    const problem = explainCameraError(err);
    if (!problem.retryWithDefaults || chosen === DEFAULT_PROFILE) return { ok: false, problem };
    try {
      const stream = await media.getUserMedia(toConstraints(DEFAULT_PROFILE));
      return { ok: true, session: sessionOf(stream, DEFAULT_PROFILE), warning: problem };
    } catch (again) {
      return { ok: false, problem: explainCameraError(again) };
    }
  }
}

async function withTorch(session: CameraSession): Promise<CameraSession> {
  if (session.profile.torch) await session.setTorch(true);
  return session;
}
