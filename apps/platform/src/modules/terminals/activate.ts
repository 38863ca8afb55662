import type { ActivateRequest, ActivateResponse } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import type { Db } from '../../db/index.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { findMerchant, findStore } from '../merchants/store.ts';
import { isUsableDeviceKey } from './device-auth.ts';
import { findTerminalByActivationCode, markActivated } from './store.ts';

/** Activation codes are stored only as hashes, normalised so a typed code matches. */
export function hashActivationCode(code: string): string {
  return sha256Hex(code.replace(/[\s-]/g, '').toUpperCase());
}

/**
 * Binds a device to a registered terminal: the device made its key pair, the code proves the
 * operator registered it, and the code is spent.
 */
export async function activateTerminal(db: Db, req: ActivateRequest, now = new Date()): Promise<ActivateResponse> {
  if (!isUsableDeviceKey(req.publicKey)) throw new AppError('TRM_PUBLIC_KEY_INVALID', { param: 'publicKey' });
  return db.transaction(async (tx) => {
    const terminal = await findTerminalByActivationCode(tx, hashActivationCode(req.activationCode));
    if (!terminal) throw new AppError('TRM_ACTIVATION_CODE_INVALID', { param: 'activationCode' });
    if (terminal.status !== 'pending') throw new AppError('TRM_ACTIVATION_CODE_USED', { param: 'activationCode' });
    if (terminal.activation_expires_at && terminal.activation_expires_at < now) {
      throw new AppError('TRM_ACTIVATION_CODE_INVALID', { param: 'activationCode', detail: 'the activation code has expired' });
    }
    if (terminal.serial && terminal.serial !== req.serial) {
      throw new AppError('TRM_SERIAL_MISMATCH', { param: 'serial', detail: `registered for serial ${terminal.serial}` });
    }
    await markActivated(tx, terminal.id, {
      serial: req.serial,
      publicKey: req.publicKey,
      ...(req.appVersion ? { appVersion: req.appVersion } : {}),
      ...(req.osVersion ? { osVersion: req.osVersion } : {}),
    });
    const merchant = await findMerchant(tx, terminal.merchant_id);
    const store = await findStore(tx, terminal.store_id);
    return {
      terminalId: terminal.id,
      serial: req.serial,
      merchant: { id: terminal.merchant_id, name: merchant?.name ?? '' },
      store: { id: terminal.store_id, name: store?.name ?? '' },
      serverTime: now.toISOString(),
    };
  });
}
