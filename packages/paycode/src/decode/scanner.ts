/**
 * The per-camera-session scanner. Every frame gets the cheap pass; a frame the cheap pass cannot read
 * also gets the next expensive variant in rotation, so hard codes are attacked from several sides over
 * consecutive frames while no single frame costs much more than a plain decode. Unread frames are
 * also analysed (brightness, blur, glare, size, tilt…) for live coaching and, after repeated
 * failures, for the diagnosis engine's evidence.
 */
import type { ZXingReaderModule } from 'zxing-wasm/reader';
import { toGray, type GrayImage, type ImageDataLike } from '../frame/gray.ts';
import { analyzeFrame, type FrameQuality } from '../frame/quality.ts';
import { createCoach, type CoachingHint, type CoachOptions } from '../frame/coach.ts';
import { createEvidenceWindow, type DecoderAttempts, type ScanEvidence } from '../frame/evidence.ts';
import { classifyScannedText } from '../classify.ts';
import { judge, readKey } from './accept.ts';
import { cheapPass, VARIANT_ORDER } from './cascade.ts';
import { decoderRegions, findRois, overlapShare } from './rois.ts';
import { isSmallImage, VARIANTS, type Roi, type Variant } from './variants.ts';
import type { DecodedCode, RawRead } from './types.ts';

export interface FrameScannerOptions {
  /**
   * Expensive variants per unread frame (default 1; on frames up to VGA, whose cheap pass costs a
   * quarter of a 720p one, up to 3 while they fit in half the frame budget).
   */
  variantsPerFrame?: number;
  variantOrder?: readonly string[];
  /** How many frames an unconfirmed read waits for its second read (default 8). */
  confirmWithinFrames?: number;
  /** Analyse unread frames for coaching and evidence (default true) … */
  analyze?: boolean;
  /** … every n-th unread frame (default 3: about 10 a second at 30 fps, plenty for a hint). */
  analyzeEvery?: number;
  coach?: CoachOptions;
  /** Frames the evidence looks back over (default 30). */
  evidenceFrames?: number;
  /**
   * Wall ms a frame should stay within (default 50). A variant that would not fit after a slow cheap
   * pass (and the analysis, on frames that get one) waits for the next frame (once in a row, so it
   * cannot be put off for ever).
   */
  frameBudgetMs?: number;
}

export type { DecoderAttempts, ScanEvidence };

export interface ScanFrameResult {
  frameIndex: number;
  /** The code to act on in this frame, if any: a payment code before any other symbol read with it. */
  code: DecodedCode | null;
  /** Every symbol accepted in this frame (a screen can show two, or a code sit inside another). */
  codes: DecodedCode[];
  /** The expensive variant(s) tried on this frame. */
  variants: string[];
  /** The regions the frame analysis or the decoders pointed at (frame pixels). */
  rois: Roi[];
  /** Quality of an unread frame (null when the frame was read, was not among those analysed, or analysis is off). */
  quality: FrameQuality | null;
  /** The coaching hint to show now (smoothed over recent frames), or null. */
  hint: CoachingHint | null;
  elapsedMs: number;
}

export interface FrameScanner {
  scanFrame(frame: ImageDataLike | GrayImage): Promise<ScanFrameResult>;
  attempts(): DecoderAttempts;
  /** Defect counts over the last frames, the best frame, and the decoder attempts: for diagnosis. */
  evidence(): ScanEvidence;
  reset(): void;
}

/** What a variant is assumed to cost before this device has timed it. */
const HEAVY_PRIOR_MS = 20;
const LIGHT_PRIOR_MS = 5;

/**
 * What each variant costs on this device, by frame size, over every session so far (a moving
 * average: the device's speed outlives one camera session, and its load changes slowly).
 */
const deviceCosts = new Map<string, number>();
const ANALYSIS_COST = 'frame-analysis';
const costKey = (variant: Variant, small: boolean): string => `${variant.name}:${small ? 'small' : 'large'}`;

