/** JPEG round trip through sharp (Node only), to add real block and ringing artefacts. */
import sharp from 'sharp';
import type { SynthFrame } from './cases.ts';

export async function jpegRoundTrip(frame: SynthFrame, quality: number): Promise<SynthFrame> {
  const jpeg = await sharp(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), {
    raw: { width: frame.width, height: frame.height, channels: 4 },
  })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const { data, info } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
