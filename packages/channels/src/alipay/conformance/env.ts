/**
 * Where the conformance scenarios run: the simulator (full control through its `/__sim/` admin
 * API) or a real Alipay sandbox (only the scenarios that need no control over the other side).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@scanpay/contracts';
import type { ChannelMerchant } from '../../channel.ts';
import { createAlipayChannel, type AlipayChannel, type AlipayChannelConfig } from '../index.ts';
import { sharedKeys } from '../test-support.ts';

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
  sink: NotificationSink;
}

export interface ConformanceEnv {
  target: 'simulator' | 'sandbox';
  channel: AlipayChannel;
  merchant: ChannelMerchant;
  /** A new out_trade_no (letters, digits, _). */
  orderNo(): string;
}

export interface SimEnv extends ConformanceEnv {
  target: 'simulator';
  sim: SimControl;
}

export type Scenario =
  | { name: string; needs: 'simulator'; run(env: SimEnv): Promise<void> }
  | { name: string; needs: 'any'; run(env: ConformanceEnv): Promise<void> };

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

/** The simulator environment: one simulator, one registered app, a notification sink. */
export async function simulatorEnv(sim: { url: string; gatewayUrl: string; alipayPublicKeyPem: string }): Promise<SimEnv> {
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
  const channel = (overrides: Partial<AlipayChannelConfig> = {}) =>
    createAlipayChannel({
      appId,
      privateKey: new Secret(keys.app.privatePkcs8Pem),
      alipayPublicKey: sim.alipayPublicKeyPem,
      gatewayUrl: sim.gatewayUrl,
      notifyUrl: sink.url,
      ...overrides,
    });
  return {
    target: 'simulator',
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
      sink,
    },
  };
}

export const SANDBOX_VARIABLES = ['ALIPAY_SANDBOX_APP_ID', 'ALIPAY_SANDBOX_PRIVATE_KEY', 'ALIPAY_SANDBOX_PUBLIC_KEY', 'ALIPAY_SANDBOX_GATEWAY'] as const;

/** The real sandbox, when all four variables are set; undefined otherwise. */
export function sandboxEnv(env: NodeJS.ProcessEnv = process.env): ConformanceEnv | undefined {
  const [appId, privateKey, publicKey, gateway] = SANDBOX_VARIABLES.map((name) => env[name]);
  if (!appId || !privateKey || !publicKey || !gateway) return undefined;
  return {
    target: 'sandbox',
    channel: createAlipayChannel({ appId, privateKey: new Secret(privateKey), alipayPublicKey: publicKey, gatewayUrl: gateway }),
    merchant: {},
    orderNo: newOrderNo,
  };
}
