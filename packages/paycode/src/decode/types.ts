/** Types shared by the decoders, the cascade and the per-camera scanner. */

export type CodeFormat = 'qr' | 'code128';
export type DecoderName = 'zxing' | 'zbar';

export interface Point {
  x: number;
  y: number;
}

/** One symbol as a decoder reported it, with its coordinates mapped back to the original frame. */
export interface RawRead {
  decoder: DecoderName;
  format: CodeFormat;
  /** Exactly what the symbol encodes, as text. Only reads the decoder marked valid get here. */
  text: string;
  /** Corners (or, for zbar, the scan points' bounding box) in the original frame's pixels. */
  corners: Point[];
  /** zbar only: how many scan lines agreed on a linear symbol (its `quality`). */
  lines?: number;
}

/** A payment-code candidate that passed the decoders' own checks and, where both read it, their cross-check. */
export interface DecodedCode {
  format: CodeFormat;
  payload: string;
  /** Which decoders returned this payload (both = cross-checked). */
  decoders: DecoderName[];
  /** The preprocessing recipe that found it, e.g. `plain`, `roi-upscale2`, `otsu`. */
  variant: string;
  corners: Point[];
}
