/**
 * A USB or Bluetooth scanner gun in keyboard mode ("wedge") types the code as a fast burst of keys
 * ending in Enter (some guns: Tab). A person types the same keys far more slowly. We tell them apart
 * by the gaps between keys only (UX.md §4): a run of at least `minLength` characters whose average gap
 * stays under `maxAverageGapMs` and no gap above `maxGapMs`. Guns differ (≈10 ms to ≈80 ms with 100 ms
 * peaks), so the thresholds are calibrated per device from a few sample scans.
 *
 * Pure: the caller passes each key and its event time; nothing here touches the DOM.
 */

export interface WedgeSettings {
  /** The average gap between the keys of one scan stays at or under this (ms). */
  maxAverageGapMs: number;
  /** No single gap inside a scan is longer than this (ms); a longer pause starts a new run. */
  maxGapMs: number;
  /** Shorter runs are never taken for a scan (payment codes have 16–24 characters). */
  minLength: number;
  suffixKeys: readonly string[];
}

export const DEFAULT_WEDGE_SETTINGS: WedgeSettings = {
  maxAverageGapMs: 35,
  maxGapMs: 100,
  minLength: 8,
  suffixKeys: ['Enter', 'Tab'],
};

export type WedgeVerdict =
  /**
   * A gun scan: `text` is the fast run only, `length` characters that a screen may have to take
   * back. `full` is every key since the last verdict: when a busy page stalled the burst half-way,
   * the run is only its tail and `full` is the code (the caller classifies both).
   */
  | { kind: 'scan'; text: string; full: string; length: number; averageGapMs: number; maxGapMs: number }
  /** A suffix key after keys typed by a person (or nothing): not a scan. */
  | { kind: 'typed'; text: string };

export interface WedgeDetector {
  /** Feed every key press (KeyboardEvent.key and .timeStamp). A suffix key gets a verdict; others null. */
  key(key: string, atMs: number): WedgeVerdict | null;
  /** Whether the last keys look like a gun burst in progress (long enough and fast enough so far). */
  bursting(atMs: number): boolean;
  /** The gaps of the current run, for calibration. */
  currentGaps(): number[];
  reset(): void;
}

export function createWedgeDetector(settings: WedgeSettings = DEFAULT_WEDGE_SETTINGS): WedgeDetector {
  let run = '';
  let gaps: number[] = [];
  let lastAt: number | undefined;
  let typedBeforeRun = '';

  const reset = () => {
    run = '';
    gaps = [];
    lastAt = undefined;
    typedBeforeRun = '';
  };

  const average = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  const looksFast = (g: number[]) => average(g) <= settings.maxAverageGapMs && g.every((x) => x <= settings.maxGapMs);

  return {
    key(key, atMs) {
      const gap = lastAt === undefined ? undefined : atMs - lastAt;
      if (settings.suffixKeys.includes(key)) {
        const withSuffix = gap === undefined ? gaps : [...gaps, gap];
        const verdict: WedgeVerdict =
          run.length >= settings.minLength && looksFast(withSuffix)
            ? {
                kind: 'scan',
                text: run,
                full: typedBeforeRun + run,
                length: run.length,
                averageGapMs: Math.round(average(gaps) * 10) / 10,
                maxGapMs: Math.max(0, ...gaps),
              }
            : { kind: 'typed', text: typedBeforeRun + run };
        reset();
        return verdict;
      }
      // Shift, Control and the like come with some guns' letters: they are not characters.
      if (key.length !== 1) return null;
      if (gap !== undefined && gap > settings.maxGapMs) {
        // A pause: what came before was typed by a person (or an earlier, unfinished burst).
        typedBeforeRun += run;
        run = '';
        gaps = [];
      } else if (gap !== undefined) {
        gaps.push(gap);
      }
      run += key;
      lastAt = atMs;
      return null;
    },
    bursting(atMs) {
      if (lastAt === undefined || atMs - lastAt > settings.maxGapMs) return false;
      return run.length >= 3 && looksFast(gaps);
    },
    currentGaps: () => [...gaps],
    reset,
  };
}

/**
 * Thresholds from sample scans (the gaps inside each): half again the slowest average and the
 * longest gap seen, kept within limits that a person typing cannot reach (an average under 100 ms
 * over 8+ keys), and never below the defaults' sensitivity floor.
 */
export function calibrateWedge(
  sampleGaps: readonly (readonly number[])[],
  base: WedgeSettings = DEFAULT_WEDGE_SETTINGS,
): WedgeSettings {
  const usable = sampleGaps.filter((g) => g.length >= 3);
  if (usable.length === 0) return base;
  const slowestAverage = Math.max(...usable.map((g) => g.reduce((a, b) => a + b, 0) / g.length));
  const longestGap = Math.max(...usable.map((g) => Math.max(...g)));
  const maxAverageGapMs = clamp(Math.ceil(slowestAverage * 1.5), 20, 100);
  const maxGapMs = clamp(Math.ceil(Math.max(longestGap * 1.5, maxAverageGapMs * 2)), 50, 250);
  return { ...base, maxAverageGapMs, maxGapMs };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
