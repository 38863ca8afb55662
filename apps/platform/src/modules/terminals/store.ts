import type { EcPublicJwk } from '@scanpay/contracts';
import type { Queryable } from '../../db/index.ts';
import { MERCHANT_COLUMNS, type MerchantRow } from '../merchants/store.ts';

export interface TerminalRow {
  id: string;
  merchant_id: string;
  store_id: string;
  serial: string | null;
  status: 'pending' | 'active' | 'disabled';
  public_key_jwk: EcPublicJwk | null;
  activation_expires_at: Date | null;
  app_version: string | null;
  /** Its merchant, read with it when a request is authenticated (saves a query on every payment). */
  merchant?: MerchantRow;
}

const COLUMNS = 'id, merchant_id, store_id, serial, status, public_key_jwk, activation_expires_at, app_version';

export async function findTerminal(db: Queryable, id: string): Promise<TerminalRow | undefined> {
  const r = await db.query<TerminalRow>(`select ${COLUMNS} from terminals where id = $1`, [id]);
  return r.rows[0];
}

const TERMINAL_WITH_MERCHANT = `select ${COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')},
    (select to_jsonb(m) from (select ${MERCHANT_COLUMNS} from merchants where id = t.merchant_id) m) as merchant
  from terminals t where t.id = $1`;

/** The terminal with its merchant as it is now, in one query (device authentication). */
export async function findTerminalWithMerchant(db: Queryable, id: string): Promise<TerminalRow | undefined> {
  const r = await db.query<TerminalRow>(
    TERMINAL_WITH_MERCHANT,
    [id],
  );
  const row = r.rows[0];
  if (row && !row.merchant) delete row.merchant;
  return row;
}

/**
 * For a request already verified with the key this terminal had: records the nonce only if the
 * terminal is still active with that very key, and reads the terminal with its merchant, in one
 * round trip instead of two (the lookup and `rememberNonce`). `keyMatches` false: nothing was
 * recorded, the caller takes the long way. The nonce is committed as in `rememberNonce`.
 */
export async function rememberNonceIfKey(
  db: Queryable,
  terminalId: string,
  nonce: string,
  jwkText: string,
): Promise<{ terminal: TerminalRow; keyMatches: boolean; recorded: boolean } | undefined> {
  const r = await db.query<TerminalRow & { key_matches: boolean; recorded: boolean }>(NONCE_IF_KEY, [terminalId, nonce, jwkText]);
  const row = r.rows[0];
  if (!row) return undefined;
  const { key_matches: keyMatches, recorded, ...terminal } = row;
  if (!terminal.merchant) delete terminal.merchant;
  return { terminal, keyMatches, recorded };
}

const NONCE_IF_KEY = `with term as (${TERMINAL_WITH_MERCHANT}),
  nonce as (
    insert into request_nonces (terminal_id, nonce)
    select $1, $2 from term, (select set_config('synchronous_commit', 'off', true)) async_commit
    where term.status = 'active' and term.public_key_jwk = $3::jsonb
    on conflict do nothing returning 1
  )
  select ${COLUMNS.split(', ').map((c) => `term.${c}`).join(', ')}, term.merchant, coalesce(term.status = 'active' and term.public_key_jwk = $3::jsonb, false) as key_matches,
    exists (select 1 from nonce) as recorded
  from term`;

export async function findTerminalByActivationCode(db: Queryable, codeHash: string): Promise<TerminalRow | undefined> {
  const r = await db.query<TerminalRow>(
    `select ${COLUMNS} from terminals where activation_code_hash = $1 for update`,
    [codeHash],
  );
  return r.rows[0];
}

export async function insertTerminal(
  db: Queryable,
  t: { id: string; merchantId: string; storeId: string; serial?: string; activationCodeHash: string; activationExpiresAt: Date },
): Promise<void> {
  await db.query(
    `insert into terminals (id, merchant_id, store_id, serial, activation_code_hash, activation_expires_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [t.id, t.merchantId, t.storeId, t.serial ?? null, t.activationCodeHash, t.activationExpiresAt],
  );
}

export async function markActivated(
  db: Queryable,
  id: string,
  a: { serial: string; publicKey: EcPublicJwk; appVersion?: string; osVersion?: string },
): Promise<void> {
  // The activation code is spent: its hash is cleared so it can never bind another device.
  await db.query(
    `update terminals set status = 'active', serial = $2, public_key_jwk = $3, app_version = $4, os_version = $5,
       activated_at = now(), activation_code_hash = null, activation_expires_at = null
     where id = $1`,
    [id, a.serial, JSON.stringify(a.publicKey), a.appVersion ?? null, a.osVersion ?? null],
  );
}

export async function setTerminalStatus(db: Queryable, id: string, status: TerminalRow['status']): Promise<void> {
  await db.query('update terminals set status = $2 where id = $1', [id, status]);
}

/** Records a nonce; false when this terminal has used it before (a replay). */
/**
 * Records a request's nonce; false when it was seen before. Committed without waiting for the disk:
 * a request that changes anything commits again, and that synchronous commit flushes the log up to
 * and including this nonce, so a nonce can only be lost together with a read-only request — which a
 * replay cannot turn into a change. One fsync fewer per payment.
 */
export async function rememberNonce(db: Queryable, terminalId: string, nonce: string): Promise<boolean> {
  const r = await db.query(
    `with async_commit as (select set_config('synchronous_commit', 'off', true))
     insert into request_nonces (terminal_id, nonce) select $1, $2 from async_commit on conflict do nothing`,
    [terminalId, nonce],
  );
  return r.rowCount === 1;
}

export async function pruneNonces(db: Queryable, olderThanMs: number): Promise<number> {
  const r = await db.query(
    `delete from request_nonces where seen_at < now() - ($1::bigint * interval '1 millisecond')`,
    [olderThanMs],
  );
  return r.rowCount;
}
