/** ZBar (via @undecaf/zbar-wasm) on a gray image, restricted to QR and Code 128. */
import { ZBarConfigType, ZBarScanner, ZBarSymbolType, scanGrayBuffer } from '@undecaf/zbar-wasm';
import type { GrayImage } from '../frame/gray.ts';
import type { CodeFormat, RawRead } from './types.ts';

let scanner: Promise<ZBarScanner> | undefined;

/** A scanner with every symbology off except QR and Code 128, so other codes cannot be misread as ours. */
function qrAndCode128Scanner(): Promise<ZBarScanner> {
  scanner ??= ZBarScanner.create().then((s) => {
    s.setConfig(ZBarSymbolType.ZBAR_NONE, ZBarConfigType.ZBAR_CFG_ENABLE, 0);
    s.setConfig(ZBarSymbolType.ZBAR_QRCODE, ZBarConfigType.ZBAR_CFG_ENABLE, 1);
    s.setConfig(ZBarSymbolType.ZBAR_CODE128, ZBarConfigType.ZBAR_CFG_ENABLE, 1);
    return s;
  });
  return scanner;
}

function formatOf(type: ZBarSymbolType): CodeFormat | undefined {
  if (type === ZBarSymbolType.ZBAR_QRCODE) return 'qr';
  if (type === ZBarSymbolType.ZBAR_CODE128) return 'code128';
  return undefined;
}

export async function readWithZBar(image: GrayImage): Promise<RawRead[]> {
  const s = await qrAndCode128Scanner();
  // scanGrayBuffer copies into wasm memory; pass exactly the pixels, not a larger backing buffer.
  const { data } = image;
  const buffer =
    data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
      ? (data.buffer as ArrayBuffer)
      : (data.slice().buffer as ArrayBuffer);
  const symbols = await scanGrayBuffer(buffer, image.width, image.height, s);
  const reads: RawRead[] = [];
  for (const sym of symbols) {
    const format = formatOf(sym.type);
    // ZBar reports only symbols whose checks passed (Code 128 checksum, QR error correction).
    if (!format) continue;
    reads.push({ decoder: 'zbar', format, text: sym.decode('utf-8'), corners: boundingCorners(sym.points), lines: sym.quality });
  }
  return reads;
}

function boundingCorners(points: { x: number; y: number }[]): RawRead['corners'] {
  if (points.length === 0) return [];
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
  }
  return [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }];
}
