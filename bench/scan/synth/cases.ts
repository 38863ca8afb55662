/**
 * The hard synthetic set: payment codes on a phone screen, each case one kind of damage (or a mix).
 * Ranges are chosen so plain decoders fail often while the symbol's information is still in the image.
 */
import { createRng, type Rng } from './rng.ts';
import { encodeSymbol, paymentPayload, type SymbolFormat } from './symbols.ts';
import { renderScene, type SceneSpec, type SceneTruth } from './scene.ts';
import { addGlare, addMoire, expose, gaussianBlur, motionBlur, toRgba } from './optics.ts';

export const DEGRADATIONS = [
  'blur',
  'low_contrast',
  'overexposure',
  'glare',
  'moire',
  'small_modules',
  'tilt',
  'jpeg',
  'combined',
] as const;
export type Degradation = (typeof DEGRADATIONS)[number];

type Effect =
  | { kind: 'gauss'; sigma: number }
  | { kind: 'motion'; length: number; angle: number }
  | { kind: 'glare'; peak: number; veil: number; radius: number; offsetX: number; offsetY: number; aspect: number; angle: number }
  | { kind: 'moire'; period: number; angle: number; amplitude: number; phase: number }
  | { kind: 'expose'; gain: number; bloom: number };

export interface SynthCase {
  id: string;
  degradation: Degradation;
  format: SymbolFormat;
  payload: string;
  spec: SceneSpec;
  effects: Effect[];
  noiseSigma: number;
  jpegQuality?: number;
  seed: number;
}

export interface SynthFrame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

const WIDTH = 1280;
const HEIGHT = 720;

function baseSpec(format: SymbolFormat, payload: string, rng: Rng): SceneSpec {
  const symbol = encodeSymbol(format, payload);
  const isQr = format === 'qr';
  const modulePx = isQr ? rng.range(3.5, 6.5) : rng.range(2.2, 3.4);
  const vertical = !isQr && rng.next() < 0.2;
  const roll = isQr ? rng.range(0, 2 * Math.PI) : (vertical ? Math.PI / 2 : 0) + rng.range(-0.1, 0.1) + (rng.next() < 0.5 ? Math.PI : 0);
  const extent = (symbol.format === 'qr' ? symbol.size + 8 : symbol.modules.length + 22) * modulePx * 0.5;
  const marginX = Math.min(WIDTH / 2 - 10, (vertical ? extent * 0.35 : extent) + 20);
  const marginY = Math.min(HEIGHT / 2 - 10, (vertical ? extent : isQr ? extent : extent * 0.35) + 20);
  const screenLight = rng.range(0.78, 0.95);
  return {
    width: WIDTH,
    height: HEIGHT,
    symbol,
    modulePx,
    center: { x: rng.range(marginX, WIDTH - marginX), y: rng.range(marginY, HEIGHT - marginY) },
    roll,
    tiltX: rng.range(-0.2, 0.2),
    tiltY: rng.range(-0.2, 0.2),
    screenLight,
    screenDark: rng.range(0.03, 0.08),
    ambient: rng.range(0.25, 0.55),
  };
}

/** One damage at full strength (`mild` = the weaker version used in mixes). */
function applyDegradation(kind: Exclude<Degradation, 'combined'>, c: SynthCase, rng: Rng, mild: boolean): void {
  const m = c.spec.modulePx;
  const k = mild ? 0.6 : 1;
  switch (kind) {
    case 'blur':
      // Up to where the finest detail (one module on, one off) keeps about a fifth of its contrast.
      if (rng.next() < 0.6) c.effects.push({ kind: 'gauss', sigma: m * rng.range(0.38, 0.55) * k });
      else c.effects.push({ kind: 'motion', length: m * rng.range(1.0, 1.5) * k, angle: rng.range(0, Math.PI) });
      break;
    case 'low_contrast': {
      const contrast = mild ? rng.range(0.15, 0.25) : rng.range(0.07, 0.14);
      c.spec.screenDark = c.spec.screenLight * (1 - contrast);
      c.spec.ambient = rng.range(0.2, 0.4);
      break;
    }
    case 'overexposure':
      c.effects.push({ kind: 'expose', gain: mild ? rng.range(1.4, 1.9) : rng.range(2.1, 3.2), bloom: rng.range(0.15, 0.45) * k });
      break;
    case 'glare':
      // Bright enough to clip the light modules, not so bright that the dark ones clip too.
      c.effects.push({
        kind: 'glare',
        peak: rng.range(0.3, 0.6) * k,
        veil: rng.range(0.1, 0.3) * k,
        radius: rng.range(0.18, 0.32),
        offsetX: rng.range(-0.6, 0.6),
        offsetY: rng.range(-0.6, 0.6),
        aspect: rng.range(0.4, 1),
        angle: rng.range(0, Math.PI),
      });
      break;
    case 'moire':
      c.effects.push({ kind: 'moire', period: rng.range(6, 24), angle: rng.range(0, Math.PI), amplitude: rng.range(0.3, 0.55) * k, phase: rng.range(0, 6.28) });
      break;
    case 'small_modules':
      // Below about 1.4 px per module (QR 1.8) the bars blur into each other: no decoder can be asked for that.
      c.spec.modulePx = c.format === 'qr' ? rng.range(1.8, 2.5) / k ** 0.5 : rng.range(1.4, 1.8) / k ** 0.5;
      c.effects.push({ kind: 'gauss', sigma: 0.45 });
      break;
    case 'tilt': {
      const tilt = rng.range(0.6, 0.85) * k; // 34–49°, tilted away from the camera
      const axis = rng.range(0, Math.PI);
      c.spec.tiltX = tilt * Math.cos(axis);
      c.spec.tiltY = tilt * Math.sin(axis);
      if (c.format === 'code128') c.spec.roll += (rng.next() < 0.5 ? -1 : 1) * rng.range(0.35, 1.1) * k;
      break;
    }
    case 'jpeg':
      c.jpegQuality = mild ? rng.int(15, 25) : rng.int(4, 10);
      break;
  }
}

