/**
 * The decoding worker: receives cropped camera frames as ImageBitmaps, draws them on an
 * OffscreenCanvas and reads them with @scanpay/paycode's per-camera scanner (zxing-wasm and
 * zbar-wasm with repairs for hard frames, a read confirmed before it is reported). A frame it
 * cannot read is analysed by the same scanner, whose coach turns defects into one steady hint
 * ("请靠近一点"). Both .wasm files come from our own dist/ by URL: never a CDN.
 */
import { createFrameScanner, loadWasm, type FrameScanner } from '@scanpay/paycode/decode';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

// The DOM lib is the one the repo type-checks with; a worker needs only these two members.
const scope = self as unknown as { postMessage(msg: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
let canvas: OffscreenCanvas | undefined;
let scanner: FrameScanner | undefined;

function reply(msg: FromWorker) {
  scope.postMessage(msg);
}

function pixelsOf(bitmap: ImageBitmap): ImageData {
  canvas ??= new OffscreenCanvas(bitmap.width, bitmap.height);
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'init') {
    const started = performance.now();
    try {
      const { zxing } = await loadWasm({ zxingWasmUrl: msg.wasm.zxingWasmUrl, zbarWasmUrl: msg.wasm.zbarWasmUrl });
      scanner = createFrameScanner(zxing);
      reply({ type: 'ready', ms: performance.now() - started });
    } catch (err) {
      reply({ type: 'failed', message: `decoder failed to load: ${(err as Error).message}` });
    }
    return;
  }
  if (msg.type === 'reset') {
    scanner?.reset();
    return;
  }
  if (msg.type !== 'frame' || !scanner) return;
  const started = performance.now();
  const image = pixelsOf(msg.bitmap);
  let text: string | null = null;
  let hint: { zh: string; en: string } | null = null;
  let defects: string[] = [];
  try {
    const result = await scanner.scanFrame(image);
    text = result.code?.payload ?? null;
    defects = result.quality?.defects ?? [];
    // "请出示付款码" (nothing code-like in view) is already the screen's own title.
    hint = !text && result.hint && result.hint.id !== 'show_code' ? { zh: result.hint.zh, en: result.hint.en } : null;
  } catch {
    text = null; // one bad frame never stops the scanner
  }
  reply({ type: 'result', id: msg.id, text, hint, defects, ms: performance.now() - started });
};
