/**
 * Frame quality, measured without decoding: overall brightness, then for the most code-like region its
 * contrast, blur, glare, size, tilt and whether it runs off the frame. Pure and fast (a few ms at
 * 1280×720), so it can run on every frame the decoders could not read.
 */
import { blockMap, type BlockMap } from './blocks.ts';
import { findFinderPatterns, tiltFromFinders, type FinderPattern } from './finder.ts';
import { downscaleBox, toGray, type GrayImage, type ImageDataLike } from './gray.ts';
import { locateCodes, scaleRegion, type CodeRegion, type RegionKind } from './locate.ts';
import { edgeSlopes } from './sharpness.ts';
import { moduleFromRuns } from './modules.ts';

export const DEFECTS = [
  'no_code',
  'too_dark',
  'low_contrast',
  'blurry',
  'glare',
  'too_small',
  'too_close',
  'partly_out_of_view',
  'tilted',
] as const;
export type Defect = (typeof DEFECTS)[number];

export interface CodeQuality {
  kind: RegionKind;
  /** Axis-aligned bounding box of the region, frame pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** Longer and shorter side of the code's rotated box, px. */
  sizePx: number;
  minSidePx: number;
  /** Estimated pixels per module (from QR finder patterns when seen, else from run lengths). */
  modulePx: number;
  /** Pixels per module from the code's extent (blur does not change it, unlike run lengths). */
  extentModulePx: number;
  /** 5th and 95th percentile luma in the region, and their spread relative to the light level (0..1). */
  dark: number;
  light: number;
  contrast: number;
  /** Estimated blur, Gaussian sigma in px (the worse of the region's two directions, barcodes: across the bars). */
  blurPx: number;
  /** Blur across the region's main edges only. */
  blurAcrossPx: number;
  /** Share of the region at 250 or brighter. */
  glare: number;
  /** QR: tilt out of the camera's plane, from the finder patterns (degrees), null if not measurable. */
  tiltDeg: number | null;
  /** Barcode: how far the bars lean from the frame's axes (degrees). */
  skewDeg: number;
  finderPatterns: number;
  partlyOutOfView: boolean;
}

export interface FrameQuality {
  width: number;
  height: number;
  /** Mean luma of the frame, 0..255. */
  brightness: number;
  code: CodeQuality | null;
  defects: Defect[];
  /** 0..1, higher is better: how close the frame is to an easy read. */
  score: number;
}

/** Thresholds, in one place so the bench and the tests can cite them. */
export const LIMITS = {
  darkLight: 70, // the code's light modules below this luma: too dark
  darkFrame: 40, // no code found and the whole frame below this: too dark
  lowContrast: 0.45, // (light − dark) / light below this
  blurModules: 0.4, // blur sigma above this share of a module
  blurMinPx: 0.95,
  glareShare: 0.04,
  overexposedShare: 0.25, // a quarter of the whole frame at 250 or brighter
  smallModuleQr: 1.9,
  smallRunsContrast: 0.75,
  smallModuleBar: 1.35,
  closeShare: 0.75, // QR's shorter side over this share of the frame's shorter side
  closeModuleQr: 0.025, // QR module over this share of the frame's shorter side (21 modules ≈ 53 %)
  closeBarLength: 0.8, // barcode length over this share of the frame's longer side
  closeModuleBar: 0.0055, // barcode module over this share of the longer side (134 modules ≈ 74 %)
  sharpForRuns: 0.22, // blur across the edges at most this share of the run-length module
  shakenAlongShare: 0.22, // squarish bars with edges along them this steep (vs across): a shaken QR
  smallSizePx: 40,
  tiltQrDeg: 33,
  skewBarDeg: 18,
} as const;

/**
 * Regions at full and at half resolution: at full resolution the blocks of a code held very close
 * each see a single edge and fall apart; at half resolution they see several.
 */
export function locateAtTwoScales(gray: GrayImage, map: BlockMap, fineRegions?: CodeRegion[]): CodeRegion[] {
  const fine = fineRegions ?? locateCodes(map, gray.width, gray.height, 3);
  const half = downscaleBox(gray, 2);
  const coarse = locateCodes(blockMap(half), half.width, half.height, 3).map((r) => scaleRegion(r, 2));
  return [...fine, ...coarse].sort((a, b) => b.score - a.score);
}

/** Frames wider than this are analysed at half size: the thresholds are set for 640–960 px wide views. */
export const ANALYSIS_MAX_WIDTH = 960;

/**
 * Measures one frame. Geometry in the result (box, sizes, module, blur) is in the given frame's pixels;
 * wide frames are analysed at half size, where the thresholds in `LIMITS` apply.
 */
