/**
 * Renders a phone screen showing a payment code, seen by a terminal camera: a pinhole camera looks at
 * the tilted, rotated screen plane lying on a textured counter. Pure TypeScript (no canvas), seeded.
 * Output is scene luminance in 0..1 (floats), plus where the screen is and where the code ended up.
 */
import type { CodeSymbol } from './symbols.ts';
import type { Rng } from './rng.ts';

export interface Point {
  x: number;
  y: number;
}

export interface SceneSpec {
  width: number;
  height: number;
  symbol: CodeSymbol;
  /** Camera pixels per module at the code's centre. */
  modulePx: number;
  /** Where the code's centre lands in the frame, in pixels. */
  center: Point;
  /** In-plane rotation and out-of-plane tilts, radians. */
  roll: number;
  tiltX: number;
  tiltY: number;
  /** Screen luminance of light and dark modules. */
  screenLight: number;
  screenDark: number;
  /** Luminance of the counter around the phone. */
  ambient: number;
}

export interface SceneTruth {
  /** The symbol's corners (without quiet zone) in the frame: TL, TR, BR, BL of the unrotated symbol. */
  corners: Point[];
  modulePx: number;
  /** Share of the symbol's area inside the frame. */
  inView: number;
  /** Size of the symbol's bounding box in the frame. */
  boxWidth: number;
  boxHeight: number;
}

export interface RenderedScene {
  width: number;
  height: number;
  luminance: Float32Array;
  /** 1 where the camera sees the phone's screen (for moiré and colour tint). */
  screenMask: Uint8Array;
  truth: SceneTruth;
}

interface Layout {
  halfW: number;
  halfH: number;
  screen: { u0: number; u1: number; v0: number; v1: number };
  bezel: number;
  header: number;
  textBars: { u0: number; u1: number; v0: number; v1: number }[];
}

function layoutFor(symbol: CodeSymbol, rng: Rng): Layout {
  const isQr = symbol.format === 'qr';
  const halfW = isQr ? symbol.size / 2 : symbol.modules.length / 2;
  const halfH = isQr ? symbol.size / 2 : Math.round(symbol.modules.length / 4.2) / 2;
  const quietU = isQr ? 4 : 11;
  const quietV = isQr ? 4 : 5;
  const screenW = isQr ? symbol.size * 2.4 : symbol.modules.length + 2 * 16;
  const screenH = screenW * 2;
  const top = isQr ? -0.55 * screenH : -0.35 * screenH;
  const screen = { u0: -screenW / 2, u1: screenW / 2, v0: top, v1: top + screenH };
  const textBars: Layout['textBars'] = [];
  const line = screenW / 40;
  // A few lines of "text" above and below the code, never inside its quiet zone.
  for (const side of [-1, 1]) {
    let v = side < 0 ? -halfH - quietV - line * 1.5 : halfH + quietV + line * 0.5;
    for (let k = 0; k < 4; k++) {
      const width = rng.range(0.25, 0.7) * screenW;
      const u0 = rng.range(-0.45, 0.45 - width / screenW) * screenW;
      textBars.push({ u0, u1: u0 + width, v0: v, v1: v + line });
      v += side * line * 2.2;
    }
  }
  return { halfW, halfH, screen, bezel: screenW * 0.05, header: screen.v0 + screenH * 0.1, textBars };
}

/** Luminance of the phone at plane point (u, v) in module units, or -1 outside the phone. */
function phoneAt(u: number, v: number, spec: SceneSpec, layout: Layout): number {
  const { screen, bezel } = layout;
  if (u < screen.u0 - bezel || u > screen.u1 + bezel || v < screen.v0 - bezel || v > screen.v1 + bezel) return -1;
  if (u < screen.u0 || u > screen.u1 || v < screen.v0 || v > screen.v1) return 0.03;
  const { screenLight, screenDark, symbol } = spec;
  if (u >= -layout.halfW && u < layout.halfW && v >= -layout.halfH && v < layout.halfH) {
    let dark: number;
    if (symbol.format === 'qr') {
      const col = Math.floor(u + layout.halfW);
      const row = Math.floor(v + layout.halfH);
      dark = symbol.modules[row * symbol.size + col]!;
    } else {
      dark = symbol.modules[Math.floor(u + layout.halfW)]!;
    }
    return dark ? screenDark : screenLight;
  }
  if (v < layout.header) return screenLight * 0.55;
  for (const bar of layout.textBars) {
    if (u >= bar.u0 && u < bar.u1 && v >= bar.v0 && v < bar.v1) return screenDark + (screenLight - screenDark) * 0.45;
  }
  return screenLight;
}

interface Camera {
  f: number;
  cx: number;
  cy: number;
  /** Rows of the rotation matrix R (plane → camera). */
  r: number[];
  t: [number, number, number];
}

