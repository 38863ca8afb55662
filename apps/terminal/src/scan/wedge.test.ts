import { describe, expect, it } from 'vitest';
import { calibrateWedge, createWedgeDetector, DEFAULT_WEDGE_SETTINGS, type WedgeDetector, type WedgeVerdict } from './wedge.ts';

const CODE = '281234567890123456';

/** Types `text` then `suffix` with the given gaps (a number, or one gap per key). */
function feed(d: WedgeDetector, text: string, gap: number | ((i: number) => number), start = 1000, suffix = 'Enter') {
  let t = start;
  const keys = [...text, suffix];
  let verdict: WedgeVerdict | null = null;
  keys.forEach((k, i) => {
    if (i > 0) t += typeof gap === 'number' ? gap : gap(i);
    verdict = d.key(k, t) ?? verdict;
  });
  return { verdict, end: t };
}

describe('keyboard-wedge scanner detection', () => {
  it('takes a fast burst ending in Enter for a scan (Honeywell-like, ≈10 ms)', () => {
    const { verdict } = feed(createWedgeDetector(), CODE, 10);
    expect(verdict).toMatchObject({ kind: 'scan', text: CODE, length: 18, averageGapMs: 10, maxGapMs: 10 });
  });

  it('takes the same keys typed by a person (≈120 ms apart) for typing', () => {
    const { verdict } = feed(createWedgeDetector(), CODE, 120);
    expect(verdict).toEqual({ kind: 'typed', text: CODE });
  });

  it('accepts a Tab suffix as some guns send', () => {
    const { verdict } = feed(createWedgeDetector(), CODE, 8, 0, 'Tab');
    expect(verdict).toMatchObject({ kind: 'scan', text: CODE });
  });

  it('keeps only the fast run when a person typed something before the gun fired', () => {
    const d = createWedgeDetector();
    d.key('1', 0);
    d.key('2', 300);
    const { verdict } = feed(d, CODE, 9, 2000);
    expect(verdict).toMatchObject({ kind: 'scan', text: CODE, length: 18 });
  });

  it('keeps the whole burst beside the run when a stall split it half-way', () => {
    const d = createWedgeDetector();
    let t = 0;
    for (const k of CODE.slice(0, 6)) d.key(k, (t += 10));
    t += 250; // the page was busy for a moment
    for (const k of CODE.slice(6)) d.key(k, (t += 10));
    expect(d.key('Enter', t + 10)).toMatchObject({ kind: 'scan', text: CODE.slice(6), full: CODE });
  });

  it('refuses a short fast run (a person hitting two keys at once is not a scan)', () => {
    const { verdict } = feed(createWedgeDetector(), '12345', 5);
    expect(verdict).toMatchObject({ kind: 'typed', text: '12345' });
  });

  it('refuses a burst whose Enter came after a pause (a person pressed Enter later)', () => {
    const d = createWedgeDetector();
    let t = 0;
    for (const k of CODE) d.key(k, (t += 10));
    expect(d.key('Enter', t + 400)).toMatchObject({ kind: 'typed' });
  });

  it('ignores modifier keys that guns send around letters', () => {
    const d = createWedgeDetector();
    let t = 0;
    for (const k of CODE.slice(0, 9)) d.key(k, (t += 10));
    expect(d.key('Shift', (t += 5))).toBeNull();
    for (const k of CODE.slice(9)) d.key(k, (t += 10));
    expect(d.key('Enter', t + 10)).toMatchObject({ kind: 'scan', text: CODE });
  });

  it('misses a slow gun (Zebra-like, ≈80 ms with 100 ms peaks) until calibrated, then reads it', () => {
    const zebra = (i: number) => (i % 5 === 0 ? 100 : 80);
    expect(feed(createWedgeDetector(), CODE, zebra).verdict).toMatchObject({ kind: 'typed' });

    const sample = createWedgeDetector({ ...DEFAULT_WEDGE_SETTINGS, maxGapMs: 1000, maxAverageGapMs: 1000 });
    let t = 0;
    [...CODE].forEach((k, i) => sample.key(k, (t += i === 0 ? 0 : zebra(i))));
    const calibrated = calibrateWedge([sample.currentGaps()]);
    expect(calibrated.maxAverageGapMs).toBeGreaterThan(80);
    expect(feed(createWedgeDetector(calibrated), CODE, zebra).verdict).toMatchObject({ kind: 'scan', text: CODE });
    // A person typing at 150 ms stays typing after the calibration.
    expect(feed(createWedgeDetector(calibrated), CODE, 150).verdict).toMatchObject({ kind: 'typed' });
  });

  it('calibrates within limits and keeps the defaults when there is nothing to learn from', () => {
    expect(calibrateWedge([])).toEqual(DEFAULT_WEDGE_SETTINGS);
    expect(calibrateWedge([[1, 2]])).toEqual(DEFAULT_WEDGE_SETTINGS);
    const fast = calibrateWedge([[5, 6, 5, 7, 5]]);
    expect(fast.maxAverageGapMs).toBe(20);
    expect(fast.maxGapMs).toBe(50);
    const absurd = calibrateWedge([[400, 500, 600]]);
    expect(absurd.maxAverageGapMs).toBe(100);
    expect(absurd.maxGapMs).toBe(250);
  });

  it('reports a burst in progress so a screen can hold the keys back', () => {
    const d = createWedgeDetector();
    d.key('2', 0);
    d.key('8', 10);
    expect(d.bursting(20)).toBe(false);
    d.key('1', 20);
    expect(d.bursting(25)).toBe(true);
    expect(d.bursting(500)).toBe(false);
  });
});
