import { beforeAll, describe, expect, it } from 'vitest';
import { loadWasm } from './loader.ts';
import { createFrameScanner } from './scanner.ts';
import { VARIANT_ORDER } from './cascade.ts';
import { code128Image, noiseImage, qrImage, sideBySide } from './test-images.ts';

const PAYLOAD = '281234567890123456';
let zxing: Awaited<ReturnType<typeof loadWasm>>['zxing'];
beforeAll(async () => {
  ({ zxing } = await loadWasm());
});

describe('createFrameScanner', () => {
  it('reads a clean code on the first frame with the cheap pass alone', async () => {
    const scanner = createFrameScanner(zxing);
    const result = await scanner.scanFrame(qrImage(PAYLOAD, { modulePx: 4, width: 640, height: 480 }));
    expect(result.code?.payload).toBe(PAYLOAD);
    expect(result.variants).toEqual([]);
    expect(scanner.attempts()).toMatchObject({ frames: 1, cheapPasses: 1, variants: {} });
  });

  it('reports every symbol in view and acts on the payment code, wherever it stands', async () => {
    const menu = qrImage('https://example.com/menu', { modulePx: 4, width: 320, height: 320 });
    const pay = qrImage(PAYLOAD, { modulePx: 4, width: 320, height: 320 });
    for (const frame of [sideBySide(menu, pay), sideBySide(pay, menu)]) {
      const result = await createFrameScanner(zxing).scanFrame(frame);
      expect(result.code?.payload).toBe(PAYLOAD);
      expect(result.codes.map((c) => c.payload).sort()).toEqual([PAYLOAD, 'https://example.com/menu']);
    }
  });

  it('tries one expensive variant per unread frame, in rotation, until the code gives in', async () => {
    const scanner = createFrameScanner(zxing, { variantsPerFrame: 1, frameBudgetMs: 10_000 });
    const frame = code128Image(PAYLOAD, { modulePx: 2, inverted: true, width: 640, height: 480 });
    const tried: string[] = [];
    let payload: string | undefined;
    for (let i = 0; i < VARIANT_ORDER.length && !payload; i++) {
      const result = await scanner.scanFrame(frame);
      expect(result.variants.length).toBeLessThanOrEqual(1);
      tried.push(...result.variants);
      payload = result.code?.payload;
    }
    expect(payload).toBe(PAYLOAD);
    expect(new Set(tried).size).toBe(tried.length); // no variant twice before the others had their turn
  });

  it('gets through every variant on frames one pixel wide or tall without a read or a crash', async () => {
    for (const [width, height] of [[1, 1], [1, 100], [100, 1]] as const) {
      const scanner = createFrameScanner(zxing);
      const frame = { data: new Uint8ClampedArray(width * height * 4).fill(128), width, height };
      for (let i = 0; i < VARIANT_ORDER.length; i++) expect((await scanner.scanFrame(frame)).code).toBeNull();
    }
  });

  it('coaches on unread frames and gathers evidence for diagnosis', async () => {
    const scanner = createFrameScanner(zxing, { analyzeEvery: 1 });
    const dark = { data: new Uint8ClampedArray(320 * 240 * 4).fill(12), width: 320, height: 240 };
    let last;
    for (let i = 0; i < 3; i++) last = await scanner.scanFrame(dark);
    expect(last!.quality?.defects).toEqual(['too_dark', 'no_code']);
    expect(last!.hint).toEqual({ id: 'too_dark', zh: '光线太暗，请调高手机屏幕亮度', en: "Too dark — turn up the phone's screen brightness" });
    const evidence = scanner.evidence();
    expect(evidence).toMatchObject({ frames: 3, totalFrames: 3, dominantDefect: 'too_dark', codeSeenFrames: 0 });
    expect(evidence.defects.too_dark).toBe(3);
    expect(evidence.decoder.frames).toBe(3);
    const read = await scanner.scanFrame(qrImage(PAYLOAD, { modulePx: 4, width: 320, height: 240 }));
    expect(read.quality).toBeNull(); // a read frame needs no coaching
  });

  it('analyses every third unread frame by default and keeps the hint in between', async () => {
    const scanner = createFrameScanner(zxing);
    const dark = { data: new Uint8ClampedArray(320 * 240 * 4).fill(12), width: 320, height: 240 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await scanner.scanFrame(dark));
    expect(results.map((r) => r.quality !== null)).toEqual([true, false, false, true]);
    expect(results.map((r) => r.hint?.id)).toEqual(['too_dark', 'too_dark', 'too_dark', 'too_dark']);
    expect(scanner.evidence().frames).toBe(2);
  });

  it('reads nothing from frames of noise and counts its attempts', async () => {
    // A generous budget: how many variants fit must not depend on how busy the test machine is.
    const scanner = createFrameScanner(zxing, { frameBudgetMs: 10_000 });
    const firstVariants: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const result = await scanner.scanFrame(noiseImage(320, 240, i));
      expect(result.code).toBeNull();
      firstVariants.push(result.variants);
    }
    expect(firstVariants[0]![0]).toBe('small-zxing'); // the plain decoders' own passes come first
    const attempts = scanner.attempts();
    expect(attempts.frames).toBe(4);
    // A frame this small leaves room for more than one variant, never more than three.
    const runs = Object.values(attempts.variants).reduce((n, v) => n + v.runs, 0);
    expect(runs).toBeGreaterThan(4);
    expect(runs).toBeLessThanOrEqual(12);
    scanner.reset();
    expect(scanner.attempts().frames).toBe(0);
  });
});
