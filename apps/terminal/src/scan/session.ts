/**
 * What one scan screen saw, as evidence for the diagnosis engine (terminal SDK \`ScanSession\`):
 * frame defects from the scanner's analysis, every read, and a camera that could not start. The
 * "扫不出来？" panel on the scan screen sends it with the self-check.
 */
import { ScanSession, type FrameDefects } from '@scanpay/terminal-sdk';
import type { ScanProfile } from './profile.ts';

/** paycode \`Defect\` names → the SDK's frame defect flags. */
export function frameDefectsOf(defects: readonly string[]): FrameDefects {
  const has = (d: string) => defects.includes(d);
  return {
    ...(has('too_dark') || has('low_contrast') ? { tooDark: true } : {}),
    ...(has('glare') ? { glare: true } : {}),
    ...(has('blurry') ? { blur: true } : {}),
    ...(has('too_small') ? { tooSmall: true } : {}),
    ...(has('tilted') ? { tilt: true } : {}),
    ...(has('partly_out_of_view') ? { partlyOutOfView: true } : {}),
  };
}

export function newScanSession(profile: ScanProfile, frame?: { width: number; height: number }): ScanSession {
  return new ScanSession('camera', {
    ...(frame ? { frameWidth: frame.width, frameHeight: frame.height } : {}),
    profile: { scanRegion: Math.round(profile.region.width * profile.region.height * 100) / 100, illumination: profile.torch ? 'on' : 'off' },
  });
}
