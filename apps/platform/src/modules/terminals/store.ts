import type { EcPublicJwk } from '@scanpay/contracts';
import type { Queryable } from '../../db/index.ts';

export interface TerminalRow {
  id: string;
  merchant_id: string;
  store_id: string;
  serial: string | null;
  status: 'pending' | 'active' | 'disabled';
  public_key_jwk: EcPublicJwk | null;
  activation_expires_at: Date | null;
  app_version: string | null;
}

const COLUMNS = 'id, merchant_id, store_id, serial, status, public_key_jwk, activation_expires_at, app_version';

export async function findTerminal(db: Queryable, id: string): Promise<TerminalRow | undefined> {
  const r = await db.query<TerminalRow>(`select ${COLUMNS} from terminals where id = $1`, [id]);
  return r.rows[0];
}

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
export async function rememberNonce(db: Queryable, terminalId: string, nonce: string): Promise<boolean> {
  const r = await db.query(
    'insert into request_nonces (terminal_id, nonce) values ($1, $2) on conflict do nothing',
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
