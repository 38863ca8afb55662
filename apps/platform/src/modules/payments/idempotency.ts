import { AppError } from '@scanpay/errors';
import type { Queryable } from '../../db/index.ts';

/**
 * Idempotency for terminal writes: the key row is written in the same transaction as the payment
 * it creates, so a retry can never create a second payment. While the first request's channel call
 * is in flight the key is locked and retries get 409 (retryable); afterwards they get the payment.
 */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,255}$/;

export interface IdempotencyRow {
  terminal_id: string;
  key: string;
  request_hash: string;
  resource_id: string | null;
  locked_until: Date | null;
}

export type KeyCheck = { kind: 'new' } | { kind: 'replay'; resourceId: string };

export function requireIdempotencyKey(header: unknown): string {
  if (typeof header !== 'string' || header.length === 0) throw new AppError('REQ_IDEMPOTENCY_KEY_MISSING');
  if (!IDEMPOTENCY_KEY.test(header)) throw new AppError('REQ_IDEMPOTENCY_KEY_INVALID');
  return header;
}

export async function checkIdempotencyKey(
  tx: Queryable,
  terminalId: string,
  key: string,
  requestHash: string,
  now: Date,
): Promise<KeyCheck> {
  const r = await tx.query<IdempotencyRow>(
    'select terminal_id, key, request_hash, resource_id, locked_until from idempotency_keys where terminal_id = $1 and key = $2 for update',
    [terminalId, key],
  );
  const row = r.rows[0];
  if (!row) return { kind: 'new' };
  if (row.request_hash !== requestHash) {
    throw new AppError('REQ_IDEMPOTENCY_MISMATCH', { detail: 'the key was first used with a different body or path' });
  }
  if ((row.locked_until && row.locked_until > now) || !row.resource_id) {
    throw new AppError('REQ_IDEMPOTENCY_IN_PROGRESS', { extra: { resourceId: row.resource_id } });
  }
  return { kind: 'replay', resourceId: row.resource_id };
}

export async function insertIdempotencyKey(
  tx: Queryable,
  k: { terminalId: string; key: string; requestHash: string; method: string; path: string; resourceId: string; lockedUntil: Date },
): Promise<void> {
  await tx.query(
    `insert into idempotency_keys (terminal_id, key, request_hash, method, path, resource_id, locked_until)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [k.terminalId, k.key, k.requestHash, k.method, k.path, k.resourceId, k.lockedUntil],
  );
}

export async function completeIdempotencyKey(
  tx: Queryable,
  terminalId: string,
  key: string,
  response: { status: number; body: unknown },
): Promise<void> {
  await tx.query(
    `update idempotency_keys set locked_until = null, response_status = $3, response_body = $4
     where terminal_id = $1 and key = $2`,
    [terminalId, key, response.status, JSON.stringify(response.body)],
  );
}

/** Postgres unique violation: a concurrent request inserted the same key first. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}
