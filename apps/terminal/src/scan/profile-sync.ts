/**
 * The scan profile between the platform and this terminal. The operator's profile
 * (`GET /v1/terminals/self/config`) is fetched at start and after activation and applied; a profile
 * changed here in Settings stays until the operator publishes a new version (then the platform's
 * wins again: the fleet stays under the operator's control). What is wrong with the profile in
 * force, including a camera that could not honour it, becomes self-check evidence for the
 * diagnosis (`self_check.scan_profile`).
 */
import type { EffectiveScanProfile } from '@scanpay/contracts';
import type { DiagnoseFailureInput } from '@scanpay/terminal-sdk';
import type { TerminalSettings } from '../settings.ts';
import type { CameraProblem } from './camera-errors.ts';
import { checkProfile, type ScanProfile } from './profile.ts';

type ScanProfileCheck = Extract<NonNullable<DiagnoseFailureInput['evidence']>[number], { check: 'scan_profile' }>;

const same = (a: ScanProfile, b: ScanProfile) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Settings with the platform's profile applied. Kept as they are when the cashier changed the
 * profile here after the same platform version (unless `force`: 恢复推荐配置), and when the platform's
 * profile fails this app's own checks (then that refusal is recorded as evidence).
 */
export function withPlatformProfile(s: TerminalSettings, remote: EffectiveScanProfile, at: string, opts: { force?: boolean } = {}): TerminalSettings {
  const seen = { platformVersion: remote.version, platformScope: remote.source, fetchedAt: at };
  const problems = checkProfile(remote.profile);
  if (problems.length > 0) {
    return { ...s, profileOrigin: { ...s.profileOrigin, ...seen, rejected: { version: remote.version, fields: problems.map((p) => p.field) } } };
  }
  if (!opts.force && s.profileOrigin.source === 'local' && s.profileOrigin.platformVersion === remote.version) {
    return { ...s, profileOrigin: { ...s.profileOrigin, fetchedAt: at } };
  }
  const changed = !same(s.profile, remote.profile);
  const { cameraRefusedProfile, ...rest } = s;
  return {
    ...rest,
    profile: changed ? remote.profile : s.profile,
    profileOrigin: { source: 'platform', ...seen },
    // A refusal was about the old profile; a new one gets its own chance.
    ...(changed || !cameraRefusedProfile ? {} : { cameraRefusedProfile }),
  };
}

/** How old the last look at the operator's profile may get before the next one (between sales). */
export const PROFILE_REFRESH_MS = 10 * 60_000;

/** Whether to ask the platform again: never asked, or asked longer ago than PROFILE_REFRESH_MS. */
export function profileIsStale(s: TerminalSettings, now: number): boolean {
  const at = s.profileOrigin.fetchedAt ? Date.parse(s.profileOrigin.fetchedAt) : Number.NaN;
  return !Number.isFinite(at) || now - at > PROFILE_REFRESH_MS;
}

/** Settings after the cashier saved a profile in Settings (a change makes it local). */
export function withLocalProfile(s: TerminalSettings, profile: ScanProfile): TerminalSettings {
  if (same(s.profile, profile)) return s;
  const { cameraRefusedProfile: _old, ...rest } = s;
  return { ...rest, profile, profileOrigin: { ...s.profileOrigin, source: 'local' } };
}

/**
 * What the scanner's camera made of the profile: a refusal (OverconstrainedError, the defaults ran
 * instead) is remembered, so the self-check in Settings reports it too; a camera that took the
 * profile clears it. Returns the same object when nothing changes.
 */
export function withCameraOutcome(s: TerminalSettings, warning: CameraProblem | null, at: string): TerminalSettings {
  if (warning?.kind === 'profile_unsupported') {
    return { ...s, cameraRefusedProfile: { profileName: s.profile.name, ...(warning.constraint ? { constraint: warning.constraint } : {}), at } };
  }
  if (!warning && s.cameraRefusedProfile) {
    const { cameraRefusedProfile: _gone, ...rest } = s;
    return rest;
  }
  return s;
}

/** The short side under which a phone screen's code is read poorly (the diagnosis' "resolution low"). */
const MIN_SHORT_SIDE = 480;
/** A region smaller than this share of the frame makes the cashier aim (the diagnosis' "region small"). */
const MIN_REGION_AREA = 0.25;

/** `self_check.scan_profile`: the profile in force, checked, with the camera's refusal if any. */
export function scanProfileEvidence(s: TerminalSettings): ScanProfileCheck {
  const p = s.profile;
  const problems: ScanProfileCheck['problems'] = [];
  if (checkProfile(p).length > 0 || s.cameraRefusedProfile || s.profileOrigin.rejected) problems.push('invalid');
  if (Math.min(p.width, p.height) < MIN_SHORT_SIDE) problems.push('resolution_low');
  if (p.region.width * p.region.height < MIN_REGION_AREA) problems.push('scan_region_small');
  const o = s.profileOrigin;
  const profileId = `${o.source === 'platform' ? `platform:${o.platformScope ?? '?'}` : 'local'}@v${o.platformVersion ?? 0}`;
  return { kind: 'self_check', check: 'scan_profile', ok: problems.length === 0, problems, profileId, origin: 'terminal', at: new Date().toISOString() };
}
