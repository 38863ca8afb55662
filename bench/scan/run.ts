/**
 * Scan benchmark: decode rate and time per frame of plain zxing-wasm, plain zbar-wasm, our per-frame
 * scanner and our one-shot decodeImage, on a seeded synthetic set of damaged payment codes and on the
 * real sample photos; and the frame analysis' precision and recall per defect on synthetic frames.
 * Run: `node --import tsx bench/scan/run.ts` or `npm run bench:scan -w bench` (options: --cells N
 * --frames F --real-frames R --seed S --still none|normal|high --defect-frames N --skip-real --skip-synth --skip-frames
 * --only combined/qr,tilt).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadWasm } from '@scanpay/paycode/decode';
import { contenders, sessions, type Contender, type Read } from './contenders.ts';
import { listRealImages } from './real.ts';
import { Tally, cell, ms, pct, percentile, timed } from './stats.ts';
import { buildCases, DEGRADATIONS, renderFrames } from './synth/cases.ts';
import { jpegRoundTrip } from './synth/jpeg.ts';
import { frameAnalysis } from './frames.ts';
import type { ImageDataLike } from '@scanpay/paycode/frame';

const { values: args } = parseArgs({
  options: {
    cells: { type: 'string', default: '16' },
    frames: { type: 'string', default: '8' },
    seed: { type: 'string', default: '20261128' },
    still: { type: 'string', default: 'normal' },
    'defect-frames': { type: 'string', default: '30' },
    'real-frames': { type: 'string', default: '6' },
    'skip-real': { type: 'boolean', default: false },
    'skip-synth': { type: 'boolean', default: false },
    'skip-frames': { type: 'boolean', default: false },
    /** Only these synthetic cells, e.g. `combined/qr,small_modules` (degradation, optionally /format). */
    only: { type: 'string', default: '' },
  },
});
const perCell = Number(args.cells);
const frameCount = Number(args.frames);
const seed = Number(args.seed);
const realFrames = Number(args['real-frames']);

/** The per-frame limit the scanner is held to. */
const SLOW_FRAME_MS = 60;

interface Outcome {
  read: boolean;
  wrong: string[];
  texts: string[];
}

/** Feeds frames to a fresh session until it reads something; stills get only the first frame. */
async function runSession(c: Contender, frames: ImageDataLike[], expected: string | null, tally: Tally, label: string): Promise<Outcome> {
  const session = c.newSession();
  const limit = c.name.startsWith('still') ? 1 : frames.length;
  const outcome: Outcome = { read: false, wrong: [], texts: [] };
  for (let i = 0; i < limit; i++) {
    const { value: reads, time } = await timed(() => session(frames[i]!));
    tally.addTime(time);
    if (c.lastFrame && (time.cpuMs > SLOW_FRAME_MS || time.wallMs > SLOW_FRAME_MS)) {
      console.log(`  SLOW ${c.name} ${label} frame ${i + 1}: ${time.cpuMs.toFixed(1)} ms CPU, ${time.wallMs.toFixed(1)} ms wall (${c.lastFrame()})`);
    }
    if (reads.length === 0) continue;
    outcome.texts = reads.map((r: Read) => r.text);
    outcome.read = expected !== null && outcome.texts.includes(expected);
    outcome.wrong = outcome.texts.filter((t) => t !== expected);
    break;
  }
  return outcome;
}

