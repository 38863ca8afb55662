import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  canonicalDeviceRequest,
  DEVICE_HEADERS,
  EMPTY_BODY_SHA256,
  SIGNATURE_WINDOW_MS,
} from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import type { Db } from '../../db/index.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { findTerminalWithMerchant, rememberNonce, rememberNonceIfKey, type TerminalRow } from './store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    terminal?: TerminalRow;
  }
  interface FastifyContextConfig {
    /** `device`: signed by an activated terminal; `operator`: the operator API's bearer token. */
    auth?: 'device' | 'operator' | 'none';
  }
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const TERMINAL_ID = /^trm_[0-9a-z]{26}$/;

/**
 * Device authentication on every terminal route: the request must be signed by the key the
 * terminal made at activation. Each refusal says why, so the terminal can show the remedy.
 */
export const deviceAuthPlugin = fp(async (app: FastifyInstance, opts: { db: Db; now?: () => number }) => {
  const now = opts.now ?? Date.now;
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.auth !== 'device') return;
    request.terminal = await authenticate(request, opts.db, now());
  });
});

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

async function authenticate(request: FastifyRequest, db: Db, nowMs: number): Promise<TerminalRow> {
  const terminalId = header(request, DEVICE_HEADERS.terminal);
  const timestamp = header(request, DEVICE_HEADERS.timestamp);
  const nonce = header(request, DEVICE_HEADERS.nonce);
  const signature = header(request, DEVICE_HEADERS.signature);
  if (!terminalId || !timestamp || !nonce || !signature) {
    throw new AppError('TRM_SIGNATURE_MISSING', {
      detail: `send ${Object.values(DEVICE_HEADERS).join(', ')}`,
    });
  }
  if (!TERMINAL_ID.test(terminalId)) throw new AppError('TRM_UNKNOWN_DEVICE', { detail: 'malformed terminal id' });
  const signed = { terminalId, timestamp, nonce, signature, canonical: '' };

  // The short way, for a terminal seen before: verify with the key it had, then one statement
  // records the nonce only if the terminal is still active with that key. Anything else (a bad
  // clock, a changed key, a disabled terminal) takes the long way, which says why.
  const known = terminalKeys.get(terminalId);
  if (known && clockOk(timestamp, nowMs) && NONCE.test(nonce) && verifySigned(request, signed, known.key)) {
    const fast = await rememberNonceIfKey(db, terminalId, nonce, known.jwk);
    if (fast?.keyMatches) {
      if (!fast.recorded) throw new AppError('TRM_NONCE_REPLAYED');
      return fast.terminal;
    }
  }

  const terminal = await findTerminalWithMerchant(db, terminalId);
  if (!terminal) throw new AppError('TRM_UNKNOWN_DEVICE', { detail: `no terminal ${terminalId}` });
  if (terminal.status === 'disabled') throw new AppError('TRM_DEVICE_DISABLED');
  if (terminal.status !== 'active' || !terminal.public_key_jwk) throw new AppError('TRM_NOT_ACTIVATED');

  if (!clockOk(timestamp, nowMs)) {
    const ts = timestampMs(timestamp);
    throw new AppError('TRM_TIMESTAMP_SKEW', {
      detail: Number.isFinite(ts) ? `terminal clock is ${Math.round((ts - nowMs) / 1000)} s off` : 'malformed timestamp',
      extra: { serverTime: new Date(nowMs).toISOString() },
    });
  }
  if (!NONCE.test(nonce)) throw new AppError('TRM_SIGNATURE_INVALID', { detail: 'malformed nonce' });

  const key = terminalKey(terminalId, terminal.public_key_jwk);
  if (!key || !verifySigned(request, signed, key)) throw new AppError('TRM_SIGNATURE_INVALID');
  // The nonce is recorded only after the signature verifies, so nobody can burn a terminal's nonces.
  if (!(await rememberNonce(db, terminalId, nonce))) throw new AppError('TRM_NONCE_REPLAYED');
  return terminal;
}

/** The header's epoch milliseconds, NaN when it is not 13 digits. */
function timestampMs(timestamp: string): number {
  return /^\d{13}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
}

function clockOk(timestamp: string, nowMs: number): boolean {
  const ts = timestampMs(timestamp);
  return Number.isFinite(ts) && Math.abs(nowMs - ts) <= SIGNATURE_WINDOW_MS;
}

/**
 * Each terminal's imported key with the JWK it came from: importing costs more than verifying,
 * and every request of a terminal uses the same key. Bounded; a re-activated terminal's new JWK
 * replaces its entry.
 */
const terminalKeys = new Map<string, { jwk: string; key: KeyObject }>();
const MAX_CACHED_KEYS = 10_000;

function terminalKey(terminalId: string, jwk: object): KeyObject | undefined {
  const text = JSON.stringify(jwk);
  const known = terminalKeys.get(terminalId);
  if (known?.jwk === text) return known.key;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    return undefined;
  }
  if (!known && terminalKeys.size >= MAX_CACHED_KEYS) terminalKeys.delete(terminalKeys.keys().next().value as string);
  terminalKeys.set(terminalId, { jwk: text, key });
  return key;
}

/** Verifies the request's signature; the canonical text is built once per request. */
function verifySigned(
  request: FastifyRequest,
  signed: { terminalId: string; timestamp: string; nonce: string; signature: string; canonical: string },
  key: KeyObject,
): boolean {
  if (!signed.canonical) {
    const body = request.rawBody;
    signed.canonical = canonicalDeviceRequest({
      terminalId: signed.terminalId,
      method: request.method,
      pathWithQuery: request.url,
      timestamp: signed.timestamp,
      nonce: signed.nonce,
      bodySha256Hex: body ? sha256Hex(body) : EMPTY_BODY_SHA256,
    });
  }
  try {
    const sig = Buffer.from(signed.signature, 'base64');
    if (sig.length !== 64) return false;
    return verify('sha256', Buffer.from(signed.canonical, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

/** Whether a JWK is a usable P-256 public key (checked at activation). */
export function isUsableDeviceKey(jwk: object): boolean {
  try {
    const key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}
