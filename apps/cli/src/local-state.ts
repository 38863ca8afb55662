import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PendingPayment, PendingPaymentStore } from '@scanpay/terminal-sdk';

/** Files the CLI keeps in the data folder (default ./.scanpay, or SCANPAY_DATA_DIR). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SCANPAY_DATA_DIR ?? './.scanpay');
}

export const paths = (dir: string) => ({
  terminal: join(dir, 'terminal', 'demo-terminal.json'),
  pending: join(dir, 'terminal', 'pending-payment.json'),
  runtime: join(dir, 'runtime.json'),
  appPrivateKey: join(dir, 'keys', 'alipay-app-private.pem'),
  appPublicKey: join(dir, 'keys', 'alipay-app-public.pem'),
  alipayPublicKey: join(dir, 'keys', 'alipay-gateway-public.pem'),
  simulator: join(dir, 'alipay-sim'),
});

/** Writes through a temp file and a rename, so a crash never leaves half a file. */
export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

export function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The demo terminal's identity: its id and its private key (this file is the device's secret). */
export interface StoredTerminal {
  baseUrl: string;
  terminalId: string;
  serial: string;
  merchantName: string;
  privateJwk: JsonWebKey;
}

export interface Runtime {
  platformUrl: string;
  simulatorUrl?: string;
  pid: number;
  startedAt: string;
}

/** The terminal's pending payment, kept on disk so a restart resumes it instead of charging again. */
export function filePendingStore(file: string): PendingPaymentStore {
  return {
    load: async () => readJson<PendingPayment>(file) ?? null,
    save: async (p) => writeFileAtomic(file, JSON.stringify(p, null, 2)),
    clear: async () => rmSync(file, { force: true }),
  };
}
