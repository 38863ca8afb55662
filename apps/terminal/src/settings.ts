/** The terminal's local settings, kept in IndexedDB: language, scan profile, scanner-gun timing. */
import type { ScanProfileSource } from '@scanpay/contracts';
import type { Lang } from './i18n.tsx';
import { DEFAULT_PROFILE, type ScanProfile } from './scan/profile.ts';
import { DEFAULT_WEDGE_SETTINGS, type WedgeSettings } from './scan/wedge.ts';

/** Where the scan profile in force came from (shown in Settings, sent with the self-check). */
export interface ProfileOrigin {
  /** `platform`: the operator's profile as fetched; `local`: set on this terminal. */
  source: 'platform' | 'local';
  /** The platform's profile version last seen (null: never fetched). A new one replaces local edits. */
  platformVersion: number | null;
  /** Which scope of the platform the fetched profile was set on. */
  platformScope?: ScanProfileSource;
  fetchedAt?: string;
  /** A platform profile this app refused (its own checks failed): the version and the broken fields. */
  rejected?: { version: number; fields: string[] };
}

/** The camera could not honour the profile (OverconstrainedError) the last time the scanner opened. */
export interface CameraRefusal {
  profileName: string;
  constraint?: string;
  at: string;
}

export interface TerminalSettings {
  lang: Lang;
  profile: ScanProfile;
  profileOrigin: ProfileOrigin;
  cameraRefusedProfile?: CameraRefusal;
  wedge: WedgeSettings;
  /** Seconds the success screen stays before the next sale (UX.md: 3–5 s); 0 = stay. */
  autoContinueSeconds: number;
}

export const DEFAULT_SETTINGS: TerminalSettings = {
  lang: 'zh',
  profile: DEFAULT_PROFILE,
  profileOrigin: { source: 'local', platformVersion: null },
  wedge: DEFAULT_WEDGE_SETTINGS,
  autoContinueSeconds: 5,
};

/** Settings stored by an older version may miss fields: the defaults fill them. */
export function completeSettings(stored: Partial<TerminalSettings>): TerminalSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    profile: { ...DEFAULT_PROFILE, ...(stored.profile ?? {}) },
    profileOrigin: { ...DEFAULT_SETTINGS.profileOrigin, ...(stored.profileOrigin ?? {}) },
    wedge: { ...DEFAULT_WEDGE_SETTINGS, ...(stored.wedge ?? {}) },
  };
}