export function buildCases(seed: number, perCell: number): SynthCase[] {
  const cases: SynthCase[] = [];
  for (const degradation of DEGRADATIONS) {
    for (const format of ['qr', 'code128'] as const) {
      for (let i = 0; i < perCell; i++) {
        const caseSeed = createRng(seed).fork(`${degradation}/${format}/${i}`).int(0, 2 ** 31);
        const rng = createRng(caseSeed);
        const payload = paymentPayload(rng);
        const c: SynthCase = {
          id: `${degradation}/${format}/${i}`,
          degradation,
          format,
          payload,
          spec: baseSpec(format, payload, rng),
          effects: [],
          noiseSigma: rng.range(2, 4.5),
          seed: caseSeed,
        };
        if (degradation === 'combined') {
          const pool = DEGRADATIONS.filter((d): d is Exclude<Degradation, 'combined'> => d !== 'combined');
          const picked = new Set<Exclude<Degradation, 'combined'>>();
          const count = rng.int(2, 3);
          while (picked.size < count) picked.add(rng.pick(pool));
          for (const d of picked) applyDegradation(d, c, rng, true);
        } else {
          applyDegradation(degradation, c, rng, false);
        }
        keepDarkModulesUnclipped(c);
        cases.push(c);
      }
    }
  }
  return cases;
}

/**
 * A case must stay readable in principle: where the dark modules clip to white as well (glare on a dim
 * screen, over-exposure on a low-contrast one) the code is gone, for any decoder. So the brightest a dark
 * module gets is kept below saturation, by lowering the gain first and the glare second.
 */
function keepDarkModulesUnclipped(c: SynthCase): void {
  const glare = c.effects.find((e) => e.kind === 'glare');
  const exposure = c.effects.find((e) => e.kind === 'expose');
  const ceiling = 0.78;
  const darkest = (): number => (c.spec.screenDark + (glare ? glare.peak + glare.veil : 0)) * (exposure ? exposure.gain * (1 + exposure.bloom * 0.5) : 1);
  if (exposure && darkest() > ceiling) exposure.gain = Math.max(1, (exposure.gain * ceiling) / darkest());
  if (glare && darkest() > ceiling) {
    const room = ceiling / (exposure ? exposure.gain * (1 + exposure.bloom * 0.5) : 1) - c.spec.screenDark;
    const k = Math.max(0, room) / (glare.peak + glare.veil);
    glare.peak *= k;
    glare.veil *= k;
  }
}

/** The noise-free image of a case after optics, ready for per-frame noise. */
export function renderOptics(c: SynthCase): { luminance: Float32Array; mask: Uint8Array; truth: SceneTruth } {
  const rng = createRng(c.seed).fork('scene');
  const scene = renderScene(c.spec, rng);
  const { width, height } = scene;
  let lum = scene.luminance;
  // Glare and moiré sit on the screen surface, so they come before the lens blur.
  for (const e of c.effects) {
    if (e.kind === 'glare') {
      const size = Math.max(scene.truth.boxWidth, scene.truth.boxHeight);
      const cx = scene.truth.corners.reduce((s, p) => s + p.x, 0) / 4;
      const cy = scene.truth.corners.reduce((s, p) => s + p.y, 0) / 4;
      addGlare(lum, scene.screenMask, width, height, {
        center: { x: cx + (e.offsetX * scene.truth.boxWidth) / 2, y: cy + (e.offsetY * scene.truth.boxHeight) / 2 },
        radiusX: e.radius * size,
        radiusY: e.radius * size * e.aspect,
        angle: e.angle,
        peak: e.peak,
        veil: e.veil,
      });
    }
    if (e.kind === 'moire') addMoire(lum, scene.screenMask, width, height, e);
  }
  for (const e of c.effects) {
    if (e.kind === 'gauss') lum = gaussianBlur(lum, width, height, e.sigma);
    if (e.kind === 'motion') lum = motionBlur(lum, width, height, e.length, e.angle);
  }
  for (const e of c.effects) {
    if (e.kind === 'expose') lum = expose(lum, width, height, e.gain, c.spec.modulePx * 0.5, e.bloom);
  }
  return { luminance: lum, mask: scene.screenMask, truth: scene.truth };
}

export type JpegCodec = (frame: SynthFrame, quality: number) => Promise<SynthFrame>;

/** `count` consecutive camera frames of one case: same scene, fresh sensor noise each time. */
export async function renderFrames(c: SynthCase, count: number, jpeg?: JpegCodec): Promise<{ frames: SynthFrame[]; truth: SceneTruth }> {
  const optics = renderOptics(c);
  const frames: SynthFrame[] = [];
  for (let i = 0; i < count; i++) {
    const rng = createRng(c.seed).fork(`noise/${i}`);
    let frame: SynthFrame = { data: toRgba(optics.luminance, optics.mask, WIDTH, HEIGHT, c.noiseSigma, rng), width: WIDTH, height: HEIGHT };
    if (c.jpegQuality !== undefined) {
      if (!jpeg) throw new Error(`case ${c.id} needs a JPEG codec`);
      frame = await jpeg(frame, c.jpegQuality);
    }
    frames.push(frame);
  }
  return { frames, truth: optics.truth };
}
