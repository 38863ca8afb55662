/** The terminal's local settings, kept in IndexedDB: language, scan profile, scanner-gun timing. */
import type { Lang } from './i18n.tsx';
import { DEFAULT_PROFILE, type ScanProfile } from './scan/profile.ts';
import { DEFAULT_WEDGE_SETTINGS, type WedgeSettings } from './scan/wedge.ts';

export interface TerminalSettings {
  lang: Lang;
  profile: ScanProfile;
  wedge: WedgeSettings;
  /** Seconds the success screen stays before the next sale (UX.md: 3–5 s); 0 = stay. */
  autoContinueSeconds: number;
}

export const DEFAULT_SETTINGS: TerminalSettings = {
  lang: 'zh',
  profile: DEFAULT_PROFILE,
  wedge: DEFAULT_WEDGE_SETTINGS,
  autoContinueSeconds: 5,
};

/** Settings stored by an older version may miss fields: the defaults fill them. */
export function completeSettings(stored: Partial<TerminalSettings>): TerminalSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    profile: { ...DEFAULT_PROFILE, ...(stored.profile ?? {}) },
    wedge: { ...DEFAULT_WEDGE_SETTINGS, ...(stored.wedge ?? {}) },
  };
}
