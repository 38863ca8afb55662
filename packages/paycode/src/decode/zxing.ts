/**
 * zxing-wasm on a gray image. We call the module's pixmap entry directly with our own luma buffer:
 * the public `readBarcodes` wants RGBA and would convert it back to luma on every call.
 */
import type { ZXingReaderModule, ZXingReadResult, ZXingReaderOptions } from 'zxing-wasm/reader';
import type { GrayImage } from '../frame/gray.ts';
import type { CodeFormat, Point, RawRead } from './types.ts';

export type ZXingBinarizer = 'LocalAverage' | 'GlobalHistogram' | 'FixedThreshold' | 'BoolCast';

export interface ZXingPassOptions {
  formats?: CodeFormat[];
  tryHarder?: boolean;
  tryRotate?: boolean;
  tryInvert?: boolean;
  tryDownscale?: boolean;
  tryDenoise?: boolean;
  binarizer?: ZXingBinarizer;
  isPure?: boolean;
  /** Also report symbols that were found but failed to decode (their position only; never their text). */
  returnErrors?: boolean;
}

const FORMAT_NAMES: Record<CodeFormat, string> = { qr: 'QRCode', code128: 'Code128' };
const BINARIZERS: ZXingBinarizer[] = ['LocalAverage', 'GlobalHistogram', 'FixedThreshold', 'BoolCast'];

// Indices follow zxing-wasm 3.1.4's enums: textMode 0 = Plain (the bytes as text, no GS1 brackets),
// characterSet 0 = Unknown (auto), eanAddOnSymbol 0 = Ignore.
function toNativeOptions(o: ZXingPassOptions): ZXingReaderOptions {
  return {
    formats: (o.formats ?? ['qr', 'code128']).map((f) => FORMAT_NAMES[f]).join(','),
    tryHarder: o.tryHarder ?? true,
    tryRotate: o.tryRotate ?? true,
    tryInvert: o.tryInvert ?? true,
    tryDownscale: o.tryDownscale ?? true,
    tryDenoise: o.tryDenoise ?? false,
    binarizer: BINARIZERS.indexOf(o.binarizer ?? 'LocalAverage'),
    isPure: o.isPure ?? false,
    downscaleThreshold: 500,
    downscaleFactor: 3,
    minLineCount: 2,
    maxNumberOfSymbols: 4,
    validateOptionalChecksum: false,
    returnErrors: o.returnErrors ?? false,
    eanAddOnSymbol: 0,
    textMode: 0,
    characterSet: 0,
    tryCode39ExtendedMode: true,
  };
}

function formatOf(name: string): CodeFormat | undefined {
  // Micro QR and rMQR are separate symbologies: a payment code is never one of them.
  if (name === 'QRCode' || name === 'QRCodeModel2' || name === 'QRCodeModel1') return 'qr';
  if (name === 'Code128') return 'code128';
  return undefined;
}

/** The parts of the Emscripten module we use (zxing-wasm types them through a global we do not load). */
interface NativeModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
  readBarcodesFromPixmap: ZXingReaderModule['readBarcodesFromPixmap'];
}

export interface ZXingOutcome {
  reads: RawRead[];
  /** Symbols zxing located but could not decode (only with `returnErrors`): where to look harder. */
  located: { format: CodeFormat; corners: Point[] }[];
}

export function readWithZXing(zxing: ZXingReaderModule, image: GrayImage, options: ZXingPassOptions = {}): ZXingOutcome {
  const module = zxing as unknown as NativeModule;
  const { data, width, height } = image;
  // zxing-wasm throws a bare C++ exception on an empty image (a 1 px wide frame halved, say).
  if (width < 1 || height < 1) return { reads: [], located: [] };
  const ptr = module._malloc(data.length);
  if (!ptr) throw new Error(`zxing: cannot allocate ${data.length} bytes`);
  let results: ReturnType<NativeModule['readBarcodesFromPixmap']>;
  try {
    module.HEAPU8.set(data, ptr);
    results = module.readBarcodesFromPixmap(ptr, width, height, toNativeOptions(options));
  } finally {
    module._free(ptr);
  }
  const outcome: ZXingOutcome = { reads: [], located: [] };
  try {
    for (let i = 0; i < results.size(); i++) {
      const r: ZXingReadResult | undefined = results.get(i);
      if (!r) continue;
      const format = formatOf(r.format);
      const p = r.position;
      const corners = [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft].map(({ x, y }) => ({ x, y }));
      // isValid is zxing's own verdict (checksums, error correction); an invalid read keeps only its place.
      if (!r.isValid || r.error || !format) {
        if (format) outcome.located.push({ format, corners });
        continue;
      }
      outcome.reads.push({ decoder: 'zxing', format, text: r.text, corners });
    }
  } finally {
    (results as unknown as { delete?: () => void }).delete?.();
  }
  return outcome;
}
