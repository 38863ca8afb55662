/**
 * Transport for the Alipay v2 gateway: sign, POST form-urlencoded, read the raw text, verify.
 *
 * Money-safety rules, all enforced here so no API call can forget one:
 * - anything we cannot trust (timeout, network error, HTTP ≠ 200, unparsable body, a signature
 *   that does not verify, a success without a signature) is `unknown`, never success or failure;
 * - the signature is checked over the raw body text, never over re-serialised JSON;
 * - an error body without `sign` is passed on marked `signed: false` (Java SDK rule, brief §1.5):
 *   the caller decides whether an unauthenticated error may count as a refusal;
 * - `notSent` only when the request provably never left (refused before connecting).
 */
import type { KeyObject } from 'node:crypto';
import type { ChannelUnknown } from '../channel.ts';
import {
  beijingTimestamp,
  extractResponse,
  signParams,
  verifyResponseContent,
  type SignType,
} from './signing.ts';

export interface GatewayConfig {
  appId: string;
  privateKey: KeyObject;
  alipayPublicKey: KeyObject;
  gatewayUrl: URL;
  signType: SignType;
  /** Certificate mode: our SNs, and the Alipay keys by the SN a response names. */
  cert?: { appCertSn: string; alipayRootCertSn: string; keysBySn: ReadonlyMap<string, KeyObject> };
  now: () => Date;
  fetch: typeof fetch;
}

export interface GatewayCall {
  method: string;
  bizContent: Record<string, unknown>;
  timeoutMs: number;
  notifyUrl?: string | undefined;
  appAuthToken?: string | undefined;
}

export interface GatewayAnswer {
  kind: 'answer';
  /** The parsed response node: wire names, read only by transformers.ts. */
  node: Record<string, unknown>;
  /** False for an error body that came without `sign` (unauthenticated). */
  signed: boolean;
  code: string;
  /** The body exactly as received (what was verified), for logs and support. */
  raw: string;
}

export type GatewayResult = GatewayAnswer | ChannelUnknown;

// Parameters the official SDKs put in the query string; biz_content travels in the body.
const QUERY_PARAMS = new Set([
  'app_id', 'method', 'format', 'charset', 'sign_type', 'sign', 'timestamp', 'version',
  'notify_url', 'app_auth_token', 'app_cert_sn', 'alipay_root_cert_sn',
]);

// Public codes that may come unsigned (an error, brief §1.5); anything else must be signed.
const UNSIGNED_ERROR_CODES = new Set(['20000', '20001', '40001', '40002', '40003', '40004', '40005', '40006']);

/** The common parameters plus biz_content, signed: exactly what goes on the wire. */
export function buildRequestParams(config: GatewayConfig, call: GatewayCall): Record<string, string> {
  const params: Record<string, string> = {
    app_id: config.appId,
    method: call.method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: config.signType,
    timestamp: beijingTimestamp(config.now()),
    version: '1.0',
    biz_content: JSON.stringify(call.bizContent),
  };
  if (call.notifyUrl) params.notify_url = call.notifyUrl;
  if (call.appAuthToken) params.app_auth_token = call.appAuthToken;
  if (config.cert) {
    params.app_cert_sn = config.cert.appCertSn;
    params.alipay_root_cert_sn = config.cert.alipayRootCertSn;
  }
  return signParams(params, config.privateKey, config.signType);
}

export async function callGateway(config: GatewayConfig, call: GatewayCall): Promise<GatewayResult> {
  let url: URL;
  let body: URLSearchParams;
  try {
    const params = buildRequestParams(config, call);
    url = new URL(config.gatewayUrl);
    body = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (QUERY_PARAMS.has(key)) url.searchParams.set(key, value);
      else body.set(key, value);
    }
  } catch (err) {
    return { kind: 'unknown', reason: 'network', notSent: true, detail: `${call.method}: request not built: ${messageOf(err)}` };
  }

  let status: number;
  let raw: string;
  // A timer cleared with the answer (AbortSignal.timeout would fire later for every call anyway).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException(`no answer within ${call.timeoutMs} ms`, 'TimeoutError')), call.timeoutMs);
  try {
    const response = await config.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body,
      redirect: 'manual', // a redirect is not an answer: never re-send a payment code elsewhere
      signal: deadline.signal, // covers reading the body too
    });
    status = response.status;
    raw = await response.text();
  } catch (err) {
    return transportFailure(call, err);
  } finally {
    clearTimeout(timer);
  }

  if (status !== 200) {
    return { kind: 'unknown', reason: 'http_status', detail: `${call.method}: HTTP ${status}` };
  }
  return readAnswer(config, call.method, raw);
}

/** Parses and verifies a 200 body (exported for the signing tests). */
export function readAnswer(config: GatewayConfig, method: string, raw: string): GatewayResult {
  const envelope = extractResponse(raw, method);
  let node: unknown;
  try {
    node = envelope ? JSON.parse(envelope.content) : undefined;
  } catch {
    node = undefined;
  }
  if (!envelope || typeof node !== 'object' || node === null || Array.isArray(node)) {
    return { kind: 'unknown', reason: 'unparsable', detail: `${method}: response is not a gateway envelope` };
  }
  const fields = node as Record<string, unknown>;
  const code = typeof fields.code === 'string' ? fields.code : '';

  if (envelope.sign === undefined) {
    if (UNSIGNED_ERROR_CODES.has(code)) return { kind: 'answer', node: fields, signed: false, code, raw };
    return { kind: 'unknown', reason: 'bad_signature', detail: `${method}: code ${code || '(none)'} without a signature` };
  }
  let key = config.alipayPublicKey;
  if (config.cert && envelope.certSn !== undefined) {
    const byCert = config.cert.keysBySn.get(envelope.certSn);
    if (!byCert) {
      // Alipay rotated its certificate: an operator must load the new one (brief §1.5).
      return { kind: 'unknown', reason: 'bad_signature', detail: `${method}: unknown alipay_cert_sn ${envelope.certSn}` };
    }
    key = byCert;
  }
  // An RSA (SHA-1) app may get answers signed RSA2 (the gateway signs with the app's configured
  // type); accepting the stronger hash costs nothing. An RSA2 client never falls back to SHA-1.
  const verified =
    verifyResponseContent(envelope.content, envelope.sign, key, config.signType) ||
    (config.signType === 'RSA' && verifyResponseContent(envelope.content, envelope.sign, key, 'RSA2'));
  if (!verified) {
    return { kind: 'unknown', reason: 'bad_signature', detail: `${method}: response signature does not verify` };
  }
  return { kind: 'answer', node: fields, signed: true, code, raw };
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

function transportFailure(call: GatewayCall, err: unknown): ChannelUnknown {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { kind: 'unknown', reason: 'timeout', detail: `${call.method}: no answer within ${call.timeoutMs} ms` };
  }
  const code = errorCode(err);
  // fetch refuses a few ports (e.g. 9, 25) before connecting: `TypeError('fetch failed', { cause: 'bad port' })`.
  const refusedPort = err instanceof Error && (err.cause as { message?: unknown } | undefined)?.message === 'bad port';
  if ((code !== undefined && NEVER_CONNECTED.has(code)) || refusedPort) {
    return { kind: 'unknown', reason: 'network', notSent: true, detail: `${call.method}: ${code}` };
  }
  return { kind: 'unknown', reason: 'network', detail: `${call.method}: ${code ?? messageOf(err)}` };
}

/** undici wraps the socket error: `TypeError('fetch failed', { cause: { code } })`. */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
