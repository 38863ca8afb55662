// @scanpay/alipay-simulator: an offline Alipay OpenAPI v2 gateway with real RSA2 signatures.
// Only node:* built-ins on purpose (see crypto.ts for why it does not share the adapter's code).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { adminRoutes, seedDemoBuyer, type Runtime } from './admin.ts';
import { tradeRoutes } from './admin-trades.ts';
import { loadOrCreateAlipayKeys } from './crypto.ts';
import { gatewayParams, handleGateway } from './gateway.ts';
import { AdminError, parseJsonObject, readBody, Router, sendJson, sendText } from './http-util.ts';
import { installTradeTimers } from './lifecycle.ts';
import { Notifier } from './notifier.ts';
import { Sim, type SimConfig } from './sim.ts';
import { Store } from './store.ts';
import { compactJson, envelope } from './wire.ts';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  seed?: number;
  timeScale?: number;
  seedDemo?: boolean;
  logger?: (line: string) => void;
  /** fdatasync every journal line (power-loss durability); kill -9 safety does not need it. */
  fsync?: boolean;
  /** Overrides of the simulated delays (notification schedule, auto-close, …). */
  config?: Partial<SimConfig>;
}

export interface AlipaySimulator {
  url: string;
  gatewayUrl: string;
  alipayPublicKeyPem: string;
  close(): Promise<void>;
}

export type { FaultRule, FaultKind } from './faults.ts';
export type { SimConfig } from './sim.ts';
export { DEMO_BUYER_ID } from './ids.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startAlipaySimulator(opts: SimulatorOptions = {}): Promise<AlipaySimulator> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.logger ?? (() => {});
  const keys = loadOrCreateAlipayKeys(opts.dataDir);
  const store = new Store(opts.dataDir ? path.join(opts.dataDir, 'journal.ndjson') : undefined, opts.fsync ?? false);
  const replay = store.open();
  const sim = new Sim(store, keys, opts.seed ?? 1, opts.timeScale ?? 1, log, opts.config);
  const notifier = new Notifier(sim);
  installTradeTimers(sim, notifier);
  const rt: Runtime = { sim, notifier, seedDemo: opts.seedDemo ?? true };
  if (rt.seedDemo) seedDemoBuyer(sim);

  const router = new Router();
  adminRoutes(rt, router);
  tradeRoutes(rt, router);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`request error: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: String(err) });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname === '/gateway.do') return gateway(req, res, url);
    if (url.pathname.startsWith('/__sim/')) return admin(req, res, url);
    sendJson(res, 404, { error: 'not_found', message: `no route ${url.pathname}` });
  }

  async function gateway(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST' && req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed', message: 'use POST or GET' });
    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof AdminError) return sendJson(res, err.status, { error: err.error, message: err.message });
      throw err;
    }
    const params = gatewayParams(url, req.headers['content-type'], body);
    const answer = params
      ? handleGateway(sim, notifier, params)
      : { status: 200, body: envelope('error_response', compactJson({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter', sub_msg: '请求体须为 application/x-www-form-urlencoded' })) };
    if (answer.delayMs) await sleep(answer.delayMs);
    if (answer.drop) {
      req.socket.destroy();
      return;
    }
    const contentType = answer.status === 200 ? 'application/json;charset=utf-8' : 'text/html;charset=utf-8';
    sendText(res, answer.status, answer.body, contentType);
  }

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    try {
      const match = router.match(req.method ?? 'GET', url.pathname);
      if (match === undefined) throw new AdminError(404, 'not_found', `no route ${req.method} ${url.pathname}`);
      if (match === 'method') throw new AdminError(405, 'method_not_allowed', `${req.method} not allowed on ${url.pathname}`);
      const raw = await readBody(req);
      const body = req.method === 'GET' || req.method === 'DELETE' ? {} : parseJsonObject(raw);
      const result = await match.handler({ params: match.params, query: url.searchParams, body, raw: req }, res);
      if (!res.headersSent) sendJson(res, 200, result);
    } catch (err) {
      if (err instanceof AdminError) return sendJson(res, err.status, { error: err.error, message: err.message });
      throw err;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8090, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  sim.baseUrl = url;
  // Re-arm what was pending before a restart (trades waiting on buyers, notifications to retry).
  for (const trade of store.trades.values()) sim.hooks.armTrade(trade);
  for (const n of store.notifications.values()) notifier.arm(n);
  log(`alipay simulator on ${url} (journal: ${replay.lines} lines replayed${replay.skipped ? `, ${replay.skipped} torn skipped` : ''})`);

  let closed = false;
  return {
    url,
    gatewayUrl: `${url}/gateway.do`,
    alipayPublicKeyPem: keys.publicKeyPem,
    async close() {
      if (closed) return;
      closed = true;
      sim.timers.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await notifier.idle();
      store.close();
    },
  };
}
