/** Payment-code payloads and their symbols as module patterns, drawn by our own renderer. */
import QRCode from 'qrcode';
import bwipjs from 'bwip-js/generic';
import type { Rng } from './rng.ts';

export type SymbolFormat = 'qr' | 'code128';

/** An Alipay-style payment code: 18 digits starting 25–30. */
export function paymentPayload(rng: Rng): string {
  let digits = String(rng.int(25, 30));
  while (digits.length < 18) digits += String(rng.int(0, 9));
  return digits;
}

export interface QrSymbol {
  format: 'qr';
  /** Modules per side (21 for an 18-digit payload at level M). */
  size: number;
  /** size × size, 1 = dark, row after row. */
  modules: Uint8Array;
}

export interface LinearSymbol {
  format: 'code128';
  /** One entry per module across the symbol, 1 = bar. */
  modules: Uint8Array;
}

export type CodeSymbol = QrSymbol | LinearSymbol;

export function encodeSymbol(format: SymbolFormat, payload: string): CodeSymbol {
  if (format === 'qr') {
    const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    return { format, size: qr.modules.size, modules: Uint8Array.from(qr.modules.data) };
  }
  const [raw] = bwipjs.raw('code128', payload, {}) as Array<{ sbs: number[] }>;
  if (!raw) throw new Error('bwip-js returned no code128 pattern');
  const modules: number[] = [];
  raw.sbs.forEach((width, i) => {
    for (let k = 0; k < width; k++) modules.push(i % 2 === 0 ? 1 : 0);
  });
  return { format, modules: Uint8Array.from(modules) };
}
