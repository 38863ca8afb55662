/**
 * What a scanning session saw, for the diagnosis engine after repeated failures: how often each frame
 * defect occurred over the last frames, the best frame seen, and what the decoders tried.
 */
import { DEFECTS, type Defect, type FrameQuality } from './quality.ts';
import { HINT_FOR_DEFECT, HINT_IDS, type HintId } from './coach.ts';

const BY_URGENCY = [...DEFECTS].sort((a, b) => HINT_IDS.indexOf(HINT_FOR_DEFECT[a]) - HINT_IDS.indexOf(HINT_FOR_DEFECT[b]));

/** What the decoders tried (filled in by the scanner; frame analysis itself never decodes). */
export interface DecoderAttempts {
  frames: number;
  cheapPasses: number;
  /** Per expensive variant: runs, codes it found, and its cost. */
  variants: Record<string, { runs: number; reads: number; totalMs: number; maxMs: number }>;
  /** Reads withheld: two decoders disagreeing at one spot, untrusted or unconfirmed zbar text. */
  withheld: number;
}

export interface QualitySummary {
  score: number;
  brightness: number;
  kind: 'linear' | 'matrix' | null;
  sizePx: number | null;
  modulePx: number | null;
  contrast: number | null;
  blurPx: number | null;
  glare: number | null;
  tiltDeg: number | null;
  skewDeg: number | null;
  defects: Defect[];
}

export interface ScanEvidence {
  /** Frames looked back over, and how many of them there were so far. */
  windowFrames: number;
  frames: number;
  /** Frames since the session started. */
  totalFrames: number;
  /** Frames in the window with each defect. */
  defects: Record<Defect, number>;
  /** The defect seen most often in the window, if any. */
  dominantDefect: Defect | null;
  /** Its hint, the one the cashier most needs. */
  dominantHint: HintId | null;
  /** Frames in the window where something code-like was in view. */
  codeSeenFrames: number;
  /** The best frame of the whole session. */
  best: QualitySummary | null;
  decoder: DecoderAttempts;
}

export function summarize(q: FrameQuality): QualitySummary {
  const c = q.code;
  return {
    score: q.score,
    brightness: q.brightness,
    kind: c?.kind ?? null,
    sizePx: c?.sizePx ?? null,
    modulePx: c?.modulePx ?? null,
    contrast: c?.contrast ?? null,
    blurPx: c?.blurPx ?? null,
    glare: c?.glare ?? null,
    tiltDeg: c?.tiltDeg ?? null,
    skewDeg: c?.skewDeg ?? null,
    defects: [...q.defects],
  };
}

export function emptyAttempts(): DecoderAttempts {
  return { frames: 0, cheapPasses: 0, variants: {}, withheld: 0 };
}

export interface EvidenceWindow {
  push(quality: FrameQuality): void;
  evidence(decoder?: DecoderAttempts): ScanEvidence;
  reset(): void;
}

export function createEvidenceWindow(windowFrames = 30): EvidenceWindow {
  let recent: FrameQuality[] = [];
  let total = 0;
  let best: FrameQuality | null = null;
  return {
    push(quality) {
      recent.push(quality);
      if (recent.length > windowFrames) recent = recent.slice(-windowFrames);
      total++;
      if (!best || quality.score > best.score) best = quality;
    },
    evidence(decoder = emptyAttempts()) {
      const defects = Object.fromEntries(DEFECTS.map((d) => [d, 0])) as Record<Defect, number>;
      for (const q of recent) for (const d of q.defects) defects[d]++;
      // Most frequent wins; ties go to the more urgent hint (light before framing, "no code" last).
      let dominant: Defect | null = null;
      for (const d of BY_URGENCY) if (defects[d] > 0 && (dominant === null || defects[d] > defects[dominant])) dominant = d;
      return {
        windowFrames,
        frames: recent.length,
        totalFrames: total,
        defects,
        dominantDefect: dominant,
        dominantHint: dominant ? HINT_FOR_DEFECT[dominant] : null,
        codeSeenFrames: recent.filter((q) => q.code !== null).length,
        best: best ? summarize(best) : null,
        decoder: structuredClone(decoder),
      };
    },
    reset() {
      recent = [];
      total = 0;
      best = null;
    },
  };
}
