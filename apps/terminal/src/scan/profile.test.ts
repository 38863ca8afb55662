import { describe, expect, it } from 'vitest';
import { explainCameraError } from './camera-errors.ts';
import { CENTER_REGION, checkProfile, DEFAULT_PROFILE, regionInPixels, toConstraints } from './profile.ts';

const domError = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

describe('scan profiles', () => {
  it('accepts the defaults and asks for the back camera as an ideal, never exact', () => {
    expect(checkProfile(DEFAULT_PROFILE)).toEqual([]);
    expect(toConstraints(DEFAULT_PROFILE)).toEqual({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  });

  it('asks for an exact size only when the profile says so', () => {
    const video = toConstraints({ ...DEFAULT_PROFILE, strictResolution: true, width: 1920, height: 1080 }).video;
    expect(video).toMatchObject({ width: { exact: 1920 }, height: { exact: 1080 } });
  });

  it('finds a region outside the frame, a region too small and an absurd resolution', () => {
    const offEdge = checkProfile({ ...DEFAULT_PROFILE, region: { x: 0.5, y: 0, width: 0.7, height: 1 } });
    expect(offEdge.map((p) => p.field)).toEqual(['region']);
    expect(offEdge[0]!.message.zh).toContain('扫码区域');
    expect(offEdge[0]!.message.en).toContain('inside the frame');
    expect(checkProfile({ ...DEFAULT_PROFILE, region: { x: 0.4, y: 0.4, width: 0.1, height: 0.1 } })[0]?.field).toBe('region');
    expect(checkProfile({ ...DEFAULT_PROFILE, width: 10 })[0]?.field).toBe('resolution');
    expect(checkProfile({ ...DEFAULT_PROFILE, frameIntervalMs: -1 })[0]?.field).toBe('frameIntervalMs');
  });

  it('turns a region into even pixel bounds inside the frame', () => {
    expect(regionInPixels(CENTER_REGION, 640, 480)).toEqual({ x: 128, y: 72, width: 384, height: 336 });
    expect(regionInPixels({ x: 0, y: 0, width: 1, height: 1 }, 641, 479)).toEqual({ x: 0, y: 0, width: 641, height: 479 });
  });
});

describe('camera problems explained', () => {
  it('tells the cashier how to allow a blocked camera', () => {
    const p = explainCameraError(domError('NotAllowedError'));
    expect(p.kind).toBe('permission_denied');
    expect(p.remedy.zh).toContain('允许');
    expect(p.remedy.en).toContain('Allow');
    expect(p.retryWithDefaults).toBe(false);
  });

  it('names the constraint a camera refused and falls back to the defaults', () => {
    const p = explainCameraError(domError('OverconstrainedError', { constraint: 'width' }));
    expect(p).toMatchObject({ kind: 'profile_unsupported', constraint: 'width', retryWithDefaults: true });
    expect(p.message.zh).toContain('width');
  });

  it('separates no camera, a busy camera, an insecure page and the unknown', () => {
    expect(explainCameraError(domError('NotFoundError')).kind).toBe('no_camera');
    expect(explainCameraError(domError('NotReadableError')).kind).toBe('camera_busy');
    expect(explainCameraError(undefined, { hasMediaDevices: false, secureContext: false }).kind).toBe('insecure_context');
    expect(explainCameraError(undefined, { hasMediaDevices: false, secureContext: true }).kind).toBe('unsupported_browser');
    expect(explainCameraError(new Error('boom')).kind).toBe('unknown');
  });
});