function header(): void {
  console.log(`# scan bench — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`# times are this process's CPU ms per frame (wall ms are printed separately: other jobs share this machine)`);
}

async function synthetic(list: Contender[]): Promise<Map<string, Map<string, Tally>>> {
  const only = args.only ? args.only.split(',') : [];
  const cases = buildCases(seed, perCell).filter((c) => only.length === 0 || only.some((o) => o === c.degradation || o === `${c.degradation}/${c.format}`));
  console.log(`\n## synthetic set: seed ${seed}, ${cases.length} cases (${perCell} per degradation × format), ${frameCount} frames each, 1280×720`);
  const rows = new Map<string, Map<string, Tally>>();
  const tallyFor = (row: string, name: string): Tally => {
    const byName = rows.get(row) ?? new Map<string, Tally>();
    rows.set(row, byName);
    const t = byName.get(name) ?? new Tally();
    byName.set(name, t);
    return t;
  };
  const started = performance.now();
  for (const [i, c] of cases.entries()) {
    const { frames } = await renderFrames(c, frameCount, jpegRoundTrip);
    const readBy = new Set<string>();
    for (const contender of list) {
      for (const row of [`${c.degradation} ${c.format}`, `ALL ${c.format}`, 'ALL frames']) {
        tallyFor(row, contender.name).cases++;
      }
      const t = tallyFor(`${c.degradation} ${c.format}`, contender.name);
      const before = t.wall.length;
      const outcome = await runSession(contender, frames, c.payload, t, c.id);
      for (const row of [`ALL ${c.format}`, 'ALL frames']) {
        const total = tallyFor(row, contender.name);
        for (let k = before; k < t.wall.length; k++) total.addTime({ wallMs: t.wall[k]!, cpuMs: t.cpu[k]! });
        if (outcome.read) total.read++;
        total.wrong += outcome.wrong.length;
      }
      if (outcome.read) t.read++;
      t.wrong += outcome.wrong.length;
      for (const w of outcome.wrong) console.log(`  WRONG ${contender.name} ${c.id}: ${JSON.stringify(w)} (expected ${c.payload})`);
      if (outcome.read) readBy.add(contender.name);
    }
    // The cases to look at first: a plain decoder reads them and ours does not.
    const plain = ['zxing', 'zbar'].filter((n) => readBy.has(n));
    if (!readBy.has('ours') && plain.length > 0) console.log(`  MISS ours ${c.id} (${c.degradation} ${c.format}), read by ${plain.join(' and ')}`);
    if ((i + 1) % 40 === 0) console.error(`  … ${i + 1}/${cases.length} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return rows;
}

function printTable(title: string, rows: Map<string, Map<string, Tally>>, names: string[]): void {
  console.log(`\n${title}`);
  console.log(`${'row'.padEnd(24)}${names.map((n) => `${n}: rate   med   p99   max`.padEnd(30)).join('')}`);
  const order = [...rows.keys()].filter((r) => r !== 'ALL frames').sort((a, b) => Number(a.startsWith('ALL')) - Number(b.startsWith('ALL')));
  for (const row of order) {
    const byName = rows.get(row)!;
    console.log(`${row.padEnd(24)}${names.map((n) => cell(byName.get(n))).join('')}`);
  }
}

/** What the scanner's expensive variants cost and won, over every synthetic session. */
function printVariantSummary(): void {
  const total = new Map<string, { runs: number; reads: number; totalMs: number; maxMs: number }>();
  let cheap = 0;
  for (const s of sessions) {
    const a = s.attempts();
    cheap += a.cheapPasses;
    for (const [name, v] of Object.entries(a.variants)) {
      const t = total.get(name) ?? { runs: 0, reads: 0, totalMs: 0, maxMs: 0 };
      total.set(name, { runs: t.runs + v.runs, reads: t.reads + v.reads, totalMs: t.totalMs + v.totalMs, maxMs: Math.max(t.maxMs, v.maxMs) });
    }
  }
  console.log(`\n### scanner variants (${cheap} cheap passes): runs, codes found, mean wall ms, max wall ms`);
  for (const [name, t] of [...total.entries()].sort((a, b) => b[1].reads - a[1].reads)) {
    console.log(`${name.padEnd(20)} ${String(t.runs).padStart(5)} ${String(t.reads).padStart(5)} ${ms(t.totalMs / t.runs)} ${ms(t.maxMs)}`);
  }
  sessions.length = 0;
}

async function real(list: Contender[]): Promise<Map<string, Map<string, Tally>> | null> {
  const found = listRealImages();
  if ('missing' in found) {
    console.log(`\n## real photos: SKIPPED — ${found.missing}`);
    return null;
  }
  console.log(`\n## real photos: ${found.images.length} image × rotation reads, up to ${realFrames} identical frames each (a held camera); skipped: ${found.skipped.join('; ') || 'none'}`);
  const rows = new Map<string, Map<string, Tally>>();
  const misses: string[] = [];
  const gains: string[] = [];
  for (const img of found.images) {
    const frame = await img.load();
    const results = new Map<string, Outcome>();
    for (const contender of list) {
      const byName = rows.get(img.set) ?? new Map<string, Tally>();
      rows.set(img.set, byName);
      const t = byName.get(contender.name) ?? new Tally();
      byName.set(contender.name, t);
      t.cases++;
      // A camera held still over a printed code sees it frame after frame: every session decoder gets the
      // same frames (plain decoders are deterministic, so repeats only cost them time; stills get one).
      const outcome = await runSession(contender, Array<ImageDataLike>(realFrames).fill(frame), img.expected, t, `${img.set}/${img.file}@${img.rotation}`);
      results.set(contender.name, outcome);
      if (outcome.read) t.read++;
    }
    // A text both plain decoders read is really in the image (qrcode-2/16 holds a second symbol).
    const zx = results.get('zxing')!.texts;
    const alsoPresent = new Set(zx.filter((t) => results.get('zbar')!.texts.includes(t)));
    for (const [name, outcome] of results) {
      const wrong = outcome.texts.filter((t) => t !== img.expected && !alsoPresent.has(t));
      rows.get(img.set)!.get(name)!.wrong += wrong.length;
      for (const w of wrong) console.log(`  ${img.expected === null ? 'FALSE POSITIVE' : 'WRONG'} ${name} ${img.set}/${img.file}@${img.rotation}: ${JSON.stringify(w.slice(0, 60))}`);
    }
    const anyPlain = results.get('zxing')!.read || results.get('zbar')!.read;
    for (const [name, o] of results) {
      if (name === 'zxing' || name === 'zbar') continue;
      if (anyPlain && !o.read) misses.push(`${name} misses ${img.set}/${img.file}@${img.rotation}, which a plain decoder reads`);
      if (!anyPlain && o.read) gains.push(`${name}: ${img.set}/${img.file}@${img.rotation}`);
    }
  }
  for (const m of misses) console.log(`  ${m}`);
  console.log(`  read by ours but by no plain decoder: ${gains.length}${gains.length ? ` (${gains.join(', ')})` : ''}`);
  return rows;
}

async function main(): Promise<void> {
  header();
  await loadWasm();
  const list = await contenders({ stillEffort: args.still as 'normal' });
  const names = list.map((c) => c.name);
  // Warm up every path once so JIT and wasm start-up do not land in the first case.
  const warm = await renderFrames(buildCases(seed + 1, 1)[0]!, 2, jpegRoundTrip);
  for (const c of list) for (const f of warm.frames) await c.newSession()(f);

  if (!args['skip-synth']) {
    const rows = await synthetic(list);
    printTable('### synthetic: per degradation × decoder (rate = cases read within the frames; CPU ms per frame)', rows, names);
    const all = rows.get('ALL frames')!;
    const zx = all.get('zxing')!;
    const ours = all.get('ours')!;
    console.log('\n### time per 1280×720 frame (all frames fed), CPU ms | wall ms');
    for (const n of names) {
      const t = all.get(n)!;
      console.log(`${n.padEnd(14)} median ${ms(percentile(t.cpu, 0.5))} p99 ${ms(percentile(t.cpu, 0.99))} max ${ms(Math.max(...t.cpu))} | median ${ms(percentile(t.wall, 0.5))} p99 ${ms(percentile(t.wall, 0.99))} max ${ms(Math.max(...t.wall))}  (${t.cpu.length} frames)`);
    }
    printVariantSummary();
    const ratio = percentile(ours.cpu, 0.5) / percentile(zx.cpu, 0.5);
    console.log(`ratio ours/zxing median CPU: ${ratio.toFixed(2)} (target ≤ 1.5); frames over ${SLOW_FRAME_MS} ms CPU: ${ours.cpu.filter((x) => x > SLOW_FRAME_MS).length}, wall: ${ours.wall.filter((x) => x > SLOW_FRAME_MS).length}`);
    for (const format of ['qr', 'code128']) {
      const r = rows.get(`ALL ${format}`);
      if (!r) continue;
      console.log(`${format.padEnd(8)} ${names.map((n) => `${n} ${pct(r.get(n)!.rate())}`).join('   ')}`);
    }
    for (const d of DEGRADATIONS) {
      for (const format of ['qr', 'code128']) {
        const r = rows.get(`${d} ${format}`);
        if (!r) continue;
        const best = Math.max(r.get('zxing')!.rate(), r.get('zbar')!.rate());
        const ours = r.get('ours')!.rate();
        if (ours < best) console.log(`  NOTE ours reads less than the best plain decoder on ${d} ${format}`);
        else if (ours === best && best < 1) console.log(`  NOTE ours does not beat the best plain decoder on ${d} ${format}`);
      }
    }
  }
  if (!args['skip-frames']) frameAnalysis(seed, Number(args['defect-frames']));
  if (!args['skip-real']) {
    const rows = await real(list);
    if (rows) printTable('### real photos: per set × decoder (rate = images read; CPU ms per image)', rows, names);
  }
  console.log(`\n# done, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

await main();
