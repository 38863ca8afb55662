/**
 * Safe inspection of an uploaded image before anything decodes it: the type from its magic bytes, the
 * size from its header, and the file's structure walked without touching the pixel data. A PNG that
 * claims 20,000 × 20,000 is refused from its 33-byte header; nothing the size of the image is ever
 * allocated. Pure TypeScript on a Uint8Array, so it runs the same in the browser and in Node.
 */

export type ImageType = 'png' | 'jpeg' | 'webp';
export type InspectFailure = 'too_large_bytes' | 'too_many_pixels' | 'unsupported_type' | 'truncated' | 'corrupt';
export type InspectResult = { ok: true; type: ImageType; width: number; height: number } | { ok: false; reason: InspectFailure };

export interface InspectLimits {
  /** Default 1 MiB. */
  maxBytes?: number;
  /** Default 4 megapixels (4,000,000). */
  maxPixels?: number;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 4_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

type Header = { ok: true; width: number; height: number } | { ok: false; reason: 'truncated' | 'corrupt' };

const startsWith = (bytes: Uint8Array, sig: number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b);
/** The bytes end before the signature does, but agree as far as they go. */
const prefixOf = (bytes: Uint8Array, sig: number[], at = 0): boolean =>
  bytes.length - at < sig.length && Array.from(bytes.subarray(at)).every((b, i) => b === sig[i]);

export function inspectImage(bytes: Uint8Array, limits: InspectLimits = {}): InspectResult {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length > maxBytes) return { ok: false, reason: 'too_large_bytes' };

  let type: ImageType;
  let header: Header;
  if (startsWith(bytes, PNG_SIGNATURE)) {
    type = 'png';
    header = pngHeader(bytes);
  } else if (startsWith(bytes, JPEG_SIGNATURE)) {
    type = 'jpeg';
    header = jpegHeader(bytes);
  } else if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) {
    type = 'webp';
    header = webpHeader(bytes);
  } else if (prefixOf(bytes, PNG_SIGNATURE) || prefixOf(bytes, JPEG_SIGNATURE) || prefixOf(bytes, RIFF) || (startsWith(bytes, RIFF) && prefixOf(bytes, WEBP, 8))) {
    return { ok: false, reason: 'truncated' };
  } else {
    return { ok: false, reason: 'unsupported_type' };
  }
  if (!header.ok) return header;
  // Compared in floating point: 20,000 × 20,000 fits easily, and nothing is allocated from it.
  if (header.width * header.height > maxPixels) return { ok: false, reason: 'too_many_pixels' };
  return { ok: true, type, width: header.width, height: header.height };
}

// ---- PNG: signature, IHDR first (CRC checked), then chunk by chunk to IEND without inflating IDAT.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const VALID_PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const ascii = (bytes: Uint8Array, at: number, n: number): string => String.fromCharCode(...bytes.subarray(at, at + n));

function pngHeader(bytes: Uint8Array): Header {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 33) return { ok: false, reason: 'truncated' };
  if (view.getUint32(8) !== 13 || ascii(bytes, 12, 4) !== 'IHDR') return { ok: false, reason: 'corrupt' };
  if (crc32(bytes.subarray(12, 29)) !== view.getUint32(29)) return { ok: false, reason: 'corrupt' };
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24]!;
  const colour = bytes[25]!;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return { ok: false, reason: 'corrupt' };
  if (!VALID_PNG_DEPTHS[colour]?.includes(depth) || bytes[26] !== 0 || bytes[27] !== 0 || bytes[28]! > 1) return { ok: false, reason: 'corrupt' };
  let at = 33;
  let sawData = false;
  for (;;) {
    if (at + 8 > bytes.length) return { ok: false, reason: 'truncated' };
    const length = view.getUint32(at);
    const kind = ascii(bytes, at + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(kind) || length > 0x7fffffff) return { ok: false, reason: 'corrupt' };
    if (at + 12 + length > bytes.length) return { ok: false, reason: 'truncated' };
    if (kind === 'IDAT') sawData = true;
    if (kind === 'IEND') return sawData ? { ok: true, width, height } : { ok: false, reason: 'corrupt' };
    at += 12 + length;
  }
}

// ---- JPEG: markers from SOI to the frame header (SOFn), then the entropy-coded data must end in EOI.

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegHeader(bytes: Uint8Array): Header {
  let at = 2;
  let size: { width: number; height: number } | null = null;
  for (;;) {
    if (at + 4 > bytes.length) return { ok: false, reason: 'truncated' };
    if (bytes[at] !== 0xff) return { ok: false, reason: 'corrupt' };
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0xd9 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) return { ok: false, reason: 'corrupt' };
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < 2) return { ok: false, reason: 'corrupt' };
    if (at + 2 + length > bytes.length) return { ok: false, reason: 'truncated' };
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) return { ok: false, reason: 'corrupt' };
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!;
      if (width === 0 || height === 0) return { ok: false, reason: 'corrupt' };
      size = { width, height };
    }
    if (marker === 0xda) {
      // Start of scan: compressed data follows. Without a frame header before it the file is broken.
      if (!size) return { ok: false, reason: 'corrupt' };
      return endsWithEoi(bytes, at + 2 + length) ? { ok: true, ...size } : { ok: false, reason: 'truncated' };
    }
    at += 2 + length;
  }
}

/** EOI (FF D9) after the scan data, allowing zero padding after it, as some encoders write. */
function endsWithEoi(bytes: Uint8Array, dataStart: number): boolean {
  let end = bytes.length;
  while (end > dataStart && bytes[end - 1] === 0) end--;
  return end - dataStart >= 2 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
}

// ---- WebP: RIFF size must fit the bytes; the first chunk (VP8, VP8L or VP8X) carries the size.

function webpHeader(bytes: Uint8Array): Header {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 30) return { ok: false, reason: 'truncated' };
  const riffSize = view.getUint32(4, true);
  if (riffSize < 22 || riffSize % 2 === 1) return { ok: false, reason: 'corrupt' };
  if (riffSize + 8 > bytes.length) return { ok: false, reason: 'truncated' };
  const chunk = ascii(bytes, 12, 4);
  const chunkSize = view.getUint32(16, true);
  if (20 + chunkSize > riffSize + 8) return { ok: false, reason: 'corrupt' };
  let width: number;
  let height: number;
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return { ok: false, reason: 'corrupt' };
    width = view.getUint16(26, true) & 0x3fff;
    height = view.getUint16(28, true) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return { ok: false, reason: 'corrupt' };
    const bits = view.getUint32(21, true);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
  } else {
    return { ok: false, reason: 'corrupt' };
  }
  if (width === 0 || height === 0) return { ok: false, reason: 'corrupt' };
  return { ok: true, width, height };
}
