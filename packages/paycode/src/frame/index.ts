/**
 * Frame analysis without decoding (pure TypeScript, no wasm): brightness, contrast, blur, glare, code
 * size, tilt and framing of a camera frame, turned into coaching hints (zh/en) and, over a session,
 * into the evidence the diagnosis engine reads.
 */
export { analyzeFrame, DEFECTS, LIMITS, locateAtTwoScales, type CodeQuality, type Defect, type FrameQuality } from './quality.ts';
export { blockMap, type BlockMap } from './blocks.ts';
export { locateCodes, type CodeRegion, type RegionKind } from './locate.ts';
export {
  createCoach,
  hint,
  hintsFor,
  HINT_FOR_DEFECT,
  HINT_IDS,
  HINT_TEXT,
  type Coach,
  type CoachingHint,
  type CoachOptions,
  type HintId,
} from './coach.ts';
export {
  createEvidenceWindow,
  emptyAttempts,
  summarize,
  type DecoderAttempts,
  type EvidenceWindow,
  type QualitySummary,
  type ScanEvidence,
} from './evidence.ts';
export { toGray, type GrayImage, type ImageDataLike } from './gray.ts';
