/** One-shot decoding of a still image, and the cheap pass every camera frame starts with. */
import type { ZXingReaderModule } from 'zxing-wasm/reader';
import { toGray, type GrayImage, type ImageDataLike } from '../frame/gray.ts';
import { judge, readKey } from './accept.ts';
import { findRois } from './rois.ts';
import { loadWasm } from './loader.ts';
import { isSmallImage, VARIANTS, type Roi, type Variant } from './variants.ts';
import { readWithZBar } from './zbar.ts';
import { readWithZXing, type ZXingOutcome } from './zxing.ts';
import type { DecodedCode, RawRead } from './types.ts';

export type Effort = 'fast' | 'normal' | 'high';

export type CheapPass = ZXingOutcome;

/**
 * zxing on the whole frame with tryHarder, but none of its costly retries: no inverted copy, no
 * downscaled copies, no 90° turn for upright barcodes. Each of those is an expensive variant (the
 * bar alignment reads barcodes at any angle) tried on a later frame.
 */
export function cheapPass(zxing: ZXingReaderModule, gray: GrayImage): CheapPass {
  return readWithZXing(zxing, gray, { tryHarder: true, tryRotate: false, tryInvert: false, tryDownscale: false, returnErrors: true });
}

/** The order the per-frame scanner and `decodeImage` try variants in: most useful first. */
export const VARIANT_ORDER: readonly string[] = [
  'small-zxing',
  'small-zbar',
  'roi-align',
  'roi-deblur',
  'roi-align-deblur',
  'roi-align-sharpen',
  'full-rotate',
  'roi-demoire',
  'full-invert',
  'roi-deblur-strong',
  'roi-sharpen',
  'roi-zbar',
  'roi-profile',
  'roi-upscale',
  'full-downscale',
  'roi-binarize',
  'roi-normalize',
  'roi-normalize-zbar',
  'roi-smooth',
  'roi-denoise',
];

export interface DecodeOutcome {
  codes: DecodedCode[];
  /** Every decoder call made, cheap pass included. */
  attempts: number;
  variantsTried: string[];
  /** Reads withheld: disagreements, untrusted zbar text, zbar Code 128 seen only once. */
  withheld: number;
  elapsedMs: number;
}

export interface DecodeImageOptions {
  effort?: Effort;
  /** Stop after this long (the current attempt finishes first). */
  budgetMs?: number;
}

const DEFAULT_BUDGET_MS: Record<Effort, number> = { fast: 100, normal: 400, high: 2000 };

/** Decodes a still image (an upload, a photo) as hard as `effort` allows. Needs `loadWasm` to have been called in the browser. */
export async function decodeImage(frame: ImageDataLike | GrayImage, options: DecodeImageOptions = {}): Promise<DecodeOutcome> {
  const started = performance.now();
  const effort = options.effort ?? 'normal';
  const budget = options.budgetMs ?? DEFAULT_BUDGET_MS[effort];
  const { zxing } = await loadWasm();
  const gray = toGray(frame);
  const outcome: DecodeOutcome = { codes: [], attempts: 1, variantsTried: ['cheap'], withheld: 0, elapsedMs: 0 };
  const finish = (): DecodeOutcome => ({ ...outcome, elapsedMs: performance.now() - started });

  const first = cheapPass(zxing, gray);
  const seen: TaggedRead[] = [];
  const settle = (variant: string): boolean => {
    // Judge everything read so far together: a second variant can confirm or contradict the first.
    const confirmedByTwo = new Set<string>();
    const counts = new Map<string, Set<string>>();
    for (const r of seen) counts.set(readKey(r), (counts.get(readKey(r)) ?? new Set<string>()).add(r.variant));
    for (const [key, variants] of counts) if (variants.size >= 2) confirmedByTwo.add(key);
    const verdict = judge(seen, variant, confirmedByTwo);
    outcome.codes = verdict.accepted;
    outcome.withheld = verdict.rejected + verdict.unconfirmed.length;
    return verdict.accepted.length > 0;
  };
  seen.push(...tagVariant(first.reads, 'cheap'));
  if (settle('cheap') || effort === 'fast') return finish();

  const rois = findRois(gray, first.located);
  const plan = planFor(effort, rois, isSmallImage(gray));
  for (const { variant, roi } of plan) {
    if (performance.now() - started > budget) break;
    const reads = tagVariant(await variant.run({ zxing, gray, roi }), variant.name);
    outcome.attempts++;
    outcome.variantsTried.push(roi ? `${variant.name}@${rois.indexOf(roi)}` : variant.name);
    seen.push(...reads);
    if (reads.length > 0 && settle(variant.name)) return finish();
  }
  if (effort === 'high' && performance.now() - started <= budget) {
    // Last resorts on the whole image: zbar everywhere, zxing with all of its own retries.
    seen.push(...tagVariant(await readWithZBar(gray), 'full-zbar'));
    seen.push(...tagVariant(readWithZXing(zxing, gray, {}).reads, 'full-zxing-default'));
    outcome.attempts += 2;
    outcome.variantsTried.push('full-zbar', 'full-zxing-default');
    settle('full');
  }
  return finish();
}

type TaggedRead = RawRead & { variant: string };

function tagVariant(reads: RawRead[], variant: string): TaggedRead[] {
  for (const r of reads) (r as TaggedRead).variant = variant;
  return reads as TaggedRead[];
}

function planFor(effort: Effort, rois: Roi[], small: boolean): { variant: Variant; roi?: Roi }[] {
  const plan: { variant: Variant; roi?: Roi }[] = [];
  const roiCount = effort === 'high' ? rois.length : Math.min(1, rois.length);
  for (let i = 0; i < Math.max(1, roiCount); i++) {
    for (const name of VARIANT_ORDER) {
      const variant = VARIANTS[name]!;
      if (variant.appliesTo(undefined, small)) {
        if (i === 0) plan.push({ variant });
      } else if (variant.appliesTo(rois[i], small)) {
        plan.push({ variant, roi: rois[i] });
      }
    }
  }
  return plan;
}
