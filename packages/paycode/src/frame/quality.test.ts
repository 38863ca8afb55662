import { describe, expect, it } from 'vitest';
import { analyzeFrame, DEFECTS, type Defect } from './quality.ts';
// The bench's seeded frame generator: phone screens with one known camera defect each (or none).
import { buildDefectFrames, type DefectClass } from '../../../../bench/scan/synth/defects.ts';

describe('analyzeFrame on synthetic frames with known defects', () => {
  // 10 frames per class (half QR, half Code 128) at 640×360; the bench runs the larger version.
  const frames = buildDefectFrames(11, 10);
  const results = frames.map((f) => ({ truth: f.defect, found: analyzeFrame(f.frame).defects }));

  const judged = DEFECTS.filter((d): d is Defect & DefectClass => d !== 'no_code');
  it.each(judged)('detects %s with precision and recall of at least 0.9', (defect) => {
    let tp = 0, fp = 0, fn = 0;
    for (const r of results) {
      const said = r.found.includes(defect);
      if (said && r.truth === defect) tp++;
      if (said && r.truth !== defect) fp++;
      if (!said && r.truth === defect) fn++;
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    expect({ defect, precision, recall }).toEqual({ defect, precision: expect.toSatisfy((p: number) => p >= 0.9), recall: expect.toSatisfy((r: number) => r >= 0.9) });
  });

  it('finds no defect in most clean frames', () => {
    const clean = results.filter((r) => r.truth === 'clean');
    expect(clean.filter((r) => r.found.length === 0).length).toBeGreaterThanOrEqual(9);
  });
});

describe('analyzeFrame', () => {
  it('says no_code, and too_dark, for a dark empty frame', () => {
    const width = 320, height = 180;
    const data = new Uint8ClampedArray(width * height * 4).fill(20);
    const q = analyzeFrame({ data, width, height });
    expect(q.code).toBeNull();
    expect(q.defects).toEqual(['too_dark', 'no_code']);
    expect(q.score).toBe(0);
  });

  it('measures a clean code: size, module, contrast, no defects', () => {
    const [f] = buildDefectFrames(3, 1).filter((x) => x.defect === 'clean');
    const q = analyzeFrame(f!.frame);
    expect(q.defects).toEqual([]);
    expect(q.code).toMatchObject({ kind: 'matrix', partlyOutOfView: false });
    expect(q.code!.modulePx).toBeGreaterThan(2.5);
    expect(q.code!.contrast).toBeGreaterThan(0.8);
  });
});
