/** The heavier check of the frame analysis: precision and recall per defect on 1280×720 synthetic frames. */
import { analyzeFrame, DEFECTS } from '@scanpay/paycode/frame';
import { buildDefectFrames } from './synth/defects.ts';
import { percentile } from './stats.ts';

export function frameAnalysis(seed: number, perClass: number): void {
  const frames = buildDefectFrames(seed, perClass, 1280, 720);
  console.log(`\n## frame analysis: ${frames.length} frames at 1280×720 (${perClass} per class, seed ${seed}; half QR, half Code 128)`);
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const cpu: number[] = [];
  let cleanWithoutDefect = 0;
  let clean = 0;
  for (const f of frames) {
    const { value: q, time } = timedSync(() => analyzeFrame(f.frame));
    cpu.push(time);
    if (f.defect === 'clean') {
      clean++;
      if (q.defects.length === 0) cleanWithoutDefect++;
    }
    for (const d of DEFECTS) {
      if (d === 'no_code') continue;
      const c = counts.get(d) ?? { tp: 0, fp: 0, fn: 0 };
      const said = q.defects.includes(d);
      if (said && f.defect === d) c.tp++;
      if (said && f.defect !== d) c.fp++;
      if (!said && f.defect === d) c.fn++;
      counts.set(d, c);
    }
  }
  console.log(`${'defect'.padEnd(20)} precision  recall   (target ≥ 0.90 each)`);
  for (const [d, c] of counts) {
    const p = c.tp / (c.tp + c.fp || 1);
    const r = c.tp / (c.tp + c.fn || 1);
    const flag = p >= 0.9 && r >= 0.9 ? '' : '  BELOW TARGET';
    console.log(`${d.padEnd(20)} ${p.toFixed(2).padStart(9)} ${r.toFixed(2).padStart(7)}   tp ${c.tp} fp ${c.fp} fn ${c.fn}${flag}`);
  }
  console.log(`clean frames with no defect reported: ${cleanWithoutDefect}/${clean}; analysis CPU ms per frame: median ${percentile(cpu, 0.5).toFixed(1)}, p99 ${percentile(cpu, 0.99).toFixed(1)}`);
}

function timedSync<T>(fn: () => T): { value: T; time: number } {
  const cpu0 = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(cpu0);
  return { value, time: (d.user + d.system) / 1000 };
}
