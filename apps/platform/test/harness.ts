import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startAlipaySimulator, type AlipaySimulator, type SimConfig } from '@scanpay/alipay-simulator';
import { activate, type TerminalClient } from '@scanpay/terminal-sdk';
import { buildApp, type PlatformApp } from '../src/app.ts';
import { createChannels } from '../src/channels.ts';
import { DEFAULT_RESOLUTION, type ResolutionTimings } from '../src/config.ts';
import type { Db } from '../src/db/index.ts';
import type { NotifyHooks } from '../src/modules/payments/operations/handle-notify.ts';
import { DEMO_TERMINAL_SERIAL, ensureDemoMerchant } from '../src/modules/merchants/seed-demo.ts';
import type { Backend } from './db-backends.ts';

export const OPERATOR_TOKEN = 'test-operator-token-0123456789abcdef';

let appKeys: { privatePem: string; publicPem: string } | undefined;
function appKeyPair() {
  if (!appKeys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    appKeys = {
      privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return appKeys;
}

/** Fast timings for tests; the rules (query, then cancel; back off) are the production ones. */
export const TEST_TIMINGS: ResolutionTimings = {
  ...DEFAULT_RESOLUTION,
  payTimeoutMs: 2_000,
  safetyNetDelayMs: 3_000,
  queryIntervalMs: 50,
  waitForBuyerMs: 1_500,
  cancelRetryMaxMs: 200,
  refundQueryDelayMs: 100,
};

export interface Harness {
  db: Db;
  sim: AlipaySimulator;
  platform: PlatformApp;
  baseUrl: string;
  client: TerminalClient;
  terminalId: string;
  merchantId: string;
  appId: string;
  /** The merchant's account at the simulator (seller_id). */
  sellerId: string;
  /** A fresh payment code of the demo buyer (or of `buyerId`). */
  newCode(buyerId?: string): Promise<string>;
  simAdmin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * The whole system on real parts, in one test process: the Alipay simulator over HTTP with RSA2,
 * the platform listening on an ephemeral port with its database, and an activated demo terminal
 * whose requests are signed with its own ECDSA key.
 */
export async function startHarness(
  backend: Backend,
  opts: {
    timings?: Partial<ResolutionTimings>;
    runWorker?: boolean;
    /** Give the channel the platform's real listening URL, so the simulator's notifications reach it. */
    notify?: boolean;
    /** Simulated-time speed-up and simulator settings (notification schedule, …). */
    sim?: { timeScale?: number; config?: Partial<SimConfig> };
    /** The simulator's own key pair, for tests that sign notifications as Alipay would. */
    simKeys?: { privatePem: string; publicPem: string };
    notifyHooks?: NotifyHooks;
    /** The platform's clock, shared with the terminal's signatures (model tests move it by hand). */
    now?: () => Date;
  } = {},
): Promise<Harness> {
  let simDir: string | undefined;
  if (opts.simKeys) {
    simDir = mkdtempSync(join(tmpdir(), 'scanpay-harness-sim-'));
    mkdirSync(join(simDir, 'keys'));
    writeFileSync(join(simDir, 'keys', 'alipay_private_key.pem'), opts.simKeys.privatePem, { mode: 0o600 });
    writeFileSync(join(simDir, 'keys', 'alipay_public_key.pem'), opts.simKeys.publicPem);
  }
  const sim = await startAlipaySimulator({
    port: 0,
    seed: 7,
    ...(simDir ? { dataDir: simDir } : {}),
    ...(opts.sim?.timeScale ? { timeScale: opts.sim.timeScale } : {}),
    ...(opts.sim?.config ? { config: opts.sim.config } : {}),
  });
  const simAdmin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const appId = '2021000000000001';
  const keys = appKeyPair();
  const registered = await simAdmin<{ sellerId: string }>('POST', '/__sim/apps', { appId, publicKey: keys.publicPem });
  const timings = { ...TEST_TIMINGS, ...opts.timings };
  const channels = createChannels(
    { alipay: { appId, privateKeyPem: keys.privatePem, alipayPublicKeyPem: sim.alipayPublicKeyPem, gatewayUrl: sim.gatewayUrl } },
    { payTimeoutMs: timings.payTimeoutMs },
  );
  const db = await backend.open();
  const seed = await ensureDemoMerchant(db, { sellerId: registered.sellerId });
  const platform = await buildApp({
    config: {
      resolution: timings,
      nodeId: 'test-node',
      role: 'all',
      publicUrl: 'http://127.0.0.1:1',
      logLevel: 'silent',
      operatorToken: OPERATOR_TOKEN,
    },
    db,
    channels,
    runWorker: opts.runWorker ?? false,
    // TEST_PLATFORM_LOG=error shows the platform's own log lines (an internal error's cause).
    logger: process.env.TEST_PLATFORM_LOG ? { level: process.env.TEST_PLATFORM_LOG } : false,
    ...(opts.notifyHooks ? { notifyHooks: opts.notifyHooks } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`;
  // The port is known only now; pay requests read the notify URL when they are sent.
  if (opts.notify) platform.deps.notifyBaseUrl = `${baseUrl}/v1/notify`;
  const clock = opts.now;
  const activated = await activate({
    baseUrl,
    activationCode: seed.activationCode as string,
    serial: DEMO_TERMINAL_SERIAL,
    ...(clock ? { options: { now: () => clock().getTime() } } : {}),
  });
  return {
    db,
    sim,
    platform,
    baseUrl,
    client: activated.client,
    terminalId: activated.response.terminalId,
    merchantId: seed.merchantId,
    appId,
    sellerId: registered.sellerId,
    newCode: async (buyerId?: string) =>
      (await simAdmin<{ code: string }>('POST', '/__sim/payment-codes', buyerId ? { buyerId } : {})).code,
    simAdmin,
    close: async () => {
      await platform.app.close();
      await sim.close();
      await db.close();
      if (simDir) rmSync(simDir, { recursive: true, force: true });
    },
  };
}
