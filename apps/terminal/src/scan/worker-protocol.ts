/** Messages between the page and the decoding worker (decode-worker.ts). */
import type { Text } from '../i18n.tsx';

export interface WasmUrls {
  zxingWasmUrl: string;
  zbarWasmUrl: string;
}

export type ToWorker =
  | { type: 'init'; wasm: WasmUrls }
  /** One frame (already cropped to the scan region), transferred. */
  | { type: 'frame'; id: number; bitmap: ImageBitmap }
  | { type: 'reset' };

export type FromWorker =
  | { type: 'ready'; ms: number }
  | { type: 'failed'; message: string }
  | {
      type: 'result';
      id: number;
      /** Decoded symbol text, exactly as encoded; null when nothing was read. */
      text: string | null;
      /** Live coaching for the cashier ("请靠近一点"), null when the frame is fine or has no code. */
      hint: Text | null;
      /** What the frame analysis found wrong with an unread frame (paycode `Defect` names). */
      defects: string[];
      ms: number;
    };
