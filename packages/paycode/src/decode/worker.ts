/**
 * The scanner inside a module Web Worker, so decoding never blocks the cashier's screen. Import this
 * file as the worker's entry (`new Worker(new URL('…/decode/worker.ts', import.meta.url), { type:
 * 'module' })`), then talk to it with `createScanWorkerClient` from `./worker-client.ts`. The same
 * message handler runs in Node for tests.
 */
import { loadWasm, type WasmSources } from './loader.ts';
import { createFrameScanner, type FrameScanner, type FrameScannerOptions } from './scanner.ts';
import { decodeImage, type DecodeImageOptions } from './cascade.ts';
import type { ImageDataLike } from '../frame/gray.ts';

export type WorkerRequest =
  | { type: 'init'; id: number; wasm: WasmSources; scanner?: FrameScannerOptions }
  | { type: 'frame'; id: number; frame: ImageDataLike }
  | { type: 'decodeImage'; id: number; frame: ImageDataLike; options?: DecodeImageOptions }
  | { type: 'evidence'; id: number }
  | { type: 'reset'; id: number };

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Handles one request at a time; `post` sends the reply (postMessage in a worker). */
export function createWorkerHandler(post: (reply: WorkerReply) => void): (request: WorkerRequest) => Promise<void> {
  let scanner: FrameScanner | null = null;
  return async (request) => {
    try {
      let value: unknown;
      switch (request.type) {
        case 'init': {
          const { zxing } = await loadWasm(request.wasm);
          scanner = createFrameScanner(zxing, request.scanner);
          value = true;
          break;
        }
        case 'frame':
          value = await need(scanner).scanFrame(request.frame);
          break;
        case 'decodeImage':
          value = await decodeImage(request.frame, request.options);
          break;
        case 'evidence':
          value = need(scanner).evidence();
          break;
        case 'reset':
          need(scanner).reset();
          value = true;
          break;
      }
      post({ id: request.id, ok: true, value });
    } catch (error) {
      post({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
}

function need(scanner: FrameScanner | null): FrameScanner {
  if (!scanner) throw new Error('scan worker: send init first');
  return scanner;
}

// Attach only inside a worker; importing this file elsewhere (tests, Node) does nothing.
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerRequest }) => void): void;
}
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  const scope = globalThis as unknown as WorkerScope;
  const handle = createWorkerHandler((reply) => scope.postMessage(reply));
  // Requests are handled in arrival order: a frame waits for the previous one.
  let queue = Promise.resolve();
  scope.addEventListener('message', (event) => {
    queue = queue.then(() => handle(event.data));
  });
}
