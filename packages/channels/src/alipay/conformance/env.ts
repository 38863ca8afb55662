/**
 * Where the conformance scenarios run: the simulator (full control through its `/__sim/` admin
 * API) or a real Alipay sandbox (only the scenarios that need no control over the other side).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlipaySimulator, type AlipaySimulator } from '@scanpay/alipay-simulator';
import { Secret } from '@scanpay/contracts';
import type { ChannelMerchant } from '../../channel.ts';
import { createAlipayChannel, type AlipayChannel, type AlipayChannelConfig } from '../index.ts';
import { notificationSignContent, rsaSign } from '../signing.ts';
import { sharedKeys } from '../test-support.ts';
import { createSdkChannel } from './sdk-channel.ts';

/** Who talks to the gateway: our client, or the official alipay-sdk behind the same channel core. */
export type ClientName = 'scanpay' | 'alipay-sdk';
export const CLIENTS: Record<ClientName, (config: AlipayChannelConfig) => AlipayChannel> = {
  scanpay: createAlipayChannel,
  'alipay-sdk': createSdkChannel,
};

export interface NotificationSink {
  url: string;
  received: Array<Record<string, string>>;
  close(): Promise<void>;
}

export interface SimControl {
  url: string;
  /** The app the default channel calls as. */
  appId: string;
  admin<T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T>;
  /** A fresh single-use payment code (of the demo buyer unless `buyerId`). */
  code(body?: { buyerId?: string; ttlSeconds?: number; prefix?: string; length?: number }): Promise<string>;
  /** A new buyer; returns its id. */
  buyer(body: Record<string, unknown>): Promise<string>;
  /** Installs one fault rule for the next matching call(s). */
  fault(rule: Record<string, unknown>): Promise<void>;
  /** A new app (its own seller account), optionally with merchant status changes. */
  newApp(opts?: { certMode?: boolean; merchant?: Record<string, unknown> }): Promise<{ appId: string; sellerId: string }>;
  /** A channel for another app or with other settings (same keys). */
  channel(overrides?: Partial<AlipayChannelConfig>): AlipayChannel;
  /** Signs form fields as Alipay signs a notification (V1), with the simulator's own key. */
  signAsAlipay(fields: Record<string, string>): Record<string, string>;
  sink: NotificationSink;
}

export interface ConformanceEnv {
  target: 'simulator' | 'sandbox';
  client: ClientName;
  channel: AlipayChannel;
  merchant: ChannelMerchant;
  /** A new out_trade_no (letters, digits, _). */
  orderNo(): string;
}

export interface SimEnv extends ConformanceEnv {
  target: 'simulator';
  sim: SimControl;
  /** Every `api:outcome` the scenarios produced (see `outcomeOf`), for the coverage check. */
  outcomes: Set<string>;
}

type Api = 'pay' | 'query' | 'cancel' | 'close' | 'refund' | 'refundQuery' | 'precreate' | 'billDownloadUrl';
const APIS: readonly Api[] = ['pay', 'query', 'cancel', 'close', 'refund', 'refundQuery', 'precreate', 'billDownloadUrl'];

/** `cancelled:refunded`, `unknown:timeout`, `declined`, …: the result's kind, refined where it matters. */
export function outcomeOf(result: { kind: string; effect?: string; reason?: string }): string {
  if (result.kind === 'cancelled') return `cancelled:${result.effect}`;
  if (result.kind === 'unknown') return `unknown:${result.reason}`;
  return result.kind;
}

/** The same channel, noting each result's `api:outcome` (and each notification check's). */
function recording(channel: AlipayChannel, outcomes: Set<string>): AlipayChannel {
  const wrapped = { ...channel } as Record<string, unknown>;
  for (const api of APIS) {
    const call = channel[api] as (req: never) => Promise<{ kind: string }>;
    wrapped[api] = async (req: never) => {
      const result = await call(req);
      outcomes.add(`${api}:${outcomeOf(result)}`);
      return result;
    };
  }
  wrapped.verifyNotification = (params: Record<string, string>) => {
    const check = channel.verifyNotification(params);
    outcomes.add(`notification:${check.ok ? 'ok' : check.reason}`);
    return check;
  };
  return wrapped as unknown as AlipayChannel;
}

/**
 * Where the official SDK cannot behave as our client does. A scenario naming one asserts the SDK's
 * own behaviour when `env.client === 'alipay-sdk'`; each id is explained in docs/channels/alipay.md.
 */
export const SDK_DIFFERENCES = {
  'sdk-resends-after-reset':
    'urllib, under the SDK, re-sends the POST once after a reset connection (socketErrorRetry: 1): the gateway gets the call twice and the SDK returns the second answer',
  'sdk-rsa-verifies-sha1-only':
    'an SDK configured RSA verifies answers with SHA-1 only; the gateway signs a refusal with the app’s registered type (RSA2), so the SDK throws 验签失败: unknown',
  'sdk-ignores-alipay-cert-sn':
    'the SDK verifies every answer with its one configured Alipay key and ignores alipay_cert_sn: an answer naming an unknown certificate still verifies (after a real rotation it throws 验签失败 instead)',
} as const;
export type SdkDifference = keyof typeof SDK_DIFFERENCES;

