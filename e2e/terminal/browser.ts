/**
 * Shared by the cashier-app browser tests: Debian's Chromium with a fake camera playing a Y4M,
 * the system under test (`scanpay start` as a child, temp data folder, free ports), the app build,
 * a guard that fails the test if the page reaches for any host but 127.0.0.1, and screenshots.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { freePort, ROOT, spawnScanpay, waitForHealth, type Spawned } from '../support.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const ARTIFACTS = join(ROOT, 'artifacts', 'terminal');
const TERMINAL_APP = join(ROOT, 'apps', 'terminal');

/** Builds the cashier app when dist/ is missing or older than any of its sources. */
export function ensureTerminalBuilt(): void {
  const index = join(TERMINAL_APP, 'dist', 'index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const sources = Math.max(newest(join(TERMINAL_APP, 'src')), statSync(join(TERMINAL_APP, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: TERMINAL_APP,
    stdio: 'inherit',
  });
}

export interface RunningSystem {
  url: string;
  simUrl: string;
  activationCode: string;
  proc: Spawned;
  sim<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startSystem(dataDir: string): Promise<RunningSystem> {
  const [port, simPort] = [await freePort(), await freePort()];
  // info: a failing test prints the resolver's steps and the requests (see cashier.test.ts).
  const proc = spawnScanpay(['start'], { SCANPAY_DATA_DIR: dataDir, PORT: String(port), SIM_PORT: String(simPort), LOG_LEVEL: 'info' });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, 120_000, proc);
  // The banner comes right after the platform listens.
  let code: RegExpExecArray | null = null;
  for (let i = 0; i < 100 && !code; i++) {
    code = /activation code (\d{4}-\d{4}-\d{4})/.exec(proc.output());
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  if (!code) throw new Error(`scanpay start printed no activation code for the cashier app:\n${proc.output()}`);
  const simUrl = `http://127.0.0.1:${simPort}`;
  return {
    url,
    simUrl,
    activationCode: code[1]!,
    proc,
    async sim<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${simUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    stop: async () => {
      await proc.stop();
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Requests that tried to leave 127.0.0.1 (each was refused). */
  offHost: string[];
  close(): Promise<void>;
}

/**
 * One launch per camera video; the profile folder is shared so the device stays activated
 * across launches, as it would on a real POS.
 */
export async function launchWithCamera(videoPath: string, profileDir: string, opts: { allowCamera?: boolean } = {}): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [
      // Without it the camera permission prompt is answered "block", as a cashier might.
      ...(opts.allowCamera === false ? [] : ['--use-fake-ui-for-media-stream']),
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${videoPath}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
  });
  const offHost: string[] = [];
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1') return route.fallback();
    offHost.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, offHost, close: () => context.close() };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function cleanArtifacts(prefix: string): void {
  if (!existsSync(ARTIFACTS)) return;
  for (const f of readdirSync(ARTIFACTS)) if (f.startsWith(prefix)) rmSync(join(ARTIFACTS, f));
}

let zxingReady: Promise<unknown> | undefined;

/**
 * The QR codes a phone would read in a screenshot (PNG bytes): zxing-wasm in Node, with its wasm
 * read from node_modules (its default would fetch it from a CDN).
 */
export async function decodeQrCodes(png: Uint8Array): Promise<string[]> {
  zxingReady ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
    return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })();
  await zxingReady;
  const found = await readBarcodes(png, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  return found.filter((r) => r.isValid).map((r) => r.text);
}
