/**
 * The expensive attempts, each one repair plus one decoder, on a region of interest (ROI) where a
 * code probably is. Every variant maps the corners it finds back to frame coordinates.
 */
import type { ZXingReaderModule } from 'zxing-wasm/reader';
import { crop, downscaleBox, resizeBilinear, type GrayImage } from '../frame/gray.ts';
import type { RegionKind } from '../frame/locate.ts';
import { barProfile, binarizeLocal, boxBlur, deblur, estimateBlurSigma, invert, normalizeLocal, sampleAffine, sharpen, stretch } from './preprocess.ts';
import { demoire } from './demoire.ts';
import { readWithZBar } from './zbar.ts';
import { readWithZXing, type ZXingPassOptions } from './zxing.ts';
import type { Point, RawRead } from './types.ts';

export interface Roi {
  x: number;
  y: number;
  width: number;
  height: number;
  kind?: RegionKind;
  /** Linear: reading direction (across the bars), radians. */
  angle?: number;
  /** From the locator: the code as a rotated box (centre, extent along `angle` and across it). */
  center?: { x: number; y: number };
  length?: number;
  breadth?: number;
  /** Linear, from the locator: the code's long axis and its extents along it and along the bars. */
  axis?: number;
  axisLength?: number;
  axisBreadth?: number;
  source: 'zxing' | 'locator' | 'previous';
}

export interface VariantContext {
  zxing: ZXingReaderModule;
  gray: GrayImage;
  roi?: Roi;
}

export interface Variant {
  name: string;
  /** Whether it can run on this region (or, for whole-frame variants, without one), on a frame up to VGA (`small`) or bigger. */
  appliesTo(roi: Roi | undefined, small: boolean): boolean;
  /** Costs about as much as the cheap pass (deconvolution, a whole frame): the scanner keeps such frames free of other work. */
  heavy?: boolean;
  /** Cheap enough to try on every candidate region in turn (moiré or text can outrank the code). */
  everyRegion?: boolean;
  run(ctx: VariantContext): Promise<RawRead[]>;
}

/** Longest side and area of a repaired ROI, which bound each variant's cost. */
const MAX_SIDE = 480;
const MAX_AREA = 120_000;
/** A barcode turned upright is a thin strip: it can be longer. */
const ALIGNED_MAX_SIDE = 640;

interface View {
  image: GrayImage;
  /** Estimated pixels per module in `image`. */
  module: number;
  /** Maps a point of `image` back to the frame. */
  toFrame(p: Point): Point;
}

function mapReads(reads: RawRead[], view: View): RawRead[] {
  return reads.map((r) => ({ ...r, corners: r.corners.map((p) => view.toFrame(p)) }));
}

/** Approximate camera pixels per module, from the region's size and the kind of symbol. */
function modulePx(roi: Roi): number {
  if (roi.kind === 'linear') return (roi.length ?? Math.max(roi.width, roi.height)) / 150;
  // The locator's box is block-quantised (up to 16 px too big): count a few modules of slack.
  if (roi.source === 'zxing') return Math.min(roi.width, roi.height) / 23; // the symbol itself, version 1–2
  return Math.min(roi.length ?? roi.width, roi.breadth ?? roi.height) / 27;
}

/**
 * The ROI with a margin for the quiet zone, scaled so modules are about `targetModule` px, or by at
 * least `minScale` (the module estimate is rough when the region also holds text).
 */
function roiView(gray: GrayImage, roi: Roi, targetModule: number, minScale = 1, maxArea = MAX_AREA): View {
  const margin = 0.12 * Math.max(roi.width, roi.height) + 6;
  const x0 = Math.max(0, Math.floor(roi.x - margin));
  const y0 = Math.max(0, Math.floor(roi.y - margin));
  const x1 = Math.min(gray.width, Math.ceil(roi.x + roi.width + margin));
  const y1 = Math.min(gray.height, Math.ceil(roi.y + roi.height + margin));
  const cut = crop(gray, x0, y0, x1 - x0, y1 - y0);
  const cap = Math.min(MAX_SIDE / Math.max(cut.width, cut.height), Math.sqrt(maxArea / (cut.width * cut.height)));
  let scale = Math.min(4, Math.max(minScale, targetModule / Math.max(0.5, modulePx(roi))), cap);
  // Whole-number enlargements keep every module the same width; 2.4× makes uneven ones.
  if (scale >= 1.5) scale = Math.max(1, Math.min(Math.round(scale), Math.floor(cap)));
  const module = modulePx(roi);
  if (scale < 1) {
    const f = Math.max(1, Math.round(1 / scale));
    const image = downscaleBox(cut, f);
    return { image, module: module / f, toFrame: (p) => ({ x: x0 + p.x * f, y: y0 + p.y * f }) };
  }
  if (scale < 1.15) return { image: cut, module, toFrame: (p) => ({ x: x0 + p.x, y: y0 + p.y }) };
  const image = resizeBilinear(cut, cut.width * scale, cut.height * scale);
  const sx = cut.width / image.width;
  const sy = cut.height / image.height;
  return { image, module: module / sx, toFrame: (p) => ({ x: x0 + p.x * sx, y: y0 + p.y * sy }) };
}

