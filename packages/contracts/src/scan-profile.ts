/**
 * The scan profile (PRODUCT.md: "scan configuration profiles managed centrally, validated,
 * misconfiguration detected"): which camera, what resolution, which part of the frame is decoded,
 * the torch where the device has one, and the pause between decoded frames. The operator sets it on
 * the platform (a fleet default, per merchant, per terminal); the terminal fetches the one in force
 * with a signed request. One schema checks it on both sides, so a profile the platform accepts is one
 * the cashier app accepts.
 */
import { z } from 'zod';

/** Bounds a profile must keep; outside them a camera or a small POS CPU is misused. */
export const SCAN_PROFILE_LIMITS = {
  minSidePx: 160,
  maxSidePx: 4096,
  /** Each side of the scan region, as a fraction of the frame: smaller cannot hold a payment code. */
  minRegionSide: 0.2,
  maxFrameIntervalMs: 2000,
} as const;

const L = SCAN_PROFILE_LIMITS;
const fraction = z.number().min(0).max(1);
/** Rounding slack when x + width is checked against the frame edge. */
const EDGE_SLACK = 1e-4;

export const ScanRegion = z
  .object({
    /** Fractions of the frame, 0–1: the part that is decoded and outlined in the viewfinder. */
    x: fraction,
    y: fraction,
    width: fraction.min(L.minRegionSide),
    height: fraction.min(L.minRegionSide),
  })
  .refine((r) => r.x + r.width <= 1 + EDGE_SLACK, { message: 'the scan region runs past the right edge of the frame', path: ['width'] })
  .refine((r) => r.y + r.height <= 1 + EDGE_SLACK, { message: 'the scan region runs past the bottom edge of the frame', path: ['height'] });
export type ScanRegion = z.infer<typeof ScanRegion>;

const side = z.number().int().min(L.minSidePx).max(L.maxSidePx);

export const ScanProfile = z.strictObject({
  name: z.string().min(1).max(64),
  facingMode: z.enum(['environment', 'user']),
  /** Asked for as `ideal` unless `strictResolution`: a camera that cannot do it gives the nearest it can. */
  width: side,
  height: side,
  /** `exact` asks for exactly this size and fails (OverconstrainedError) when the camera cannot. */
  strictResolution: z.boolean(),
  region: ScanRegion,
  /** Turn the torch on when scanning, where the device has one (ignored where it has none). */
  torch: z.boolean(),
  /** Pause between decoded frames, so the decoder never takes the whole CPU of a small POS. */
  frameIntervalMs: z.number().int().min(0).max(L.maxFrameIntervalMs),
});
export type ScanProfile = z.infer<typeof ScanProfile>;

export const DEFAULT_SCAN_PROFILE: ScanProfile = {
  name: 'default',
  facingMode: 'environment',
  width: 1280,
  height: 720,
  strictResolution: false,
  region: { x: 0, y: 0, width: 1, height: 1 },
  torch: false,
  frameIntervalMs: 80,
};

export type ScanProfileField = 'name' | 'facingMode' | 'resolution' | 'strictResolution' | 'region' | 'torch' | 'frameIntervalMs' | 'profile';

export interface ScanProfileProblem {
  field: ScanProfileField;
  /** For people: which rule the value breaks, Chinese first. */
  message: { zh: string; en: string };
}

const FIELD_TEXT: Record<ScanProfileField, { zh: string; en: string }> = {
  name: { zh: '配置名称须为 1–64 个字符', en: 'the profile name must be 1–64 characters' },
  facingMode: { zh: '摄像头只能是 environment（后置）或 user（前置）', en: 'the camera must be environment (back) or user (front)' },
  resolution: { zh: `分辨率须为 ${L.minSidePx}–${L.maxSidePx} 像素的整数`, en: `the resolution must be whole pixels within ${L.minSidePx}–${L.maxSidePx}` },
  strictResolution: { zh: 'strictResolution 须为 true 或 false', en: 'strictResolution must be true or false' },
  region: {
    zh: `扫码区域须在画面内（0–1 的比例），且每边不小于画面的 ${L.minRegionSide * 100}%`,
    en: `the scan region must lie inside the frame (fractions 0–1), each side at least ${L.minRegionSide * 100}% of the frame`,
  },
  torch: { zh: 'torch 须为 true 或 false', en: 'torch must be true or false' },
  frameIntervalMs: { zh: `帧间隔须为 0–${L.maxFrameIntervalMs} 毫秒的整数`, en: `the pause between frames must be whole milliseconds within 0–${L.maxFrameIntervalMs}` },
  profile: { zh: '扫码配置须为一个对象，且只含规定的字段', en: 'the scan profile must be an object with only the documented fields' },
};

function fieldOf(path: readonly PropertyKey[]): ScanProfileField {
  const top = path[0];
  if (top === 'width' || top === 'height') return 'resolution';
  if (typeof top === 'string' && top in FIELD_TEXT) return top as ScanProfileField;
  return 'profile';
}

/** What is wrong with a value offered as a profile, one entry per field (empty when usable). */
export function scanProfileProblems(value: unknown): ScanProfileProblem[] {
  const parsed = ScanProfile.safeParse(value);
  if (parsed.success) return [];
  const fields = [...new Set(parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? 'profile' : fieldOf(i.path))))];
  return fields.map((field) => ({ field, message: FIELD_TEXT[field] }));
}

/** Where the profile in force comes from: the narrowest scope the operator set, or the built-in one. */
export const ScanProfileSource = z.enum(['terminal', 'merchant', 'fleet', 'builtin']);
export type ScanProfileSource = z.infer<typeof ScanProfileSource>;

export const EffectiveScanProfile = z.object({
  profile: ScanProfile,
  /** Changes whenever the operator changes the profile in force (0: the built-in default). */
  version: z.number().int().min(0),
  source: ScanProfileSource,
  updatedAt: z.string().nullable(),
});
export type EffectiveScanProfile = z.infer<typeof EffectiveScanProfile>;

/** `GET /v1/terminals/self/config` (device-signed): what the platform wants this terminal to run with. */
export const TerminalConfig = z.object({ scanProfile: EffectiveScanProfile });
export type TerminalConfig = z.infer<typeof TerminalConfig>;

/** Operator body for setting a profile at one scope. */
export const SetScanProfileRequest = z.object({ profile: ScanProfile });
export type SetScanProfileRequest = z.infer<typeof SetScanProfileRequest>;

/** Operator view of a terminal: the profile in force and the override set on the terminal itself. */
export const TerminalScanProfileView = z.object({
  terminalId: z.string(),
  effective: EffectiveScanProfile,
  override: ScanProfile.nullable(),
});
export type TerminalScanProfileView = z.infer<typeof TerminalScanProfileView>;
