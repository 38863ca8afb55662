/**
 * Frames with one known camera defect each (or none), for checking the frame analysis: too dark, low
 * contrast, blurry, glare, too small, too close, partly out of view, tilted. Pure TypeScript and seeded,
 * so the unit test and the bench draw the same kind of frames.
 */
import { createRng, type Rng } from './rng.ts';
import { encodeSymbol, paymentPayload, type SymbolFormat } from './symbols.ts';
import { renderScene, type SceneSpec } from './scene.ts';
import { addGlare, expose, gaussianBlur, motionBlur, toRgba } from './optics.ts';

export const DEFECT_CLASSES = [
  'clean',
  'too_dark',
  'low_contrast',
  'blurry',
  'glare',
  'too_small',
  'too_close',
  'partly_out_of_view',
  'tilted',
] as const;
export type DefectClass = (typeof DEFECT_CLASSES)[number];

export interface DefectFrame {
  id: string;
  defect: DefectClass;
  format: SymbolFormat;
  payload: string;
  frame: { data: Uint8ClampedArray; width: number; height: number };
}

interface Plan {
  spec: SceneSpec;
  blur?: { sigma: number } | { length: number; angle: number };
  glare?: { peak: number; veil: number; radius: number };
  gain?: number;
}

function basePlan(format: SymbolFormat, payload: string, width: number, height: number, rng: Rng): Plan {
  const symbol = encodeSymbol(format, payload);
  const isQr = format === 'qr';
  const modulePx = isQr ? rng.range(3.2, 5) : rng.range(1.9, 2.5);
  // Upright codes only: a sideways barcode would fill a 16:9 frame's height at these sizes.
  const vertical = false;
  return {
    spec: {
      width,
      height,
      symbol,
      modulePx,
      center: { x: width / 2 + rng.range(-0.1, 0.1) * width, y: height / 2 + rng.range(-0.08, 0.08) * height },
      roll: isQr ? rng.range(0, 2 * Math.PI) : (vertical ? Math.PI / 2 : 0) + rng.range(-0.08, 0.08) + (rng.next() < 0.5 ? Math.PI : 0),
      tiltX: rng.range(-0.15, 0.15),
      tiltY: rng.range(-0.15, 0.15),
      screenLight: rng.range(0.78, 0.92),
      screenDark: rng.range(0.03, 0.08),
      ambient: rng.range(0.3, 0.55),
    },
  };
}

/** Symbol size in modules along its longer side. */
function extentModules(spec: SceneSpec): number {
  return spec.symbol.format === 'qr' ? spec.symbol.size : spec.symbol.modules.length;
}

function applyDefect(defect: DefectClass, plan: Plan, rng: Rng): void {
  const { spec } = plan;
  const isQr = spec.symbol.format === 'qr';
  const m = spec.modulePx;
  switch (defect) {
    case 'clean':
      break;
    case 'too_dark':
      plan.gain = rng.range(0.12, 0.25);
      break;
    case 'low_contrast':
      spec.screenDark = spec.screenLight * (1 - rng.range(0.08, 0.22));
      break;
    case 'blurry':
      // Shake across the bars for a barcode: shake along them leaves its edges sharp.
      plan.blur =
        rng.next() < 0.5
          ? { sigma: m * rng.range(0.55, 0.9) }
          : { length: m * rng.range(1.8, 3), angle: isQr ? rng.range(0, Math.PI) : spec.roll + rng.range(-0.4, 0.4) };
      break;
    case 'glare':
      if (rng.next() < 0.6) plan.glare = { peak: rng.range(0.9, 1.5), veil: rng.range(0.15, 0.35), radius: rng.range(0.25, 0.45) };
      else plan.gain = rng.range(2.6, 4);
      break;
    case 'too_small':
      spec.modulePx = isQr ? rng.range(1.0, 1.45) : rng.range(0.75, 1.1);
      break;
    case 'too_close': {
      // The code spans 80–130 % of the frame's height (QR) or width (Code 128).
      const span = rng.range(0.8, 1.3) * (isQr ? spec.height : spec.width);
      spec.modulePx = span / extentModules(spec);
      break;
    }
    case 'partly_out_of_view': {
      // Slide the code across a frame edge until about a quarter to a half of it is outside.
      const halfLength = (extentModules(spec) * m) / 2;
      const halfBreadth = isQr ? halfLength : halfLength / 4.2;
      const c = Math.abs(Math.cos(spec.roll));
      const s = Math.abs(Math.sin(spec.roll));
      const halfX = halfLength * c + halfBreadth * s;
      const halfY = halfLength * s + halfBreadth * c;
      const side = rng.int(0, 3);
      const out = rng.range(0.25, 0.5);
      if (side === 0) spec.center.x = halfX - out * 2 * halfX;
      if (side === 1) spec.center.x = spec.width - halfX + out * 2 * halfX;
      if (side === 2) spec.center.y = halfY - out * 2 * halfY;
      if (side === 3) spec.center.y = spec.height - halfY + out * 2 * halfY;
      break;
    }
    case 'tilted':
      if (isQr) {
        const tilt = rng.range(0.8, 1.05); // 46–60°
        const axis = rng.range(0, Math.PI);
        spec.tiltX = tilt * Math.cos(axis);
        spec.tiltY = tilt * Math.sin(axis);
      } else {
        spec.roll += (rng.next() < 0.5 ? -1 : 1) * rng.range(0.45, 1.1); // 26–63° off the axis
        // Keep the slanted code inside the frame, with a margin.
        const length = extentModules(spec);
        const across = Math.abs(Math.sin(spec.roll)) * length + Math.abs(Math.cos(spec.roll)) * (length / 4.2);
        spec.modulePx = Math.min(spec.modulePx, (0.75 * spec.height) / across);
        spec.center = { x: spec.width / 2, y: spec.height / 2 };
      }
      break;
  }
}