function cameraFor(spec: SceneSpec): Camera {
  const f = spec.width * 0.9;
  const cx = spec.width / 2;
  const cy = spec.height / 2;
  const z = f / spec.modulePx;
  const t: [number, number, number] = [((spec.center.x - cx) * z) / f, ((spec.center.y - cy) * z) / f, z];
  const [a, b, c] = [spec.roll, spec.tiltX, spec.tiltY];
  // R = Rz(roll) · Rx(tiltX) · Ry(tiltY)
  const rz = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
  const rx = [1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)];
  const ry = [Math.cos(c), 0, Math.sin(c), 0, 1, 0, -Math.sin(c), 0, Math.cos(c)];
  return { f, cx, cy, r: mul3(mul3(rz, rx), ry), t };
}

function mul3(p: number[], q: number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[i * 3 + j]! += p[i * 3 + k]! * q[k * 3 + j]!;
  return out;
}

function project(cam: Camera, u: number, v: number): Point {
  const { r, t } = cam;
  const x = r[0]! * u + r[1]! * v + t[0];
  const y = r[3]! * u + r[4]! * v + t[1];
  const z = r[6]! * u + r[7]! * v + t[2];
  return { x: cam.cx + (cam.f * x) / z, y: cam.cy + (cam.f * y) / z };
}

function backgroundTexture(width: number, height: number, ambient: number, rng: Rng): Float32Array {
  const cell = 48;
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh).map(() => rng.range(0.7, 1.3));
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const wy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const wx = gx - x0;
      const a = grid[y0 * gw + x0]! + (grid[y0 * gw + x0 + 1]! - grid[y0 * gw + x0]!) * wx;
      const b = grid[(y0 + 1) * gw + x0]! + (grid[(y0 + 1) * gw + x0 + 1]! - grid[(y0 + 1) * gw + x0]!) * wx;
      out[y * width + x] = ambient * (a + (b - a) * wy);
    }
  }
  return out;
}

export function renderScene(spec: SceneSpec, rng: Rng): RenderedScene {
  const { width, height } = spec;
  const layout = layoutFor(spec.symbol, rng);
  const cam = cameraFor(spec);
  const luminance = backgroundTexture(width, height, spec.ambient, rng);
  const screenMask = new Uint8Array(width * height);

  const { screen, bezel } = layout;
  const phoneCorners = [
    project(cam, screen.u0 - bezel, screen.v0 - bezel),
    project(cam, screen.u1 + bezel, screen.v0 - bezel),
    project(cam, screen.u1 + bezel, screen.v1 + bezel),
    project(cam, screen.u0 - bezel, screen.v1 + bezel),
  ];
  const x0 = Math.max(0, Math.floor(Math.min(...phoneCorners.map((p) => p.x))));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...phoneCorners.map((p) => p.x))));
  const y0 = Math.max(0, Math.floor(Math.min(...phoneCorners.map((p) => p.y))));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...phoneCorners.map((p) => p.y))));

  // Inverse mapping: intersect each pixel's ray with the screen plane, then read (u, v) on it.
  const { r, t, f, cx, cy } = cam;
  const n = [r[2]!, r[5]!, r[8]!];
  const nt = n[0]! * t[0] + n[1]! * t[1] + n[2]! * t[2];
  const offsets = [0.25, 0.75];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let sum = 0;
      let inside = 0;
      let screenHits = 0;
      for (const oy of offsets) {
        for (const ox of offsets) {
          const dx = (x + ox - cx) / f;
          const dy = (y + oy - cy) / f;
          const s = nt / (n[0]! * dx + n[1]! * dy + n[2]!);
          const wx = s * dx - t[0];
          const wy = s * dy - t[1];
          const wz = s - t[2];
          const u = r[0]! * wx + r[3]! * wy + r[6]! * wz;
          const v = r[1]! * wx + r[4]! * wy + r[7]! * wz;
          const lum = s > 0 ? phoneAt(u, v, spec, layout) : -1;
          if (lum >= 0) {
            sum += lum;
            inside++;
            if (u >= screen.u0 && u <= screen.u1 && v >= screen.v0 && v <= screen.v1) screenHits++;
          }
        }
      }
      if (inside === 0) continue;
      const i = y * width + x;
      luminance[i] = (sum + luminance[i]! * (4 - inside)) / 4;
      if (screenHits >= 2) screenMask[i] = 1;
    }
  }
  return { width, height, luminance, screenMask, truth: truthFor(spec, cam, layout) };
}

function truthFor(spec: SceneSpec, cam: Camera, layout: Layout): SceneTruth {
  const { halfW, halfH } = layout;
  const corners = [
    project(cam, -halfW, -halfH),
    project(cam, halfW, -halfH),
    project(cam, halfW, halfH),
    project(cam, -halfW, halfH),
  ];
  let inside = 0;
  const steps = 12;
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      const p = project(cam, -halfW + ((i + 0.5) * 2 * halfW) / steps, -halfH + ((j + 0.5) * 2 * halfH) / steps);
      if (p.x >= 0 && p.x < spec.width && p.y >= 0 && p.y < spec.height) inside++;
    }
  }
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  return {
    corners,
    modulePx: spec.modulePx,
    inView: inside / (steps * steps),
    boxWidth: Math.max(...xs) - Math.min(...xs),
    boxHeight: Math.max(...ys) - Math.min(...ys),
  };
}
