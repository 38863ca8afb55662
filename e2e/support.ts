import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const SCANPAY_BIN = resolve(ROOT, 'apps/cli/bin/scanpay.js');

export { freePort } from '@scanpay/cli/harness';

export interface Spawned {
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnScanpay(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [SCANPAY_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
        child.once('exit', (code) => res(code));
        child.kill(signal);
      }),
  };
}

export async function runScanpay(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [SCANPAY_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

/** Time until /health answers 200 (and, given a data folder, until `scanpay start` finished its setup). */
export async function waitForHealth(url: string, timeoutMs: number, proc?: Spawned, dataDir?: string): Promise<number> {
  const started = Date.now();
  let healthyAfter: number | undefined;
  while (Date.now() - started < timeoutMs) {
    if (proc && proc.child.exitCode !== null) throw new Error(`the process exited early:\n${proc.output()}`);
    try {
      if (healthyAfter === undefined && (await fetch(`${url}/health`)).status === 200) healthyAfter = Date.now() - started;
      if (healthyAfter !== undefined && (!dataDir || readyIn(dataDir, proc))) return healthyAfter;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no healthy answer from ${url} within ${timeoutMs} ms${proc ? `:\n${proc.output()}` : ''}`);
}

function readyIn(dataDir: string, proc?: Spawned): boolean {
  try {
    const runtime = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { pid: number };
    return !proc || runtime.pid === proc.child.pid;
  } catch {
    return false;
  }
}