function learnCost(key: string, ms: number): void {
  const before = deviceCosts.get(key);
  deviceCosts.set(key, before === undefined ? ms : 0.8 * before + 0.2 * ms);
}

interface Pending {
  read: RawRead;
  variant: string;
  frame: number;
  /** Where the variant ran; the next frame repeats it there to confirm (once). */
  roi?: Roi;
  retried: boolean;
}

function paymentCodesFirst(codes: DecodedCode[]): DecodedCode[] {
  const isPayment = (c: DecodedCode): number => (classifyScannedText(c.payload).kind === 'payment_code' ? 0 : 1);
  return [...codes].sort((a, b) => isPayment(a) - isPayment(b));
}

export function createFrameScanner(zxing: ZXingReaderModule, options: FrameScannerOptions = {}): FrameScanner {
  const order = options.variantOrder ?? VARIANT_ORDER;
  const confirmWindow = options.confirmWithinFrames ?? 8;
  let frameIndex = 0;
  let cursor = 0;
  let regionStep = 0;
  let postponed = false;
  const budgetMs = options.frameBudgetMs ?? 50;
  let lastRois: Roi[] = [];
  let pending: Pending[] = [];
  let stats: DecoderAttempts;
  const analyze = options.analyze ?? true;
  const analyzeEvery = Math.max(1, options.analyzeEvery ?? 3);
  let unread = 0;
  const coach = createCoach(options.coach);
  const window = createEvidenceWindow(options.evidenceFrames ?? 30);

  const reset = (): void => {
    frameIndex = 0;
    unread = 0;
    cursor = 0;
    regionStep = 0;
    postponed = false;
    lastRois = [];
    pending = [];
    stats = { frames: 0, cheapPasses: 0, variants: {}, withheld: 0 };
    coach.reset();
    window.reset();
  };
  reset();

  /** What a variant is expected to cost on a frame like this one (a prior until it ran on this device). */
  const expectedMs = (variant: Variant, small: boolean): number =>
    deviceCosts.get(costKey(variant, small)) ?? (variant.heavy ? HEAVY_PRIOR_MS : LIGHT_PRIOR_MS);

  /** A read confirms a pending one when it came from another frame or another variant. */
  const confirmedKeys = (reads: RawRead[], variant: string): Set<string> => {
    const keys = new Set<string>();
    for (const p of pending) {
      if (frameIndex - p.frame > confirmWindow) continue;
      const again = reads.some((r) => readKey(r) === readKey(p.read));
      if (again && (p.frame !== frameIndex || p.variant !== variant)) keys.add(readKey(p.read));
    }
    return keys;
  };

  const settle = (reads: RawRead[], variant: string, roi?: Roi): DecodedCode[] => {
    const verdict = judge(reads, variant, confirmedKeys(reads, variant));
    stats.withheld += verdict.rejected;
    for (const read of verdict.unconfirmed) pending.push({ read, variant, frame: frameIndex, roi, retried: false });
    pending = pending.filter((p) => frameIndex - p.frame <= confirmWindow);
    return paymentCodesFirst(verdict.accepted);
  };

  /**
   * The next variant in rotation that can run; later rounds move on to the second and third region.
   * A read that waits for confirmation comes first: the variant that found it runs again on this
   * frame, since the rotation would only come back to it many frames later.
   */
  const nextVariant = (rois: Roi[], small: boolean): { variant: Variant; roi?: Roi; undo: () => void } | null => {
    const waiting = pending.find((p) => !p.retried && p.frame < frameIndex && VARIANTS[p.variant]);
    if (waiting) {
      waiting.retried = true;
      const variant = VARIANTS[waiting.variant]!;
      const roi = waiting.roi && (rois.find((r) => overlapShare(r, waiting.roi!) > 0.5) ?? waiting.roi);
      if (variant.appliesTo(roi, small)) return { variant, roi, undo: () => (waiting.retried = false) };
    }
    const saved = { cursor, regionStep };
    const undo = (): void => {
      cursor = saved.cursor;
      regionStep = saved.regionStep;
    };
    for (let tries = 0; tries < order.length; tries++) {
      const name = order[cursor % order.length]!;
      const round = Math.floor(cursor / order.length);
      const variant = VARIANTS[name];
      if (variant?.everyRegion) {
        // A light variant goes through every region it applies to, a frame each, before the rotation moves on.
        const fits = rois.filter((r) => variant.appliesTo(r, small));
        const roi = fits[regionStep];
        if (roi && regionStep + 1 < fits.length) regionStep++;
        else {
          regionStep = 0;
          cursor++;
        }
        if (roi) return { variant, roi, undo };
        continue;
      }
      cursor++;
      if (!variant) continue;
      if (variant.appliesTo(undefined, small)) return { variant, undo };
      // Later rounds take the next region this variant works on (a QR variant skips barcode-like regions).
      const fits = rois.filter((r) => variant.appliesTo(r, small));
      if (fits.length > 0) return { variant, roi: fits[round % fits.length], undo };
    }
    return null;
  };

  return {
    async scanFrame(frame) {
      const started = performance.now();
      const gray = toGray(frame);
      frameIndex++;
      stats.frames++;
      stats.cheapPasses++;
      const first = cheapPass(zxing, gray);
      const codes = settle(first.reads, 'cheap');
      const result: ScanFrameResult = { frameIndex, code: codes[0] ?? null, codes, variants: [], rois: [], quality: null, hint: null, elapsedMs: 0 };
      if (!result.code) {
        const regions = decoderRegions(gray);
        const rois = findRois(gray, first.located, regions);
        result.rois = rois.length > 0 ? rois : lastRois;
        lastRois = result.rois;
        const small = isSmallImage(gray);
        let next = nextVariant(result.rois, small);
        // On a big frame the analysis waits for a frame whose variant is light, so no frame pays for both.
        const analyzeNow = analyze && unread % analyzeEvery === 0 && (small || !next?.variant.heavy);
        if (next) {
          // A variant that would take the frame past its budget (after a slow cheap pass, or with the
          // analysis) waits for the next frame — once in a row, so it cannot be put off for ever.
          const expected = expectedMs(next.variant, small) + (analyzeNow ? (deviceCosts.get(ANALYSIS_COST) ?? LIGHT_PRIOR_MS) : 0);
          if (performance.now() - started + expected > budgetMs && !postponed) {
            next.undo();
            next = null;
          }
          postponed = next === null;
        }
        if (analyzeNow) {
          unread++;
          const analysisStarted = performance.now();
          result.quality = analyzeFrame(gray);
          learnCost(ANALYSIS_COST, performance.now() - analysisStarted);
          result.hint = coach.push(result.quality);
          window.push(result.quality);
        } else {
          if (!analyze || unread % analyzeEvery !== 0) unread++;
          result.hint = coach.current();
        }
        const perFrame = Math.max(1, options.variantsPerFrame ?? (small ? 3 : 1));
        for (let k = 0; k < perFrame && !result.code; k++) {
          if (k > 0) {
            next = nextVariant(result.rois, small);
            // Further variants only while the frame stays well inside its budget.
            if (next && performance.now() - started + expectedMs(next.variant, small) > budgetMs / 2) {
              next.undo();
              break;
            }
          }
          if (!next) break;
          const variantStarted = performance.now();
          const reads = await next.variant.run({ zxing, gray, roi: next.roi });
          const spent = performance.now() - variantStarted;
          learnCost(costKey(next.variant, small), spent);
          const counter = (stats.variants[next.variant.name] ??= { runs: 0, reads: 0, totalMs: 0, maxMs: 0 });
          counter.runs++;
          counter.totalMs += spent;
          counter.maxMs = Math.max(counter.maxMs, spent);
          result.variants.push(next.variant.name);
          result.codes = settle(reads, next.variant.name, next.roi);
          result.code = result.codes[0] ?? null;
          if (result.code) counter.reads++;
        }
      }
      result.elapsedMs = performance.now() - started;
      return result;
    },
    attempts: () => structuredClone(stats),
    evidence: () => window.evidence(stats),
    reset,
  };
}
