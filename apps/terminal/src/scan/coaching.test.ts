import { describe, expect, it } from 'vitest';
import { createCoach, hintFor } from './coaching.ts';

describe('coaching under the viewfinder', () => {
  it('says the most useful thing first', () => {
    expect(hintFor(['too_small'])?.zh).toBe('请靠近一点');
    expect(hintFor(['blurry', 'too_dark'])?.zh).toContain('太暗');
    expect(hintFor(['no_code'])).toBeNull();
    expect(hintFor([])).toBeNull();
  });

  it('shows a hint only once two of the last three frames agree, and drops it when frames improve', () => {
    const coach = createCoach();
    expect(coach.frame(['too_small'])).toBeNull();
    expect(coach.frame(['too_small'])?.en).toBe('Move closer');
    expect(coach.frame([])?.en).toBe('Move closer');
    expect(coach.frame([])).toBeNull();
  });

  it('does not flicker on one odd frame', () => {
    const coach = createCoach();
    coach.frame(['glare']);
    expect(coach.frame(['blurry'])).toBeNull();
    expect(coach.frame(['glare'])?.zh).toContain('反光');
  });
});
