/**
 * Starts the system the way an operator would run it, for benchmarks and chaos runs: the Alipay
 * simulator in this process, the platform as its own process (`scanpay start` pointed at the
 * simulator through the ALIPAY_* variables), so it can be killed with SIGKILL and restarted, and
 * its CPU read from /proc without the simulator's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startAlipaySimulator, type AlipaySimulator } from '@scanpay/alipay-simulator';

export { createScratchDatabase } from './pg.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');
export const SCANPAY_BIN = join(ROOT, 'apps/cli/bin/scanpay.js');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export interface BenchSystem {
  dir: string;
  operatorToken: string;
  sim: AlipaySimulator;
  platformUrl: string;
  platformEnv: NodeJS.ProcessEnv;
  child: ChildProcess;
  simAdmin<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A request to the platform's operator API (`/v1/ops/…`) with the operator token; throws unless 2xx. */
  ops<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Starts a platform process (again, e.g. after a kill). */
  startPlatform(): Promise<ChildProcess>;
  /** What the current platform process printed (for diagnosing a failed run). */
  platformOutput(): string;
  close(): Promise<void>;
}

export async function startBenchSystem(
  opts: {
    databaseUrl?: string;
    extraEnv?: NodeJS.ProcessEnv;
    simOptions?: Parameters<typeof startAlipaySimulator>[0];
    dir?: string;
    keepDir?: boolean;
    /** Node flags for the platform process (profiling: `--trace-deopt`, `--cpu-prof` …). */
    execArgv?: string[];
  } = {},
): Promise<BenchSystem> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'scanpay-bench-'));
  const operatorToken = randomBytes(24).toString('base64url');
  const sim = await startAlipaySimulator({ port: 0, dataDir: join(dir, 'sim'), seed: 1, ...opts.simOptions });
  const simAdmin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keysDir = join(dir, 'keys');
  mkdirSync(keysDir, { recursive: true });
  const privateFile = join(keysDir, 'app-private.pem');
  const publicFile = join(keysDir, 'alipay-public.pem');
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicFile, sim.alipayPublicKeyPem);
  const port = await freePort();
  const appId = '2021000000000099';
  const app = await simAdmin<{ sellerId: string }>('POST', '/__sim/apps', {
    appId,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    notifyUrl: `http://127.0.0.1:${port}/v1/notify/alipay`,
  });
  const platformEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SCANPAY_DATA_DIR: join(dir, 'platform'),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ALIPAY_APP_ID: appId,
    ALIPAY_PRIVATE_KEY_FILE: privateFile,
    ALIPAY_PUBLIC_KEY_FILE: publicFile,
    ALIPAY_GATEWAY_URL: sim.gatewayUrl,
    ALIPAY_SELLER_ID: app.sellerId,
    SCANPAY_OPERATOR_TOKEN: operatorToken,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.extraEnv,
  };
  const platformUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const system: BenchSystem = {
    dir,
    operatorToken,
    sim,
    platformUrl,
    platformEnv,
    child: undefined as unknown as ChildProcess,
    simAdmin,
    ops: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${platformUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${operatorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    platformOutput: () => output,
    startPlatform: async () => {
      const child = spawn(process.execPath, [...(opts.execArgv ?? []), SCANPAY_BIN, 'start'], { env: platformEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      output = '';
      child.stdout.on('data', (d) => {
        out += d;
        output += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
        output += d;
      });
      const started = Date.now();
      for (;;) {
        if (child.exitCode !== null) throw new Error(`platform exited:\n${out}`);
        try {
          // Healthy, and the demo terminal activated (runtime.json is written last).
          const runtime = JSON.parse(readFileSync(join(platformEnv.SCANPAY_DATA_DIR as string, 'runtime.json'), 'utf8'));
          if (runtime.pid === child.pid && (await fetch(`${platformUrl}/health`)).ok) break;
        } catch {
          // starting
        }
        if (Date.now() - started > 60_000) throw new Error(`platform did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      system.child = child;
      return child;
    },
    close: async () => {
      if (system.child && system.child.exitCode === null) {
        await new Promise((r) => {
          system.child.once('exit', r);
          system.child.kill('SIGTERM');
        });
      }
      await sim.close();
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  await system.startPlatform();
  return system;
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc. */
export function processCpuMs(pid: number): number {
  const { user, system } = processCpuSplitMs(pid);
  return user + system;
}

/** User and kernel CPU time of a process so far, in milliseconds (USER_HZ is 100 on Linux). */
export function processCpuSplitMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 }; // fields 14 and 15 of the whole line
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
