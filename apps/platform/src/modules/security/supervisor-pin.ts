import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '@scanpay/errors';
import type { Db, Queryable } from '../../db/index.ts';

/**
 * The store's supervisor PIN (主管密码, UX.md §2 step 10): six digits, stored as a salted scrypt
 * hash. Five wrong tries within 15 minutes lock refunds at that store for 15 minutes. A refused
 * try records only the failure itself.
 */
export const SUPERVISOR_PIN = /^\d{6}$/;
export const PIN_MAX_FAILURES = 5;
export const PIN_FAILURE_WINDOW_MS = 15 * 60_000;
export const PIN_LOCK_MS = 15 * 60_000;

// N=2^14, r=8: ~16 MiB and tens of milliseconds, enough for a 6-digit secret behind a lockout.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scryptAsync(pin: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_LEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSupervisorPin(pin: string): Promise<string> {
  if (!SUPERVISOR_PIN.test(pin)) throw new TypeError('a supervisor PIN is exactly six digits');
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifySupervisorPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  // Malformed input still costs one scrypt, so timing does not tell a format error from a wrong PIN.
  const candidate = SUPERVISOR_PIN.test(pin) ? pin : `x${pin.slice(0, 32)}`;
  const key = await scryptAsync(candidate, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  const expected = Buffer.from(hash, 'base64url');
  return expected.length === key.length && timingSafeEqual(expected, key) && candidate === pin;
}

export async function setStoreSupervisorPin(db: Queryable, storeId: string, pin: string): Promise<void> {
  await db.query(
    'update stores set supervisor_pin_hash = $2, supervisor_pin_locked_until = null where id = $1',
    [storeId, await hashSupervisorPin(pin)],
  );
  await db.query('delete from supervisor_pin_failures where store_id = $1', [storeId]);
}

interface StorePinRow {
  supervisor_pin_hash: string | null;
  supervisor_pin_locked_until: Date | null;
}

/**
 * Checks a supervisor PIN for a store and throws the refusal: PAY_SUPERVISOR_LOCKED (429) while
 * locked, PAY_SUPERVISOR_PIN_NOT_SET, or PAY_SUPERVISOR_PIN_INVALID (403, with the tries left).
 * The hash is computed outside any transaction; the failure count is kept under the store's lock.
 */
export async function checkSupervisorPin(
  db: Db,
  p: { storeId: string; terminalId: string; pin: string; now: Date },
): Promise<void> {
  const before = await readPin(db, p.storeId);
  if (!before) throw new AppError('PAY_SUPERVISOR_PIN_NOT_SET');
  refuseIfLocked(before, p.now);
  if (!before.supervisor_pin_hash) throw new AppError('PAY_SUPERVISOR_PIN_NOT_SET');
  const ok = await verifySupervisorPin(p.pin, before.supervisor_pin_hash);

  const verdict = await db.transaction(async (tx) => {
    const row = await readPin(tx, p.storeId, true);
    if (!row) return { kind: 'not_set' as const };
    if (row.supervisor_pin_locked_until && row.supervisor_pin_locked_until > p.now) {
      return { kind: 'locked' as const, until: row.supervisor_pin_locked_until };
    }
    if (ok) return { kind: 'ok' as const };
    const windowStart = new Date(p.now.getTime() - PIN_FAILURE_WINDOW_MS);
    await tx.query('delete from supervisor_pin_failures where store_id = $1 and failed_at <= $2', [p.storeId, windowStart]);
    await tx.query('insert into supervisor_pin_failures (store_id, terminal_id, failed_at) values ($1, $2, $3)', [
      p.storeId,
      p.terminalId,
      p.now,
    ]);
    const r = await tx.query<{ n: number }>(
      'select count(*)::int as n from supervisor_pin_failures where store_id = $1 and failed_at > $2',
      [p.storeId, windowStart],
    );
    const failures = r.rows[0]?.n ?? 0;
    if (failures < PIN_MAX_FAILURES) return { kind: 'wrong' as const, remaining: PIN_MAX_FAILURES - failures };
    const until = new Date(p.now.getTime() + PIN_LOCK_MS);
    await tx.query('update stores set supervisor_pin_locked_until = $2 where id = $1', [p.storeId, until]);
    // The lock starts a fresh count once it ends.
    await tx.query('delete from supervisor_pin_failures where store_id = $1', [p.storeId]);
    return { kind: 'wrong' as const, remaining: 0, lockedUntil: until };
  });

  switch (verdict.kind) {
    case 'ok':
      return;
    case 'not_set':
      throw new AppError('PAY_SUPERVISOR_PIN_NOT_SET');
    case 'locked':
      throw lockedError(verdict.until);
    case 'wrong':
      throw new AppError('PAY_SUPERVISOR_PIN_INVALID', {
        param: 'supervisorPin',
        extra: {
          remainingTries: verdict.remaining,
          ...(verdict.lockedUntil ? { lockedUntil: verdict.lockedUntil.toISOString() } : {}),
        },
      });
  }
}

async function readPin(db: Queryable, storeId: string, lock = false): Promise<StorePinRow | undefined> {
  const r = await db.query<StorePinRow>(
    `select supervisor_pin_hash, supervisor_pin_locked_until from stores where id = $1${lock ? ' for update' : ''}`,
    [storeId],
  );
  return r.rows[0];
}

function refuseIfLocked(row: StorePinRow, now: Date): void {
  if (row.supervisor_pin_locked_until && row.supervisor_pin_locked_until > now) throw lockedError(row.supervisor_pin_locked_until);
}

function lockedError(until: Date): AppError {
  return new AppError('PAY_SUPERVISOR_LOCKED', {
    detail: `refunds at this store are locked until ${until.toISOString()}`,
    extra: { lockedUntil: until.toISOString() },
  });
}
