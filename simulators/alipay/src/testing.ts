// Test helpers (used by the *.test.ts files only): an independent minimal v2 client and admin calls.
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { requestSignString, rsaSign, rsaVerify, type SignType } from './crypto.ts';
import { beijingTime, responseNodeName } from './wire.ts';
import { startAlipaySimulator, type AlipaySimulator, type SimulatorOptions } from './index.ts';

export interface AppKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

const KEY_CACHE = path.join(os.tmpdir(), 'scanpay-alipay-sim-test-keys-v1.json');
type KeyName = 'app' | 'other' | 'alipay';
let cache: Partial<Record<KeyName, AppKeys>> | undefined;

function generatePair(): AppKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Test key pairs, generated once per machine and cached in the OS temp dir: RSA key generation
 * costs seconds on a busy 2-core box and would dominate the test run. Never used outside tests.
 */
function testPair(name: KeyName): AppKeys {
  if (!cache) {
    try {
      cache = JSON.parse(fs.readFileSync(KEY_CACHE, 'utf8')) as Partial<Record<KeyName, AppKeys>>;
    } catch {
      cache = {};
    }
  }
  let pair = cache[name];
  if (!pair?.privateKeyPem || !pair.publicKeyPem) {
    pair = generatePair();
    cache[name] = pair;
    const tmp = `${KEY_CACHE}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(cache), { mode: 0o600 });
    fs.renameSync(tmp, KEY_CACHE);
  }
  return pair;
}

/** The app key pair the fixtures register. */
export function appKeys(): AppKeys {
  return testPair('app');
}

/** A second, unrelated pair (for "signed with the wrong key"). */
export function otherKeys(): AppKeys {
  return testPair('other');
}

/** Puts a cached "Alipay" key pair into a dataDir so the simulator does not generate one. */
export function seedSimulatorKeys(dataDir: string): void {
  const dir = path.join(dataDir, 'keys');
  fs.mkdirSync(dir, { recursive: true });
  const pair = testPair('alipay');
  fs.writeFileSync(path.join(dir, 'alipay_private_key.pem'), pair.privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'alipay_public_key.pem'), pair.publicKeyPem);
}

const tempDirs: string[] = [];
// Registered once per test file that imports this helper; after hooks run last-registered first,
// so the file's own afterAll (closing its simulator) runs before this.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'alipay-sim-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function admin<T = any>(sim: AlipaySimulator, method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${sim.url}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

export async function adminOk<T = any>(sim: AlipaySimulator, method: string, route: string, body?: unknown): Promise<T> {
  const { status, json } = await admin<T>(sim, method, route, body);
  if (status !== 200) throw new Error(`${method} ${route} -> ${status} ${JSON.stringify(json)}`);
  return json;
}

export interface CallOptions {
  appId: string;
  keys?: AppKeys;
  signType?: SignType;
  extra?: Record<string, string>;
  /** Replace or remove common parameters before signing (undefined removes). */
  override?: Record<string, string | undefined>;
  tamperAfterSigning?: Record<string, string>;
}

export interface CallResult {
  status: number;
  text: string;
  node: string;
  body: Record<string, any>;
  sign?: string;
  verified: boolean;
}

/** A signed gateway call the way the brief describes it (not through any SDK). */
export async function call(sim: AlipaySimulator, method: string, biz: Record<string, unknown>, opts: CallOptions): Promise<CallResult> {
  const keys = opts.keys ?? appKeys();
  const params: Record<string, string | undefined> = {
    app_id: opts.appId, method, format: 'JSON', charset: 'utf-8', sign_type: opts.signType ?? 'RSA2',
    timestamp: beijingTime(Date.now()), version: '1.0', biz_content: JSON.stringify(biz), ...opts.extra,
  };
  for (const [k, v] of Object.entries(opts.override ?? {})) params[k] = v;
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) clean[k] = v;
  clean.sign = rsaSign(requestSignString(clean), keys.privateKeyPem, opts.signType ?? 'RSA2');
  Object.assign(clean, opts.tamperAfterSigning);
  const res = await fetch(sim.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(clean).toString(),
  });
  const text = await res.text();
  return parseAnswer(sim, res.status, text, method, opts.signType ?? 'RSA2');
}

/** Cuts the raw inner object (brief §1.5) and verifies it with the simulator's public key. */
export function parseAnswer(sim: AlipaySimulator, status: number, text: string, method: string, signType: SignType = 'RSA2'): CallResult {
  if (status !== 200) return { status, text, node: '', body: {}, verified: false };
  const parsed = JSON.parse(text) as Record<string, any>;
  const node = parsed[responseNodeName(method)] ? responseNodeName(method) : 'error_response';
  const start = text.indexOf(`"${node}":`) + node.length + 3;
  let depth = 0;
  let inString = false;
  let end = start;
  for (; end < text.length; end++) {
    const ch = text[end];
    if (inString) {
      if (ch === '\\') end++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) break;
  }
  const inner = text.slice(start, end + 1);
  const sign = parsed.sign as string | undefined;
  const verified = sign !== undefined && rsaVerify(inner, sign, sim.alipayPublicKeyPem, signType);
  return { status, text, node, body: parsed[node], sign, verified };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the predicate holds (for timers and notifications). */
export async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(v)}`);
    await sleep(10);
  }
}


export const APP_ID = '2021000000000001';

export interface Fixture {
  sim: AlipaySimulator;
  appId: string;
  dataDir: string;
  call(method: string, biz: Record<string, unknown>, opts?: Partial<CallOptions>): Promise<CallResult>;
  code(body?: Record<string, unknown>): Promise<string>;
}

/** A simulator on an ephemeral port with a temp dataDir and one registered app. */
export async function startFixture(opts: SimulatorOptions = {}, dataDir = tempDir()): Promise<Fixture> {
  seedSimulatorKeys(dataDir);
  const sim = await startAlipaySimulator({ port: 0, dataDir, ...opts });
  await adminOk(sim, 'POST', '/__sim/apps', { appId: APP_ID, publicKey: appKeys().publicKeyPem });
  return {
    sim,
    appId: APP_ID,
    dataDir,
    call: (method, biz, o) => call(sim, method, biz, { appId: APP_ID, ...o }),
    code: async (body = {}) => (await adminOk<{ code: string }>(sim, 'POST', '/__sim/payment-codes', body)).code,
  };
}

export interface Received {
  raw: string;
  form: Record<string, string>;
  at: number;
}

export interface Sink {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A notification endpoint on 127.0.0.1 that records what it gets and answers `answer(n)` (a promise holds the reply back). */
export async function startSink(answer: (index: number, form: Record<string, string>) => string | Promise<string> = () => 'success'): Promise<Sink> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const form = Object.fromEntries(new URLSearchParams(raw));
      received.push({ raw, form, at: Date.now() });
      void Promise.resolve(answer(received.length - 1, form)).then((reply) => res.end(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    received,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
