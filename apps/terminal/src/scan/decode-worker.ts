/**
 * The decoding worker: receives cropped camera frames as ImageBitmaps, draws them on an
 * OffscreenCanvas and reads them. PROVISIONAL: reads with zxing-wasm directly until
 * `@scanpay/paycode/decode` and `/frame` export their browser entry (cascade + coaching).
 */
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

// The DOM lib is the one the repo type-checks with; a worker needs only these two members.
const scope = self as unknown as { postMessage(msg: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
let canvas: OffscreenCanvas | undefined;

function reply(msg: FromWorker) {
  scope.postMessage(msg);
}

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'init') {
    const started = performance.now();
    try {
      const url = msg.wasm.zxingWasmUrl;
      await prepareZXingModule({
        overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? url : prefix + path) },
        fireImmediately: true,
      });
      reply({ type: 'ready', ms: performance.now() - started });
    } catch (err) {
      reply({ type: 'failed', message: `decoder failed to load: ${(err as Error).message}` });
    }
    return;
  }
  if (msg.type !== 'frame') return;
  const started = performance.now();
  const { bitmap } = msg;
  canvas ??= new OffscreenCanvas(bitmap.width, bitmap.height);
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let text: string | null = null;
  try {
    const results = await readBarcodes(image, { formats: ['QRCode', 'Code128'], tryHarder: true, maxNumberOfSymbols: 1 });
    text = results.find((r) => r.isValid)?.text ?? null;
  } catch {
    text = null;
  }
  reply({ type: 'result', id: msg.id, text, hint: null, ms: performance.now() - started });
};
