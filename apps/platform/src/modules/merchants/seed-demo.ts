import { randomInt } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { hashSupervisorPin } from '../security/supervisor-pin.ts';
import { hashActivationCode } from '../terminals/activate.ts';
import { insertTerminal } from '../terminals/store.ts';
import { insertMerchant, insertStore } from './store.ts';

export const DEMO_MERCHANT_NAME = '扫码付演示商户 scanpay demo merchant';
export const DEMO_STORE_NAME = '演示门店 Demo store';
export const DEMO_TERMINAL_SERIAL = 'DEMO-POS-0001';
/** The demo store's supervisor PIN (主管密码) for refunds. Demo only: real stores set their own. */
export const DEMO_SUPERVISOR_PIN = '123456';

export interface DemoSeed {
  merchantId: string;
  storeId: string;
  terminalId: string;
  /** Present while the demo terminal still waits for activation: a fresh code each time. */
  activationCode?: string;
}

/** A human-typable activation code: 12 digits in groups of four. */
export function newActivationCode(): string {
  const digits = Array.from({ length: 12 }, () => randomInt(10)).join('');
  return `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
}

/**
 * Seeds the demo merchant, store and terminal on first start. Safe to call on every start: when
 * the demo terminal is registered but not yet activated, it issues a new activation code.
 */
export async function ensureDemoMerchant(
  db: Db,
  opts: { sellerId?: string; /** Re-issue an activation code even if the demo terminal is active (its key was lost). */ reissue?: boolean } = {},
): Promise<DemoSeed> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7202)');
    const existing = await tx.query<{ id: string; merchant_id: string; store_id: string; status: string }>(
      'select id, merchant_id, store_id, status from terminals where serial = $1',
      [DEMO_TERMINAL_SERIAL],
    );
    const row = existing.rows[0];
    if (row) {
      // Databases seeded before supervisor PINs existed get the demo PIN once.
      const pin = await tx.query('select 1 from stores where id = $1 and supervisor_pin_hash is null', [row.store_id]);
      if (pin.rowCount > 0) {
        await tx.query('update stores set supervisor_pin_hash = $2 where id = $1', [row.store_id, await hashSupervisorPin(DEMO_SUPERVISOR_PIN)]);
      }
      if (opts.sellerId) {
        await tx.query('update merchants set channel_seller_id = $2 where id = $1', [row.merchant_id, opts.sellerId]);
      }
      if (row.status !== 'pending' && !opts.reissue) {
        return { merchantId: row.merchant_id, storeId: row.store_id, terminalId: row.id };
      }
      const activationCode = newActivationCode();
      await tx.query(
        `update terminals set status = 'pending', public_key_jwk = null, activation_code_hash = $2,
           activation_expires_at = now() + interval '1 day' where id = $1`,
        [row.id, hashActivationCode(activationCode)],
      );
      return { merchantId: row.merchant_id, storeId: row.store_id, terminalId: row.id, activationCode };
    }
    const merchantId = newId('mch');
    const storeId = newId('sto');
    const terminalId = newId('trm');
    const activationCode = newActivationCode();
    await insertMerchant(tx, { id: merchantId, name: DEMO_MERCHANT_NAME, ...(opts.sellerId ? { channelSellerId: opts.sellerId } : {}) });
    await insertStore(tx, { id: storeId, merchantId, name: DEMO_STORE_NAME });
    await tx.query('update stores set supervisor_pin_hash = $2 where id = $1', [storeId, await hashSupervisorPin(DEMO_SUPERVISOR_PIN)]);
    await insertTerminal(tx, {
      id: terminalId,
      merchantId,
      storeId,
      serial: DEMO_TERMINAL_SERIAL,
      activationCodeHash: hashActivationCode(activationCode),
      activationExpiresAt: new Date(Date.now() + 86_400_000),
    });
    return { merchantId, storeId, terminalId, activationCode };
  });
}