export type Scenario =
  | { name: string; needs: 'simulator'; sdkDifference?: SdkDifference; run(env: SimEnv): Promise<void> }
  | { name: string; needs: 'any'; sdkDifference?: SdkDifference; run(env: ConformanceEnv): Promise<void> };

export interface SimCall {
  seq: number;
  method: string;
  code: string;
  subCode?: string;
  fault?: string;
}

/** What reached the simulator's gateway for this order (its `GET /__sim/calls`). */
export async function callsFor(env: SimEnv, method: string, outTradeNo: string): Promise<SimCall[]> {
  const query = new URLSearchParams({ method, outTradeNo, appId: env.sim.appId });
  return (await env.sim.admin<{ calls: SimCall[] }>('GET', `/__sim/calls?${query}`)).calls;
}

/** The latest call of `method` from the suite's app (for refusals that carry no order number). */
export async function lastCall(env: SimEnv, method: string): Promise<SimCall | undefined> {
  const query = new URLSearchParams({ method, appId: env.sim.appId });
  return (await env.sim.admin<{ calls: SimCall[] }>('GET', `/__sim/calls?${query}`)).calls.at(-1);
}


let sequence = 0;
const runId = Date.now().toString(36).toUpperCase();
export const newOrderNo = (): string => `CF${runId}_${++sequence}`;

export async function startSink(): Promise<NotificationSink> {
  const received: Array<Record<string, string>> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
      res.end('success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * A simulator for the suite, in a temp data folder holding a known Alipay key (so a scenario can
 * sign a notification as Alipay, and no key is generated per run).
 */
export async function startConformanceSimulator(seed: number): Promise<{ simulator: AlipaySimulator; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'alipay-conformance-'));
  mkdirSync(join(dataDir, 'keys'));
  writeFileSync(join(dataDir, 'keys', 'alipay_private_key.pem'), sharedKeys().alipay.privatePkcs8Pem, { mode: 0o600 });
  const simulator = await startAlipaySimulator({ port: 0, seed, dataDir });
  return {
    simulator,
    stop: async () => {
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The simulator environment: one simulator, one registered app, a notification sink. */
export async function simulatorEnv(
  sim: { url: string; gatewayUrl: string; alipayPublicKeyPem: string },
  client: ClientName = 'scanpay',
): Promise<SimEnv> {
  const keys = sharedKeys();
  const admin = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sim.url}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${route} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  let apps = 0;
  const newApp = async (opts: { certMode?: boolean; merchant?: Record<string, unknown> } = {}) => {
    const appId = `20210000${String(Date.now() % 1e6).padStart(6, '0')}${String(++apps).padStart(2, '0')}`;
    const app = await admin<{ appId: string; sellerId: string }>('POST', '/__sim/apps', {
      appId, publicKey: keys.app.publicSpkiPem, certMode: opts.certMode ?? false,
    });
    if (opts.merchant) await admin('POST', `/__sim/apps/${appId}/merchant-status`, opts.merchant);
    return app;
  };
  const { appId } = await newApp();
  const sink = await startSink();
  const outcomes = new Set<string>();
  const channel = (overrides: Partial<AlipayChannelConfig> = {}) =>
    recording(
      CLIENTS[client]({
        appId,
        privateKey: new Secret(keys.app.privatePkcs8Pem),
        alipayPublicKey: sim.alipayPublicKeyPem,
        gatewayUrl: sim.gatewayUrl,
        notifyUrl: sink.url,
        ...overrides,
      }),
      outcomes,
    );
  return {
    target: 'simulator',
    client,
    outcomes,
    channel: channel(),
    merchant: {},
    orderNo: newOrderNo,
    sim: {
      url: sim.url,
      appId,
      admin,
      code: async (body = {}) => (await admin<{ code: string }>('POST', '/__sim/payment-codes', body)).code,
      buyer: async (body) => (await admin<{ buyerId: string }>('POST', '/__sim/buyers', body)).buyerId,
      fault: async (rule) => {
        await admin('PUT', '/__sim/faults', { rules: [{ count: 1, ...rule }] });
      },
      newApp,
      channel,
      signAsAlipay: (fields) => ({ ...fields, sign_type: 'RSA2', sign: rsaSign(notificationSignContent(fields), keys.alipay.privateKey, 'RSA2') }),
      sink,
    },
  };
}

export const SANDBOX_VARIABLES = ['ALIPAY_SANDBOX_APP_ID', 'ALIPAY_SANDBOX_PRIVATE_KEY', 'ALIPAY_SANDBOX_PUBLIC_KEY', 'ALIPAY_SANDBOX_GATEWAY'] as const;

/** The real sandbox, when all four variables are set; undefined otherwise. */
export function sandboxEnv(env: NodeJS.ProcessEnv = process.env, client: ClientName = 'scanpay'): ConformanceEnv | undefined {
  const [appId, privateKey, publicKey, gateway] = SANDBOX_VARIABLES.map((name) => env[name]);
  if (!appId || !privateKey || !publicKey || !gateway) return undefined;
  return {
    target: 'sandbox',
    client,
    channel: CLIENTS[client]({ appId, privateKey: new Secret(privateKey), alipayPublicKey: publicKey, gatewayUrl: gateway }),
    merchant: {},
    orderNo: newOrderNo,
  };
}
