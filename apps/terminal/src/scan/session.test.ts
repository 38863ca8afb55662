import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from './profile.ts';
import { frameDefectsOf, newScanSession } from './session.ts';

describe('a scan screen as diagnosis evidence', () => {
  it('maps the frame analysis defects onto the SDK flags', () => {
    expect(frameDefectsOf(['too_dark', 'blurry'])).toEqual({ tooDark: true, blur: true });
    expect(frameDefectsOf(['too_small', 'partly_out_of_view', 'tilted', 'glare'])).toEqual({ tooSmall: true, partlyOutOfView: true, tilt: true, glare: true });
    expect(frameDefectsOf(['no_code'])).toEqual({});
  });

  it('counts frames, defects and a collection code read by the camera', () => {
    const session = newScanSession(DEFAULT_PROFILE, { width: 640, height: 480 });
    session.frame(frameDefectsOf(['too_dark']));
    session.read(null);
    session.frame(frameDefectsOf([]));
    session.read('https://qr.alipay.com/fkx12345abcde');
    expect(session.evidence()).toMatchObject({
      kind: 'scan', input: 'camera', frames: 2, tooDark: 1, decodeAttempts: 2, collectionCodes: 1, frameWidth: 640,
      profile: { scanRegion: 1, illumination: 'off' },
    });
  });
});