export function buildDefectFrames(seed: number, perClass: number, width = 640, height = 360): DefectFrame[] {
  const frames: DefectFrame[] = [];
  for (const defect of DEFECT_CLASSES) {
    for (let i = 0; i < perClass; i++) {
      const format: SymbolFormat = i % 2 === 0 ? 'qr' : 'code128';
      const rng = createRng(seed).fork(`${defect}/${i}`);
      const payload = paymentPayload(rng);
      // The scene is planned for a 640 px wide view; a wider camera sees it in proportionally more pixels.
      const k = width / 640;
      const plan = basePlan(format, payload, 640, height / k, rng);
      applyDefect(defect, plan, rng);
      Object.assign(plan.spec, { width, height, modulePx: plan.spec.modulePx * k, center: { x: plan.spec.center.x * k, y: plan.spec.center.y * k } });
      if (plan.blur && 'sigma' in plan.blur) plan.blur.sigma *= k;
      if (plan.blur && 'length' in plan.blur) plan.blur.length *= k;
      frames.push({ id: `${defect}/${format}/${i}`, defect, format, payload, frame: render(plan, rng) });
    }
  }
  return frames;
}

function render(plan: Plan, rng: Rng): DefectFrame['frame'] {
  const scene = renderScene(plan.spec, rng.fork('scene'));
  const { width, height, truth } = scene;
  let lum = scene.luminance;
  if (plan.glare) {
    const size = Math.max(truth.boxWidth, truth.boxHeight);
    const cx = truth.corners.reduce((s, p) => s + p.x, 0) / 4;
    const cy = truth.corners.reduce((s, p) => s + p.y, 0) / 4;
    addGlare(lum, scene.screenMask, width, height, {
      center: { x: cx + rng.range(-0.3, 0.3) * truth.boxWidth, y: cy + rng.range(-0.3, 0.3) * truth.boxHeight },
      radiusX: plan.glare.radius * size,
      radiusY: plan.glare.radius * size * rng.range(0.5, 1),
      angle: rng.range(0, Math.PI),
      peak: plan.glare.peak,
      veil: plan.glare.veil,
    });
  }
  if (plan.blur) {
    lum = 'sigma' in plan.blur ? gaussianBlur(lum, width, height, plan.blur.sigma) : motionBlur(lum, width, height, plan.blur.length, plan.blur.angle);
  }
  if (plan.gain !== undefined) lum = expose(lum, width, height, plan.gain, plan.spec.modulePx * 0.5, plan.gain > 1 ? 0.3 : 0);
  return { data: toRgba(lum, scene.screenMask, width, height, rng.range(2, 4), rng.fork('noise')), width, height };
}
