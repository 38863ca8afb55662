/**
 * Y4M videos for Chromium's fake camera (FEASIBILITY.md §1): 4:2:0, whole frames only (a torn last
 * frame freezes the camera), luma in 16–235 (Chromium reads the file as limited-range BT.601).
 * A QR code is drawn from its modules, centred on a grey background with a white quiet zone.
 */
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export interface Y4mOptions {
  /** What the QR encodes; omitted: a plain grey picture with no code in it. */
  text?: string;
  width?: number;
  height?: number;
  frames?: number;
  /** Pixels per QR module. */
  moduleSize?: number;
  /** `cut-right`: the code runs 40 % off the right edge (undecodable, "partly out of view"). */
  placement?: 'center' | 'cut-right';
  /** Luma of the light modules (default 235; a phone screen seldom saturates the camera). */
  light?: number;
}

const DARK = 16;
const LIGHT = 235;
const GREY = 128;

export function y4mBytes(opts: Y4mOptions = {}): Buffer {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const frames = opts.frames ?? 10;
  if (width % 2 || height % 2) throw new Error('4:2:0 needs even dimensions');
  const luma = Buffer.alloc(width * height, GREY);
  if (opts.text !== undefined) {
    const qr = QRCode.create(opts.text, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const quiet = 4;
    const module = opts.moduleSize ?? Math.floor(Math.min(width, height) * 0.8 / (n + 2 * quiet));
    const side = (n + 2 * quiet) * module;
    const x0 = opts.placement === 'cut-right' ? width - Math.floor(side * 0.6) : Math.floor((width - side) / 2);
    const y0 = Math.floor((height - side) / 2);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const row = Math.floor(y / module) - quiet;
        const col = Math.floor(x / module) - quiet;
        const dark = row >= 0 && col >= 0 && row < n && col < n && qr.modules.get(row, col);
        if (x0 + x >= width) continue;
        luma[(y0 + y) * width + (x0 + x)] = dark ? DARK : (opts.light ?? LIGHT);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

export function writeY4m(path: string, opts: Y4mOptions = {}): string {
  writeFileSync(path, y4mBytes(opts));
  return path;
}
