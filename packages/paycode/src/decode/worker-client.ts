/**
 * Main-thread side of the scan worker: promises in, transferred pixels out. Send the next camera frame
 * only when `busy` is false (drop frames while the worker is still on the last one), so the queue
 * never grows and the result always describes a recent frame.
 */
import type { WorkerReply, WorkerRequest } from './worker.ts';
import type { WasmSources } from './loader.ts';
import type { FrameScannerOptions, ScanEvidence, ScanFrameResult } from './scanner.ts';
import type { DecodeImageOptions, DecodeOutcome } from './cascade.ts';
import type { ImageDataLike } from '../frame/gray.ts';

export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerReply }) => void): void;
  terminate?(): void;
}

export interface ScanWorkerClient {
  /** Resolves once both wasm modules are loaded in the worker. */
  ready: Promise<void>;
  /** True while a frame is being scanned: skip camera frames until it clears. */
  readonly busy: boolean;
  /** Scans one frame; its pixel buffer is transferred (the caller's copy becomes empty). */
  scanFrame(frame: ImageDataLike): Promise<ScanFrameResult>;
  decodeImage(frame: ImageDataLike, options?: DecodeImageOptions): Promise<DecodeOutcome>;
  evidence(): Promise<ScanEvidence>;
  reset(): Promise<void>;
  terminate(): void;
}

type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export function createScanWorkerClient(worker: WorkerLike, wasm: WasmSources, scanner?: FrameScannerOptions): ScanWorkerClient {
  let nextId = 1;
  let inFlight = 0;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  worker.addEventListener('message', ({ data }) => {
    const pending = waiting.get(data.id);
    if (!pending) return;
    waiting.delete(data.id);
    if (data.ok) pending.resolve(data.value);
    else pending.reject(new Error(data.error));
  });
  const call = <T>(body: Body, transfer: Transferable[] = []): Promise<T> => {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...body, id }, transfer);
    });
  };
  const pixels = (frame: ImageDataLike): { frame: ImageDataLike; transfer: Transferable[] } => ({
    frame: { data: frame.data, width: frame.width, height: frame.height },
    transfer: [frame.data.buffer as ArrayBuffer],
  });
  return {
    ready: call<boolean>({ type: 'init', wasm, ...(scanner ? { scanner } : {}) }).then(() => undefined),
    get busy() {
      return inFlight > 0;
    },
    async scanFrame(frame) {
      inFlight++;
      try {
        const { frame: f, transfer } = pixels(frame);
        return await call<ScanFrameResult>({ type: 'frame', frame: f }, transfer);
      } finally {
        inFlight--;
      }
    },
    decodeImage(frame, options) {
      const { frame: f, transfer } = pixels(frame);
      return call<DecodeOutcome>({ type: 'decodeImage', frame: f, ...(options ? { options } : {}) }, transfer);
    },
    evidence: () => call<ScanEvidence>({ type: 'evidence' }),
    reset: () => call<boolean>({ type: 'reset' }).then(() => undefined),
    terminate: () => worker.terminate?.(),
  };
}
