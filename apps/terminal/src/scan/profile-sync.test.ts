import { describe, expect, it } from 'vitest';
import type { EffectiveScanProfile } from '@scanpay/contracts';
import { DEFAULT_SETTINGS, type TerminalSettings } from '../settings.ts';
import { explainCameraError } from './camera-errors.ts';
import { CENTER_REGION, DEFAULT_PROFILE, type ScanProfile } from './profile.ts';
import { PROFILE_REFRESH_MS, profileIsStale, scanProfileEvidence, withCameraOutcome, withLocalProfile, withPlatformProfile } from './profile-sync.ts';

const AT = '2026-11-28T03:30:00.000Z';
const STORE: ScanProfile = { ...DEFAULT_PROFILE, name: 'store', region: { x: 0.1, y: 0.1, width: 0.8, height: 0.5 }, frameIntervalMs: 150 };
const remote = (profile: ScanProfile, version: number): EffectiveScanProfile => ({ profile, version, source: 'terminal', updatedAt: AT });
const refused = explainCameraError(Object.assign(new Error('x'), { name: 'OverconstrainedError', constraint: 'width' }));

describe('the platform profile on the terminal', () => {
  it('asks the platform again between sales once the last answer is older than ten minutes', () => {
    expect(profileIsStale(DEFAULT_SETTINGS, Date.parse(AT))).toBe(true); // never asked
    const fetched = withPlatformProfile(DEFAULT_SETTINGS, remote(STORE, 7), AT);
    expect(profileIsStale(fetched, Date.parse(AT) + 60_000)).toBe(false);
    expect(profileIsStale(fetched, Date.parse(AT) + PROFILE_REFRESH_MS + 1)).toBe(true);
  });

  it('applies the operator profile and says where it came from', () => {
    const s = withPlatformProfile(DEFAULT_SETTINGS, remote(STORE, 7), AT);
    expect(s.profile).toEqual(STORE);
    expect(s.profileOrigin).toEqual({ source: 'platform', platformVersion: 7, platformScope: 'terminal', fetchedAt: AT });
  });

  it('keeps a local change until the operator publishes a new version, or the cashier restores', () => {
    const fromPlatform = withPlatformProfile(DEFAULT_SETTINGS, remote(STORE, 7), AT);
    const local = withLocalProfile(fromPlatform, { ...STORE, region: CENTER_REGION });
    expect(local.profileOrigin.source).toBe('local');
    expect(withPlatformProfile(local, remote(STORE, 7), AT).profile.region).toEqual(CENTER_REGION);
    expect(withPlatformProfile(local, remote(STORE, 7), AT, { force: true }).profile).toEqual(STORE);
    const newer = withPlatformProfile(local, remote({ ...STORE, frameIntervalMs: 300 }, 9), AT);
    expect(newer.profile.frameIntervalMs).toBe(300);
    expect(newer.profileOrigin.source).toBe('platform');
    // Saving without changing the profile (only the language, say) keeps it the platform's.
    expect(withLocalProfile(newer, newer.profile).profileOrigin.source).toBe('platform');
  });

  it('refuses a platform profile that fails its own checks, keeps the old one and reports it', () => {
    const bad = { ...STORE, region: { x: 0.9, y: 0, width: 0.5, height: 1 } };
    const s = withPlatformProfile(DEFAULT_SETTINGS, remote(bad, 4), AT);
    expect(s.profile).toEqual(DEFAULT_PROFILE);
    expect(s.profileOrigin.rejected).toEqual({ version: 4, fields: ['region'] });
    expect(scanProfileEvidence(s)).toMatchObject({ check: 'scan_profile', ok: false, problems: ['invalid'] });
  });

  it('reports a profile the camera could not honour until the camera takes one', () => {
    const applied = withPlatformProfile(DEFAULT_SETTINGS, remote(STORE, 7), AT);
    expect(scanProfileEvidence(applied)).toMatchObject({ ok: true, problems: [], profileId: 'platform:terminal@v7' });
    const afterRefusal = withCameraOutcome(applied, refused, AT);
    expect(afterRefusal.cameraRefusedProfile).toEqual({ profileName: 'store', constraint: 'width', at: AT });
    expect(scanProfileEvidence(afterRefusal)).toMatchObject({ ok: false, problems: ['invalid'] });
    // A camera that is merely busy says nothing about the profile.
    expect(withCameraOutcome(applied, explainCameraError(Object.assign(new Error('x'), { name: 'NotReadableError' })), AT)).toBe(applied);
    expect(withCameraOutcome(afterRefusal, null, AT).cameraRefusedProfile).toBeUndefined();
    // A new profile from the operator gets its own chance.
    expect(withPlatformProfile(afterRefusal, remote({ ...STORE, width: 640, height: 480 }, 8), AT).cameraRefusedProfile).toBeUndefined();
  });

  it('names a low resolution and a small region as their own problems', () => {
    const s: TerminalSettings = { ...DEFAULT_SETTINGS, profile: { ...DEFAULT_PROFILE, width: 320, height: 240, region: { x: 0.3, y: 0.3, width: 0.4, height: 0.4 } } };
    expect(scanProfileEvidence(s).problems).toEqual(['resolution_low', 'scan_region_small']);
  });
});
