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
import { findTerminalWithMerchant, rememberNonce, type TerminalRow } from './store.ts';

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
  const terminal = await findTerminalWithMerchant(db, terminalId);
  if (!terminal) throw new AppError('TRM_UNKNOWN_DEVICE', { detail: `no terminal ${terminalId}` });
  if (terminal.status === 'disabled') throw new AppError('TRM_DEVICE_DISABLED');
  if (terminal.status !== 'active' || !terminal.public_key_jwk) throw new AppError('TRM_NOT_ACTIVATED');

  const ts = /^\d{13}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isFinite(ts) || Math.abs(nowMs - ts) > SIGNATURE_WINDOW_MS) {
    throw new AppError('TRM_TIMESTAMP_SKEW', {
      detail: Number.isFinite(ts) ? `terminal clock is ${Math.round((ts - nowMs) / 1000)} s off` : 'malformed timestamp',
      extra: { serverTime: new Date(nowMs).toISOString() },
    });
  }
  if (!NONCE.test(nonce)) throw new AppError('TRM_SIGNATURE_INVALID', { detail: 'malformed nonce' });

  const body = request.rawBody;
  const canonical = canonicalDeviceRequest({
    terminalId,
    method: request.method,
    pathWithQuery: request.url,
    timestamp,
    nonce,
    bodySha256Hex: body ? sha256Hex(body) : EMPTY_BODY_SHA256,
  });
  if (!verifyDeviceSignature(terminal.public_key_jwk, canonical, signature)) {
    throw new AppError('TRM_SIGNATURE_INVALID');
  }
  // The nonce is recorded only after the signature verifies, so nobody can burn a terminal's nonces.
  if (!(await rememberNonce(db, terminalId, nonce))) throw new AppError('TRM_NONCE_REPLAYED');
  return terminal;
}

/**
 * Imported device keys, by their JWK: importing costs more than verifying, and every request of a
 * terminal uses the same key. Bounded; a re-activated terminal has a new JWK, hence a new entry.
 */
const deviceKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 10_000;

function deviceKey(jwk: object): KeyObject {
  const id = JSON.stringify(jwk);
  let key = deviceKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    if (deviceKeys.size >= MAX_CACHED_KEYS) deviceKeys.delete(deviceKeys.keys().next().value as string);
    deviceKeys.set(id, key);
  }
  return key;
}

function verifyDeviceSignature(jwk: object, canonical: string, signatureB64: string): boolean {
  try {
    const key = deviceKey(jwk);
    const sig = Buffer.from(signatureB64, 'base64');
    if (sig.length !== 64) return false;
    return verify('sha256', Buffer.from(canonical, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, sig);
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
