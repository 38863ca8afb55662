/** Pixel types shared by frame analysis and decoding, plus the cheap conversions between them. */

/** What a canvas `getImageData` returns, or a decoded still image: RGBA, 4 bytes per pixel. */
export interface ImageDataLike {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** One byte of luma per pixel, row after row. */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export function isGray(image: ImageDataLike | GrayImage): image is GrayImage {
  return image.data.length === image.width * image.height;
}

/** BT.601 luma with integer weights (the same ones zxing-wasm uses), no floating point per pixel. */
export function toGray(image: ImageDataLike | GrayImage): GrayImage {
  if (isGray(image)) return image as GrayImage;
  const { data, width, height } = image;
  const n = width * height;
  if (data.length < n * 4) throw new RangeError(`toGray: expected ${n * 4} RGBA bytes, got ${data.length}`);
  const out = new Uint8Array(n);
  if (data.byteOffset % 4 === 0) {
    // One 32-bit read per pixel (little-endian RGBA) is about twice as fast as four byte reads.
    const words = new Uint32Array(data.buffer, data.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const v = words[i]!;
      out[i] = (306 * (v & 255) + 601 * ((v >>> 8) & 255) + 117 * ((v >>> 16) & 255) + 512) >> 10;
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 4) {
      out[i] = (306 * data[j]! + 601 * data[j + 1]! + 117 * data[j + 2]! + 512) >> 10;
    }
  }
  return { data: out, width, height };
}

export function crop(image: GrayImage, x0: number, y0: number, w: number, h: number): GrayImage {
  const x = Math.max(0, Math.min(image.width - 1, Math.floor(x0)));
  const y = Math.max(0, Math.min(image.height - 1, Math.floor(y0)));
  const cw = Math.max(1, Math.min(image.width - x, Math.round(w)));
  const ch = Math.max(1, Math.min(image.height - y, Math.round(h)));
  const out = new Uint8Array(cw * ch);
  for (let r = 0; r < ch; r++) {
    const start = (y + r) * image.width + x;
    out.set(image.data.subarray(start, start + cw), r * cw);
  }
  return { data: out, width: cw, height: ch };
}

/** Bilinear resampling; for shrinking by 2 or more use `downscaleBox`, which averages instead of aliasing. */
export function resizeBilinear(image: GrayImage, width: number, height: number): GrayImage {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const src = image.data;
  const sw = image.width;
  const out = new Uint8Array(w * h);
  const sx = image.width / w;
  const sy = image.height / h;
  const maxX = image.width - 1;
  const maxY = image.height - 1;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(maxY, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(maxY, y0 + 1);
    const wy = fy - y0;
    const row0 = y0 * sw;
    const row1 = y1 * sw;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(maxX, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(maxX, x0 + 1);
      const wx = fx - x0;
      const top = src[row0 + x0]! + (src[row0 + x1]! - src[row0 + x0]!) * wx;
      const bottom = src[row1 + x0]! + (src[row1 + x1]! - src[row1 + x0]!) * wx;
      out[y * w + x] = top + (bottom - top) * wy + 0.5;
    }
  }
  return { data: out, width: w, height: h };
}

/** Integer-factor shrink by averaging each factor × factor block. */
export function downscaleBox(image: GrayImage, factor: number): GrayImage {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return image;
  if (f === 2) return halve(image);
  const w = Math.floor(image.width / f);
  const h = Math.floor(image.height / f);
  const out = new Uint8Array(w * h);
  const area = f * f;
  const src = image.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * image.width + x * f;
        for (let dx = 0; dx < f; dx++) sum += src[row + dx]!;
      }
      out[y * w + x] = (sum + (area >> 1)) / area;
    }
  }
  return { data: out, width: w, height: h };
}

/** The common case of `downscaleBox`, unrolled: four reads and a shift per output pixel. */
function halve(image: GrayImage): GrayImage {
  const w = image.width >> 1;
  const h = image.height >> 1;
  const src = image.data;
  const sw = image.width;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    let i = 2 * y * sw;
    let o = y * w;
    for (let x = 0; x < w; x++, i += 2, o++) {
      out[o] = (src[i]! + src[i + 1]! + src[i + sw]! + src[i + sw + 1]! + 2) >> 2;
    }
  }
  return { data: out, width: w, height: h };
}
