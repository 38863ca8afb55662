import { describe, expect, it } from 'vitest';
import { createEvidenceWindow, emptyAttempts } from './evidence.ts';
import type { Defect, FrameQuality } from './quality.ts';

const frame = (score: number, ...defects: Defect[]): FrameQuality => ({
  width: 640,
  height: 360,
  brightness: 100,
  code: defects.includes('no_code')
    ? null
    : { kind: 'matrix', box: { x: 0, y: 0, width: 80, height: 80 }, sizePx: 80, minSidePx: 80, modulePx: 3, extentModulePx: 3, dark: 10, light: 200, contrast: 0.95, blurPx: 0.5, blurAcrossPx: 0.5, glare: 0, tiltDeg: null, skewDeg: 0, finderPatterns: 3, partlyOutOfView: false },
  defects,
  score,
});

describe('createEvidenceWindow', () => {
  it('counts each defect over the last frames, keeps the best frame and the decoder attempts', () => {
    const w = createEvidenceWindow(3);
    w.push(frame(0.9));
    w.push(frame(0.2, 'glare'));
    w.push(frame(0.3, 'glare', 'blurry'));
    w.push(frame(0, 'no_code'));
    const attempts = { ...emptyAttempts(), frames: 4, cheapPasses: 4 };
    const e = w.evidence(attempts);
    expect(e).toMatchObject({ windowFrames: 3, frames: 3, totalFrames: 4, codeSeenFrames: 2, dominantDefect: 'glare', dominantHint: 'reduce_glare' });
    expect(e.defects).toMatchObject({ glare: 2, blurry: 1, no_code: 1, too_dark: 0 });
    expect(e.best?.score).toBe(0.9); // the session's best, even after it left the window
    expect(e.decoder).toEqual(attempts);
    w.reset();
    expect(w.evidence().totalFrames).toBe(0);
  });
});
