/**
 * Live coaching under the viewfinder (PRODUCT.md: "请靠近一点" …): the frame analysis of
 * @scanpay/paycode/frame names what is wrong with a frame the decoders could not read; this turns
 * it into one short instruction. A hint shows only once the same defect was seen in two of the
 * last three frames, so it does not flicker from frame to frame.
 */
import type { Text } from '../i18n.tsx';

/** The defects `analyzeFrame` reports, most actionable first. */
const HINTS: [defect: string, hint: Text][] = [
  ['too_dark', { zh: '光线太暗，请顾客调亮手机屏幕', en: 'Too dark — ask the customer to turn the screen brightness up' }],
  ['glare', { zh: '有反光，请稍微倾斜手机', en: 'Glare — tilt the phone slightly' }],
  ['too_close', { zh: '太近了，请离远一点', en: 'Too close — move the phone back a little' }],
  ['too_small', { zh: '请靠近一点', en: 'Move closer' }],
  ['partly_out_of_view', { zh: '请把整个付款码放进框内', en: 'Keep the whole code inside the frame' }],
  ['tilted', { zh: '请把手机摆正，正对扫码窗口', en: 'Hold the phone straight, facing the camera' }],
  ['blurry', { zh: '请拿稳手机，稍停一下', en: 'Hold the phone still for a moment' }],
  ['low_contrast', { zh: '画面不清楚，请调亮屏幕或换个角度', en: 'Hard to see — brighten the screen or change the angle' }],
];

export function hintFor(defects: readonly string[]): Text | null {
  for (const [defect, hint] of HINTS) if (defects.includes(defect)) return hint;
  return null;
}

/** Keeps the last frames' defects and answers the hint that is stable enough to show. */
export function createCoach(window = 3, needed = 2) {
  const recent: (readonly string[])[] = [];
  return {
    /** One analysed frame (its defects); a decoded frame passes [] and clears the hint. */
    frame(defects: readonly string[]): Text | null {
      recent.push(defects);
      if (recent.length > window) recent.shift();
      for (const [defect, hint] of HINTS) {
        if (recent.filter((d) => d.includes(defect)).length >= needed) return hint;
      }
      return null;
    },
    reset() {
      recent.length = 0;
    },
  };
}