export function analyzeFrame(frame: ImageDataLike | GrayImage): FrameQuality {
  const full = toGray(frame);
  const scale = full.width > ANALYSIS_MAX_WIDTH ? 2 : 1;
  const gray = scale === 1 ? full : downscaleBox(full, scale);
  const blocks = blockMap(gray);
  let brightness = 0;
  let saturated = 0;
  for (let b = 0; b < blocks.mean.length; b++) {
    brightness += blocks.mean[b]!;
    saturated += blocks.saturated[b]!;
  }
  brightness /= blocks.mean.length || 1;
  saturated /= blocks.saturated.length || 1;
  const region = locateAtTwoScales(gray, blocks)[0];
  const code = region ? measureCode(gray, region) : null;
  // A frame washed out over a large area is over-exposed: that is the one thing to fix, and the
  // region found in it may well be the background, so nothing else is judged.
  const defects: Defect[] = saturated >= LIMITS.overexposedShare ? ['glare', ...(code ? [] : ['no_code' as const])] : judgeDefects(gray, brightness, code);
  return { width: full.width, height: full.height, brightness, code: code && scale !== 1 ? scaleCode(code, scale) : code, defects, score: scoreOf(code, defects) };
}

function scaleCode(c: CodeQuality, f: number): CodeQuality {
  return {
    ...c,
    box: { x: c.box.x * f, y: c.box.y * f, width: c.box.width * f, height: c.box.height * f },
    sizePx: c.sizePx * f,
    minSidePx: c.minSidePx * f,
    modulePx: c.modulePx * f,
    extentModulePx: c.extentModulePx * f,
    blurPx: c.blurPx * f,
    blurAcrossPx: c.blurAcrossPx * f,
  };
}

function measureCode(gray: GrayImage, region: CodeRegion): CodeQuality {
  const box = { x: region.x, y: region.y, width: region.width, height: region.height };
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = box.y; y < box.y + box.height; y += 2) {
    for (let x = box.x; x < box.x + box.width; x += 2) {
      hist[gray.data[y * gray.width + x]!]!++;
      n++;
    }
  }
  const pct = (p: number): number => {
    let acc = 0;
    for (let v = 0; v < 256; v++) if ((acc += hist[v]!) >= p * n) return v;
    return 255;
  };
  let saturated = 0;
  for (let v = 250; v < 256; v++) saturated += hist[v]!;
  const dark = pct(0.05);
  const light = pct(0.95);
  const finders = region.kind === 'matrix' ? findFinderPatterns(gray, pad(box, 0.15, gray)) : [];
  const sizePx = Math.max(region.length, region.breadth);
  const fromFinders = consistent(finders) ? finders.reduce((s, f) => s + f.module, 0) / finders.length : 0;
  const extentModulePx = fromFinders || (region.kind === 'linear' ? region.length / 150 : Math.min(region.length, region.breadth) / 25);
  const fromRuns = moduleFromRuns(gray, box, region.angle, dark, light);
  const modulePx = fromFinders || fromRuns || (region.kind === 'linear' ? region.length / 150 : Math.min(region.length, region.breadth) / 25);
  const lean = ((region.angle * 180) / Math.PI) % 90;
  const blur = blurOf(gray, box, region);
  // A shaken QR code looks like bars; it is judged as the matrix code it is.
  const kind: RegionKind = blur.shakenMatrix ? 'matrix' : region.kind;
  return {
    kind,
    box,
    sizePx,
    minSidePx: Math.min(region.length, region.breadth),
    modulePx,
    extentModulePx,
    dark,
    light,
    contrast: light > 0 ? (light - dark) / light : 0,
    blurPx: blur.blurPx,
    blurAcrossPx: blur.blurAcrossPx,
    glare: n > 0 ? saturated / n : 0,
    tiltDeg: consistent(finders) && finders.length === 3 ? tiltFromFinders(finders) : null,
    skewDeg: kind === 'linear' ? Math.min(lean, 90 - lean) : 0,
    finderPatterns: finders.length,
    partlyOutOfView: region.touchesEdge,
  };
}

/**
 * Blur across the region's main edges and, unless it is a barcode, along them: shake blurs one
 * direction only, and a shaken QR code keeps edges in just the other one, so it can pass for a
 * barcode.
 */
function blurOf(gray: GrayImage, box: CodeQuality['box'], region: CodeRegion): { blurPx: number; blurAcrossPx: number; shakenMatrix: boolean } {
  const { contrast, steepest } = edgeSlopes(gray, box, [region.angle, region.angle + Math.PI / 2]);
  const sigma = (slope: number): number => Math.min(8, Math.max(0.3, contrast / (2.5 * Math.max(1, slope))));
  const across = sigma(steepest[0]!);
  const along = sigma(steepest[1]!);
  // Along a barcode's bars only the bar ends have edges, if they are in view at all: a squarish
  // "barcode" with real edges along it too is more likely a QR code shaken in one direction.
  const squarish = region.length < 2 * region.breadth;
  const shakenMatrix = region.kind === 'linear' && squarish && steepest[1]! >= LIMITS.shakenAlongShare * steepest[0]!;
  return { blurPx: region.kind === 'matrix' || shakenMatrix ? Math.max(across, along) : across, blurAcrossPx: across, shakenMatrix };
}