/**
 * A linear ROI resampled so the code runs horizontally and its bars stand vertical, tight around it.
 * Under perspective the bars are sheared against the code's axis; the sampling grid follows both
 * (rows along the axis, columns along the bars), so every row crosses every bar.
 */
function alignedView(gray: GrayImage, roi: Roi): View {
  const angle = roi.angle ?? 0;
  const axis = roi.axis ?? angle;
  const cx = roi.center?.x ?? roi.x + roi.width / 2;
  const cy = roi.center?.y ?? roi.y + roi.height / 2;
  let length: number;
  let across: number;
  if (roi.axisLength && roi.axisBreadth) {
    // Blocks quantise the box, and the finest bars at either end may not have made it into a block:
    // add the quiet zone and some, along the code; trim a little across it.
    length = roi.axisLength * 1.35 + 48;
    across = Math.max(16, roi.axisBreadth * 0.8);
  } else {
    // An axis-aligned box around a slanted code: its long side is at most the diagonal.
    length = Math.hypot(roi.width, roi.height) * 1.1;
    const cos = Math.abs(Math.cos(angle));
    const sin = Math.abs(Math.sin(angle));
    across = Math.max(24, Math.min(roi.width * sin + roi.height * cos, length * 0.6));
  }
  // About 3 px per module for a 134-module payment barcode, within the size cap.
  const scale = Math.min(3, Math.max(1, (3 * 180) / length), ALIGNED_MAX_SIDE / length);
  const u = { x: Math.cos(axis), y: Math.sin(axis) };
  // Along the bars, pointing to the same side of the axis as the frame's "down" after rotation.
  let v = { x: -Math.sin(angle), y: Math.cos(angle) };
  if (v.x * -u.y + v.y * u.x < 0) v = { x: -v.x, y: -v.y };
  const image = sampleAffine(gray, { x: cx, y: cy }, u, v, length, across, scale);
  return {
    image,
    module: (length / 150) * scale,
    toFrame: (p) => {
      const du = (p.x - image.width / 2) / scale;
      const dv = (p.y - image.height / 2) / scale;
      return { x: cx + du * u.x + dv * v.x, y: cy + du * u.y + dv * v.y };
    },
  };
}

/** The middle of a view, at most `side` square (a region bigger than that has the code in its middle). */
function centerCrop(view: View, side: number): View {
  const { image } = view;
  if (image.width <= side && image.height <= side) return view;
  const x0 = Math.max(0, Math.floor((image.width - side) / 2));
  const y0 = Math.max(0, Math.floor((image.height - side) / 2));
  const cut = crop(image, x0, y0, Math.min(side, image.width), Math.min(side, image.height));
  return { image: cut, module: view.module, toFrame: (p) => view.toFrame({ x: p.x + x0, y: p.y + y0 }) };
}

/** The moiré removal's grid: a 256² transform costs a few ms. */
const DEMOIRE_SIDE = 256;

/** Up to VGA: cheap enough to process whole at full size. */
const SMALL_IMAGE_PIXELS = 640 * 480;

export const isSmallImage = (image: { width: number; height: number }): boolean => image.width * image.height <= SMALL_IMAGE_PIXELS;

const ROI_ZXING: ZXingPassOptions = { tryHarder: true, tryRotate: true, tryInvert: false, tryDownscale: false };
const LINEAR_ONLY: ZXingPassOptions = { formats: ['code128'], tryHarder: true, tryRotate: false, tryInvert: false, tryDownscale: false };

function zxingOn(ctx: VariantContext, view: View, options: ZXingPassOptions = ROI_ZXING): RawRead[] {
  // Turning the image only helps row-scanning (barcode) readers; on a QR-like region it doubles the cost.
  const passOptions = ctx.roi?.kind === 'matrix' ? { ...options, tryRotate: false } : options;
  return mapReads(readWithZXing(ctx.zxing, view.image, passOptions).reads, view);
}

async function zbarOn(view: View): Promise<RawRead[]> {
  return mapReads(await readWithZBar(view.image), view);
}

