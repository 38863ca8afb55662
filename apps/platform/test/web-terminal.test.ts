import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '@scanpay/errors';
import { exportPublicJwk, generateDeviceKey } from '@scanpay/terminal-sdk';
import type { Db } from '../src/db/index.ts';
import { ensureDemoMerchant, type DemoSeed } from '../src/modules/merchants/seed-demo.ts';
import { activateTerminal } from '../src/modules/terminals/activate.ts';
import { issueWebTerminalCode } from '../src/modules/terminals/web-terminal.ts';
import { describeEachBackend } from './db-backends.ts';

describeEachBackend('a terminal slot for the cashier app', (backend) => {
  let db: Db;
  let seed: DemoSeed;
  beforeAll(async () => {
    db = await backend.open();
    seed = await ensureDemoMerchant(db);
  });
  afterAll(() => db?.close());

  const activateWith = async (code: string, serial: string) =>
    activateTerminal(db, { activationCode: code, serial, publicKey: await exportPublicJwk((await generateDeviceKey()).publicKey) });

  it('re-issues the same open slot with a new code, and only the newest code activates it', async () => {
    const first = await issueWebTerminalCode(db, seed);
    const second = await issueWebTerminalCode(db, seed);
    expect(second.terminalId).toBe(first.terminalId);
    expect(second.activationCode).not.toBe(first.activationCode);
    await expect(activateWith(first.activationCode, 'WEB-A')).rejects.toBeInstanceOf(AppError);
    const activated = await activateWith(second.activationCode, 'WEB-A');
    expect(activated).toMatchObject({ terminalId: second.terminalId, serial: 'WEB-A', merchant: { id: seed.merchantId } });
  });

  it('opens a new slot once the last one was activated, bound to whatever serial the device brings', async () => {
    const before = await issueWebTerminalCode(db, seed);
    await activateWith(before.activationCode, 'WEB-B');
    const next = await issueWebTerminalCode(db, seed);
    expect(next.terminalId).not.toBe(before.terminalId);
    expect((await activateWith(next.activationCode, 'WEB-C')).serial).toBe('WEB-C');
  });

  it('refuses an expired code', async () => {
    const old = await issueWebTerminalCode(db, { ...seed, now: new Date(Date.now() - 2 * 86_400_000) });
    await expect(activateWith(old.activationCode, 'WEB-D')).rejects.toMatchObject({ code: 'TRM_ACTIVATION_CODE_INVALID' });
  });
});
