/**
 * Live coaching for the cashier and the customer: each frame defect maps to one hint with a stable id
 * and Chinese text first, English beside it. A coach smooths the hints over recent frames, so the
 * screen does not flicker between advice on every frame.
 */
import type { Defect, FrameQuality } from './quality.ts';

export const HINT_IDS = [
  'too_dark',
  'reduce_glare',
  'too_close',
  'partly_out_of_view',
  'move_closer',
  'hold_still',
  'straighten',
  'low_contrast',
  'show_code',
] as const;
export type HintId = (typeof HINT_IDS)[number];

export interface CoachingHint {
  id: HintId;
  zh: string;
  en: string;
}

export const HINT_TEXT: Record<HintId, { zh: string; en: string }> = {
  too_dark: { zh: '光线太暗，请调高手机屏幕亮度', en: "Too dark — turn up the phone's screen brightness" },
  reduce_glare: { zh: '请调低手机亮度或倾斜手机', en: "Lower the phone's brightness or tilt it" },
  too_close: { zh: '请将手机拿远一点', en: 'Move the phone a little further away' },
  partly_out_of_view: { zh: '请将付款码完整放入取景框', en: 'Keep the whole code inside the frame' },
  move_closer: { zh: '请靠近一点', en: 'Move closer' },
  hold_still: { zh: '请保持手机稳定', en: 'Hold still' },
  straighten: { zh: '请将手机摆正，正对摄像头', en: 'Hold the phone straight, facing the camera' },
  low_contrast: { zh: '付款码太淡，请调高手机屏幕亮度', en: 'The code is faint — turn up the screen brightness' },
  show_code: { zh: '请出示付款码', en: 'Please show your payment code' },
};

export const HINT_FOR_DEFECT: Record<Defect, HintId> = {
  no_code: 'show_code',
  too_dark: 'too_dark',
  glare: 'reduce_glare',
  too_close: 'too_close',
  partly_out_of_view: 'partly_out_of_view',
  too_small: 'move_closer',
  blurry: 'hold_still',
  tilted: 'straighten',
  low_contrast: 'low_contrast',
};

export function hint(id: HintId): CoachingHint {
  return { id, ...HINT_TEXT[id] };
}

/** All hints for one frame, most urgent first (the order of `HINT_IDS`: fix light first, then framing). */
export function hintsFor(quality: FrameQuality): CoachingHint[] {
  const ids = new Set(quality.defects.map((d) => HINT_FOR_DEFECT[d]));
  return HINT_IDS.filter((id) => ids.has(id)).map(hint);
}

export interface CoachOptions {
  /** Frames looked back over (default 8). */
  window?: number;
  /** Share of those frames a defect needs before its hint appears (default 0.5) … */
  showAt?: number;
  /** … and below which a shown hint goes away (default 0.25). */
  hideAt?: number;
}

export interface Coach {
  /** Feeds one frame's quality; returns the hint to show now, or null. */
  push(quality: FrameQuality): CoachingHint | null;
  current(): CoachingHint | null;
  reset(): void;
}

export function createCoach(options: CoachOptions = {}): Coach {
  const size = options.window ?? 8;
  const showAt = options.showAt ?? 0.5;
  const hideAt = options.hideAt ?? 0.25;
  let recent: Set<HintId>[] = [];
  let shown: HintId | null = null;
  const share = (id: HintId): number => recent.filter((s) => s.has(id)).length / recent.length;
  return {
    push(quality) {
      recent.push(new Set(hintsFor(quality).map((h) => h.id)));
      if (recent.length > size) recent = recent.slice(-size);
      // Keep the shown hint while it still holds (hysteresis); else take the most urgent frequent one.
      if (shown && share(shown) >= hideAt && !HINT_IDS.some((id) => id !== shown && HINT_IDS.indexOf(id) < HINT_IDS.indexOf(shown!) && share(id) >= showAt)) {
        return hint(shown);
      }
      shown = HINT_IDS.find((id) => share(id) >= showAt) ?? null;
      return shown ? hint(shown) : null;
    },
    current: () => (shown ? hint(shown) : null),
    reset() {
      recent = [];
      shown = null;
    },
  };
}
