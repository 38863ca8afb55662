import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { newActivationCode } from '../merchants/seed-demo.ts';
import { hashActivationCode } from './activate.ts';
import { insertTerminal } from './store.ts';

export interface WebTerminalCode {
  terminalId: string;
  activationCode: string;
  expiresAt: Date;
}

/**
 * Keeps one terminal of a store open for the cashier app (`/terminal/`) to activate: a registered,
 * not-yet-activated terminal with no serial bound (the device brings its own at activation). Each
 * call re-issues its code (only hashes are stored, so an old code cannot be shown again); once a
 * browser has activated it, the next call registers a fresh one.
 */
export async function issueWebTerminalCode(
  db: Db,
  p: { merchantId: string; storeId: string; ttlMs?: number; now?: Date },
): Promise<WebTerminalCode> {
  const expiresAt = new Date((p.now ?? new Date()).getTime() + (p.ttlMs ?? 86_400_000));
  const activationCode = newActivationCode();
  const codeHash = hashActivationCode(activationCode);
  return db.transaction(async (tx) => {
    const open = await tx.query<{ id: string }>(
      `select id from terminals where merchant_id = $1 and store_id = $2 and status = 'pending' and serial is null
       order by created_at limit 1 for update`,
      [p.merchantId, p.storeId],
    );
    const existing = open.rows[0];
    if (existing) {
      await tx.query('update terminals set activation_code_hash = $2, activation_expires_at = $3 where id = $1', [existing.id, codeHash, expiresAt]);
      return { terminalId: existing.id, activationCode, expiresAt };
    }
    const terminalId = newId('trm');
    await insertTerminal(tx, { id: terminalId, merchantId: p.merchantId, storeId: p.storeId, activationCodeHash: codeHash, activationExpiresAt: expiresAt });
    return { terminalId, activationCode, expiresAt };
  });
}
