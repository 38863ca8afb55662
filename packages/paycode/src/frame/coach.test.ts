import { describe, expect, it } from 'vitest';
import { createCoach, hintsFor, HINT_FOR_DEFECT, HINT_TEXT } from './coach.ts';
import type { Defect, FrameQuality } from './quality.ts';

const frame = (...defects: Defect[]): FrameQuality => ({ width: 640, height: 360, brightness: 120, code: null, defects, score: 0.5 });

describe('hints', () => {
  it('has Chinese and English text for the ids the issue names', () => {
    expect(HINT_TEXT.move_closer).toEqual({ zh: '请靠近一点', en: 'Move closer' });
    expect(HINT_TEXT.reduce_glare).toEqual({ zh: '请调低手机亮度或倾斜手机', en: "Lower the phone's brightness or tilt it" });
    expect(HINT_TEXT.hold_still).toEqual({ zh: '请保持手机稳定', en: 'Hold still' });
    for (const id of ['too_dark', 'too_close', 'partly_out_of_view', 'straighten'] as const) expect(HINT_TEXT[id].zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('maps every defect to a hint and orders them light first, framing next', () => {
    expect(Object.keys(HINT_FOR_DEFECT).sort()).toEqual(
      ['blurry', 'glare', 'low_contrast', 'no_code', 'partly_out_of_view', 'tilted', 'too_close', 'too_dark', 'too_small'].sort(),
    );
    expect(hintsFor(frame('blurry', 'too_small', 'glare')).map((h) => h.id)).toEqual(['reduce_glare', 'move_closer', 'hold_still']);
  });
});

describe('createCoach', () => {
  it('shows a hint only once it holds over half of the recent frames, and keeps it steady', () => {
    const coach = createCoach({ window: 4 });
    expect(coach.push(frame('blurry'))?.id).toBe('hold_still'); // 1 of 1
    expect(coach.push(frame())?.id).toBe('hold_still'); // 1 of 2: still shown (hysteresis)
    expect(coach.push(frame('tilted'))?.id).toBe('hold_still'); // blurry 1/3, tilted 1/3
    expect(coach.push(frame('tilted'))?.id).toBe('hold_still'); // blurry 1/4 holds; tilted is less urgent
    expect(coach.push(frame('tilted'))?.id).toBe('straighten'); // blurry 0/4
    coach.reset();
    expect(coach.current()).toBeNull();
  });

  it('lets a more urgent hint take over', () => {
    const coach = createCoach({ window: 4 });
    coach.push(frame('blurry'));
    coach.push(frame('blurry', 'too_dark'));
    expect(coach.push(frame('blurry', 'too_dark'))?.id).toBe('too_dark');
  });
});