/** Finder patterns that could belong to one symbol: similar sizes, 5–45 modules apart. */
function consistent(finders: FinderPattern[]): boolean {
  if (finders.length < 2) return false;
  const modules = finders.map((f) => f.module);
  if (Math.max(...modules) > 1.6 * Math.min(...modules)) return false;
  const m = modules.reduce((a, b) => a + b, 0) / modules.length;
  for (let i = 0; i < finders.length; i++) {
    for (let j = i + 1; j < finders.length; j++) {
      const d = Math.hypot(finders[i]!.x - finders[j]!.x, finders[i]!.y - finders[j]!.y) / m;
      if (d < 5 || d > 45) return false; // 14 modules apart, foreshortened down to a third by tilt
    }
  }
  return true;
}

function pad(box: CodeQuality['box'], share: number, gray: GrayImage): CodeQuality['box'] {
  const m = share * Math.max(box.width, box.height);
  const x = Math.max(0, box.x - m);
  const y = Math.max(0, box.y - m);
  return { x, y, width: Math.min(gray.width, box.x + box.width + m) - x, height: Math.min(gray.height, box.y + box.height + m) - y };
}

function judgeDefects(gray: GrayImage, brightness: number, code: CodeQuality | null): Defect[] {
  const defects: Defect[] = [];
  if (!code) {
    if (brightness < LIMITS.darkFrame) defects.push('too_dark');
    defects.push('no_code');
    return defects;
  }
  const tooDark = code.light < LIMITS.darkLight;
  if (tooDark) defects.push('too_dark');
  const glare = code.glare >= LIMITS.glareShare;
  if (glare) defects.push('glare');
  // Too close: modules huge for this frame, or the code (its rotated box, not its axis-aligned one)
  // spans most of the frame.
  const short = Math.min(gray.width, gray.height);
  const long = Math.max(gray.width, gray.height);
  // Runs stretch with blur, so they only count where the edges are sharp next to them.
  const runsTrusted = code.blurAcrossPx <= LIMITS.sharpForRuns * code.modulePx;
  const close =
    code.kind === 'linear'
      ? code.sizePx >= LIMITS.closeBarLength * long || (runsTrusted && code.modulePx >= LIMITS.closeModuleBar * long)
      : code.minSidePx >= LIMITS.closeShare * short || (runsTrusted && code.modulePx >= LIMITS.closeModuleQr * short);
  if (close) defects.push('too_close');
  else if (code.partlyOutOfView) defects.push('partly_out_of_view');
  // Run lengths mean little on a washed-out code; on a tiny one even blur cannot be measured.
  // Short runs on a blurred code are noise around the threshold; a tiny sharp code keeps its contrast.
  const smallByRuns =
    (code.contrast >= LIMITS.smallRunsContrast || code.blurPx < LIMITS.blurMinPx) &&
    code.modulePx < (code.kind === 'linear' ? LIMITS.smallModuleBar : LIMITS.smallModuleQr);
  const small = !close && !glare && (code.sizePx < LIMITS.smallSizePx || smallByRuns);
  // Glare's soft rim and a close code's partial view both read as blur: the other hint is the useful one.
  const blurry = !glare && !close && !small && code.blurPx >= LIMITS.blurMinPx && code.blurPx >= LIMITS.blurModules * code.extentModulePx;
  if (blurry) defects.push('blurry');
  // Darkness, glare and blur all flatten contrast; low contrast is only news without them.
  if (!tooDark && !glare && !blurry && code.contrast < LIMITS.lowContrast) defects.push('low_contrast');
  // Tiny codes are hard to classify, so their size in pixels decides, whatever their kind.
  if (small) defects.push('too_small');
  // A code too small, too close or cut off has no trustworthy orientation (finder patterns go missing).
  const judgeTilt = !small && !close && !code.partlyOutOfView;
  if (judgeTilt && ((code.tiltDeg ?? 0) >= LIMITS.tiltQrDeg || code.skewDeg >= LIMITS.skewBarDeg)) defects.push('tilted');
  return defects;
}

function scoreOf(code: CodeQuality | null, defects: Defect[]): number {
  if (!code) return 0;
  const penalty = defects.length * 0.15;
  return Math.max(0, Math.min(1, 0.4 + code.contrast * 0.6 - penalty));
}