/** zxing first; ZBar (slower, weaker on damage) only when zxing read nothing. */
async function zxingThenZBar(ctx: VariantContext, view: View, options?: ZXingPassOptions): Promise<RawRead[]> {
  const fromZXing = zxingOn(ctx, view, options);
  return fromZXing.length > 0 ? fromZXing : zbarOn(view);
}

function repaired(view: View, repair: (image: GrayImage, module: number) => GrayImage): View {
  return { ...view, image: repair(view.image, view.module) };
}

/** Blur to undo: measured from the edges, but at least half a module (small codes hide their blur). */
const blurToUndo = (image: GrayImage, module: number): number => Math.max(0.9, estimateBlurSigma(image), 0.5 * module);

/** Deconvolution misjudged by a third either way still works; two strengths cover the rest. */
function deblurVariant(name: string, strength: number): Variant {
  return heavy(roiVariant(
    name,
    async (ctx, roi) => {
      const view = repaired(roiView(ctx.gray, roi, 4, 1.5, MAX_AREA / 2), (g, module) => deblur(g, strength * blurToUndo(g, module)));
      return zxingThenZBar(ctx, view);
    },
    ['matrix', undefined],
  ));
}

const heavy = (variant: Variant): Variant => ({ ...variant, heavy: true });
const everyRegion = (variant: Variant): Variant => ({ ...variant, everyRegion: true });
/** Whole-frame work affordable only on frames up to VGA. */
const smallFramesOnly = (variant: Variant): Variant => ({ ...variant, appliesTo: (roi, small) => small && variant.appliesTo(roi, small) });

const roiVariant = (
  name: string,
  run: (ctx: VariantContext, roi: Roi) => Promise<RawRead[]> | RawRead[],
  kinds: readonly (RegionKind | undefined)[] = ['linear', 'matrix', undefined],
): Variant => ({
  name,
  appliesTo: (roi) => roi !== undefined && kinds.includes(roi.kind),
  run: async (ctx) => (ctx.roi ? run(ctx, ctx.roi) : []),
});

const wholeFrame = (name: string, run: (ctx: VariantContext) => Promise<RawRead[]> | RawRead[]): Variant => ({
  name,
  appliesTo: () => true,
  run: async (ctx) => run(ctx),
});

/** The frame turned a quarter clockwise: source (x, y) lands at (h − 1 − y, x). */
function rotateQuarter(image: GrayImage): GrayImage {
  const { data, width: w, height: h } = image;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const col = h - 1 - y;
    for (let x = 0; x < w; x++) out[x * h + col] = data[row + x]!;
  }
  return { data: out, width: h, height: w };
}

