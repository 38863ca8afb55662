/**
 * Decoding payment codes from camera frames and still images: zxing-wasm and zbar-wasm, plus repairs
 * for hard frames. Runs in Node and in the browser (in a Web Worker); call `loadWasm` first, with
 * locally served URLs in the browser.
 */
export { loadWasm, type LoadedWasm, type WasmSources } from './loader.ts';
export { decodeImage, VARIANT_ORDER, type DecodeImageOptions, type DecodeOutcome, type Effort } from './cascade.ts';
export {
  createFrameScanner,
  type DecoderAttempts,
  type FrameScanner,
  type FrameScannerOptions,
  type ScanEvidence,
  type ScanFrameResult,
} from './scanner.ts';
export type { CoachingHint, HintId } from '../frame/coach.ts';
export type { Defect, FrameQuality } from '../frame/quality.ts';
export type { CodeFormat, DecodedCode, DecoderName, Point } from './types.ts';
export type { Roi } from './variants.ts';
export type { GrayImage, ImageDataLike } from '../frame/gray.ts';
