/**
 * The decoders compared: zxing-wasm and zbar-wasm used plainly, our per-frame scanner, and our one-shot
 * decodeImage. Plain zxing is the library's own `readBarcodes` on RGBA with its default options (only the
 * formats narrowed to QR and Code 128, and plain text output); plain zbar is `scanImageData` with a
 * scanner that reads only QR and Code 128.
 */
import { readBarcodes } from 'zxing-wasm/reader';
import { ZBarConfigType, ZBarScanner, ZBarSymbolType, scanImageData } from '@undecaf/zbar-wasm';
import { loadWasm } from '@scanpay/paycode/decode';
import { createFrameScanner, decodeImage, type Effort, type FrameScanner } from '@scanpay/paycode/decode';
import type { ImageDataLike } from '@scanpay/paycode/frame';

export interface Read {
  text: string;
}

/** A decoder as the bench sees it: a session that is fed frames until it reads something. */
export interface Contender {
  name: string;
  newSession(): (frame: ImageDataLike) => Promise<Read[]>;
  /** What the last frame of any session did (ours: the variants it tried), for slow-frame lines. */
  lastFrame?: () => string;
}

let zbarScanner: ZBarScanner | undefined;
let lastOurs = '';

/** Every scanner session the bench opened, for the per-variant summary. */
export const sessions: FrameScanner[] = [];

export async function contenders(options: { stillEffort?: Effort | 'none' } = {}): Promise<Contender[]> {
  const { zxing } = await loadWasm();
  zbarScanner ??= await ZBarScanner.create();
  zbarScanner.setConfig(ZBarSymbolType.ZBAR_NONE, ZBarConfigType.ZBAR_CFG_ENABLE, 0);
  zbarScanner.setConfig(ZBarSymbolType.ZBAR_QRCODE, ZBarConfigType.ZBAR_CFG_ENABLE, 1);
  zbarScanner.setConfig(ZBarSymbolType.ZBAR_CODE128, ZBarConfigType.ZBAR_CFG_ENABLE, 1);
  const zbar = zbarScanner;
  const list: Contender[] = [
    {
      name: 'zxing',
      newSession: () => async (frame) => {
        const results = await readBarcodes(frame as ImageData, { formats: ['QRCode', 'Code128'], textMode: 'Plain' });
        return results.filter((r) => r.isValid && (r.format === 'QRCode' || r.format === 'Code128')).map((r) => ({ text: r.text }));
      },
    },
    {
      name: 'zbar',
      newSession: () => async (frame) => {
        const symbols = await scanImageData(frame as ImageData, zbar);
        return symbols.map((s) => ({ text: s.decode('utf-8') }));
      },
    },
    {
      name: 'ours',
      newSession: () => {
        const scanner: FrameScanner = createFrameScanner(zxing);
        sessions.push(scanner);
        return async (frame) => {
          const result = await scanner.scanFrame(frame);
          lastOurs = result.variants.length > 0 ? `cheap + ${result.variants.join(' + ')}` : 'cheap';
          return result.codes.map((c) => ({ text: c.payload }));
        };
      },
      lastFrame: () => lastOurs,
    },
  ];
  const still = options.stillEffort ?? 'normal';
  if (still !== 'none') {
    list.push({
      name: `still-${still}`,
      newSession: () => async (frame) => (await decodeImage(frame, { effort: still })).codes.map((c) => ({ text: c.payload })),
    });
  }
  return list;
}