/** All variants by name. The scanner and `decodeImage` choose their order. */
export const VARIANTS: Record<string, Variant> = {
  // On a small frame the plain decoders' own full passes cost a few ms: run them early, so whatever
  // a plain decoder reads, we read too.
  'small-zxing': heavy(smallFramesOnly(wholeFrame('small-zxing', (ctx) => readWithZXing(ctx.zxing, ctx.gray, {}).reads))),
  'small-zbar': smallFramesOnly(wholeFrame('small-zbar', (ctx) => readWithZBar(ctx.gray))),
  'roi-zbar': roiVariant('roi-zbar', (ctx, roi) => zbarOn(roiView(ctx.gray, roi, 3))),
  'roi-upscale': roiVariant('roi-upscale', (ctx, roi) => zxingOn(ctx, roiView(ctx.gray, roi, 4, 2))),
  // Radii are in repaired-view pixels, where a module is about 3 px: a window of a few modules.
  'roi-normalize': roiVariant('roi-normalize', (ctx, roi) => zxingOn(ctx, repaired(roiView(ctx.gray, roi, 3), (g) => normalizeLocal(g, 10)))),
  'roi-normalize-zbar': roiVariant('roi-normalize-zbar', (ctx, roi) => {
    const view = roiView(ctx.gray, roi, 3);
    return zbarOn(repaired(view, (g) => normalizeLocal(g, 12)));
  }),
  'roi-smooth': roiVariant('roi-smooth', (ctx, roi) => {
    const view = roiView(ctx.gray, roi, 3);
    return zxingOn(ctx, repaired(view, (g) => stretch(boxBlur(g, 1))), { ...ROI_ZXING, binarizer: 'GlobalHistogram' });
  }),
  'roi-sharpen': roiVariant('roi-sharpen', (ctx, roi) => {
    const view = roiView(ctx.gray, roi, 4);
    return zxingOn(ctx, repaired(view, (g) => sharpen(g, 3, 2.5)));
  }),
  'roi-binarize': roiVariant('roi-binarize', (ctx, roi) => {
    const view = roiView(ctx.gray, roi, 3);
    return zxingOn(ctx, repaired(view, (g) => binarizeLocal(g, 10)), { ...ROI_ZXING, binarizer: 'FixedThreshold' });
  }),
  // Deconvolution at twice the size: for defocus, shake, and modules too small for the lens.
  'roi-deblur': deblurVariant('roi-deblur', 1),
  'roi-deblur-strong': deblurVariant('roi-deblur-strong', 1.4),
  'roi-align-deblur': heavy(roiVariant(
    'roi-align-deblur',
    async (ctx, roi) => {
      const view = repaired(alignedView(ctx.gray, roi), (g, module) => deblur(g, blurToUndo(g, module)));
      return zxingThenZBar(ctx, view, LINEAR_ONLY);
    },
    ['linear'],
  )),
  // Screen moiré taken out of the region (at camera scale: the waves' periods are in camera pixels).
  'roi-demoire': heavy(roiVariant('roi-demoire', async (ctx, roi) => {
    const view = centerCrop(roiView(ctx.gray, roi, 1, 1), DEMOIRE_SIDE);
    const clean = demoire(view.image);
    return clean ? zxingThenZBar(ctx, { ...view, image: clean }) : [];
  }, ['matrix'])),
  // zxing's morphological closing only exists for 2D symbols.
  'roi-denoise': roiVariant('roi-denoise', (ctx, roi) => zxingOn(ctx, roiView(ctx.gray, roi, 3), { ...ROI_ZXING, tryDenoise: true }), ['matrix', undefined]),
  // Turned upright, then (cheap on an upright strip) its profile averaged along the bars.
  'roi-align': everyRegion(roiVariant(
    'roi-align',
    async (ctx, roi) => {
      const view = alignedView(ctx.gray, roi);
      const fromZXing = zxingOn(ctx, view, LINEAR_ONLY);
      if (fromZXing.length > 0) return fromZXing;
      const fromZBar = await zbarOn(view);
      if (fromZBar.length > 0) return fromZBar;
      const profile = repaired(view, (g) => barProfile(g, 1));
      const fromProfile = zxingOn(ctx, profile, LINEAR_ONLY);
      return fromProfile.length > 0 ? fromProfile : zbarOn(profile);
    },
    ['linear'],
  )),
  // Re-steepened edges: for bars of barely more than a pixel, which the lens has run together.
  'roi-align-sharpen': roiVariant(
    'roi-align-sharpen',
    async (ctx, roi) => {
      const view = repaired(alignedView(ctx.gray, roi), (g) => sharpen(g, 2, 1.5));
      return zxingThenZBar(ctx, view, LINEAR_ONLY);
    },
    ['linear'],
  ),
  // Averaging along the bars, then steepening: for faint, noisy or very narrow bars.
  'roi-profile': roiVariant(
    'roi-profile',
    async (ctx, roi) => {
      const view = repaired(alignedView(ctx.gray, roi), (g) => barProfile(g, 1));
      return zxingThenZBar(ctx, view, LINEAR_ONLY);
    },
    ['linear'],
  ),
  // Dark-mode screens show light modules on dark ground.
  // A camera frame at half size: a whole inverted frame at full size costs twice the cheap pass (zxing
  // also turns it). A small image (a photo, a crop) stays whole: halving it would lose its modules.
  'full-invert': wholeFrame('full-invert', (ctx) => {
    const f = isSmallImage(ctx.gray) ? 1 : 2;
    const image = invert(f === 2 ? downscaleBox(ctx.gray, 2) : ctx.gray);
    return mapReads(readWithZXing(ctx.zxing, image, ROI_ZXING).reads, { image, module: 0, toFrame: (p) => ({ x: p.x * f, y: p.y * f }) });
  }),
  // A barcode held sideways (bars across the frame): the cheap pass leaves out zxing's 90° turn, and a
  // strong texture (moiré) can hide the code from the region finder. One Code 128 pass on the turned frame.
  'full-rotate': wholeFrame('full-rotate', (ctx) => {
    const image = rotateQuarter(ctx.gray);
    const h = ctx.gray.height;
    return mapReads(readWithZXing(ctx.zxing, image, LINEAR_ONLY).reads, { image, module: 0, toFrame: (p) => ({ x: p.y, y: h - 1 - p.x }) });
  }),
  // What zxing's own tryDownscale does: big, blurred codes read better at half size.
  'full-downscale': wholeFrame('full-downscale', (ctx) => {
    const image = downscaleBox(ctx.gray, 2);
    return mapReads(readWithZXing(ctx.zxing, image, ROI_ZXING).reads, { image, module: 0, toFrame: (p) => ({ x: p.x * 2, y: p.y * 2 }) });
  }),
};
