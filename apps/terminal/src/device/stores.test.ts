import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Payment } from '@scanpay/contracts';
import {
  generateDeviceKey,
  pay,
  PaymentStillPending,
  PendingPaymentExists,
  resumePending,
  TerminalClient,
} from '@scanpay/terminal-sdk';
import { openKv } from './idb.ts';
import { idbPendingStore, loadDevice, loadSerial, loadStored, saveDevice, saveSerial, saveStored, type DeviceRecord } from './stores.ts';

const TERMINAL = 'trm_0123456789abcdefghijklmnop';

function payment(over: Partial<Payment>): Payment {
  return {
    id: 'pay_0123456789abcdefghijklmnop', outTradeNo: 'SP1', status: 'succeeded', pending: false, amount: '12.34',
    amountFen: 1234, refundedAmount: '0.00', currency: 'CNY', channel: 'alipay', tradeNo: '2026', subject: 's',
    merchant: { id: 'mch_1', name: 'M' }, storeId: 'sto_1', terminalId: TERMINAL, operatorId: null,
    buyerLogonId: null, paycode: '2812…(18)', createdAt: new Date().toISOString(), decidedAt: null,
    display: { zh: '支付成功', en: 'Payment successful' }, failure: null, kind: 'code', qrCode: null, qrExpiresAt: null, ...over,
  };
}

async function device(extractable = false): Promise<DeviceRecord> {
  const keys = await generateDeviceKey({ extractable });
  return {
    terminalId: TERMINAL, serial: 'POS-1', merchant: { id: 'mch_1', name: '演示商户' }, store: { id: 'sto_1', name: '门店' },
    privateKey: keys.privateKey, activatedAt: new Date().toISOString(),
  };
}

const instantSleep = async () => {};

describe('IndexedDB device stores', () => {
  it('keeps the device key non-extractable across a reopen, and it still signs', async () => {
    const factory = new IDBFactory();
    const kv = await openKv('t', factory);
    const keys = await generateDeviceKey();
    await saveDevice(kv, { ...(await device()), privateKey: keys.privateKey });
    kv.close();

    const reopened = await openKv('t', factory);
    const loaded = await loadDevice(reopened);
    expect(loaded?.terminalId).toBe(TERMINAL);
    expect(loaded?.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', loaded!.privateKey)).rejects.toThrow();
    const data = new TextEncoder().encode('hello');
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, loaded!.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, keys.publicKey, sig, data)).toBe(true);
  });

  it('refuses to store an extractable key', async () => {
    const kv = await openKv('t', new IDBFactory());
    await expect(saveDevice(kv, await device(true))).rejects.toThrow(/extractable/);
    expect(await loadDevice(kv)).toBeNull();
  });

  it('remembers the serial and merges stored settings over defaults', async () => {
    const kv = await openKv('t', new IDBFactory());
    expect(await loadSerial(kv)).toBeNull();
    await saveSerial(kv, 'SN-9');
    expect(await loadSerial(kv)).toBe('SN-9');
    expect(await loadStored(kv, { lang: 'zh', torch: false })).toEqual({ lang: 'zh', torch: false });
    await saveStored(kv, { lang: 'en' });
    expect(await loadStored(kv, { lang: 'zh', torch: false })).toEqual({ lang: 'en', torch: false });
  });

  it('keeps an undecided payment across a reload and resumes it with the same idempotency key', async () => {
    const factory = new IDBFactory();
    const keys = await generateDeviceKey();
    const sent: { key: string | null; url: string }[] = [];
    let online = false;
    const fetchFn: typeof fetch = async (input, init) => {
      const url = String(input);
      sent.push({ key: new Headers(init?.headers).get('idempotency-key'), url });
      if (!online) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify(payment({})), { status: 200 });
    };
    const client = new TerminalClient({ baseUrl: 'http://127.0.0.1:1', terminalId: TERMINAL, privateKey: keys.privateKey }, { fetch: fetchFn });

    const kv = await openKv('t', factory);
    const store = idbPendingStore(kv);
    const request = { amount: '12.34', authCode: '281234567890123456' };
    await expect(pay(client, store, request, { deadlineMs: 0, sleep: instantSleep })).rejects.toBeInstanceOf(PaymentStillPending);
    kv.close();

    // "Reload": a new connection to the same database still has the payment, and refuses a new one.
    const kv2 = await openKv('t', factory);
    const store2 = idbPendingStore(kv2);
    const stored = await store2.load();
    expect(stored?.request).toEqual(request);
    await expect(pay(client, store2, { ...request, authCode: '289999999999999999' })).rejects.toBeInstanceOf(PendingPaymentExists);

    online = true;
    const outcome = await resumePending(client, store2, { sleep: instantSleep });
    expect(outcome?.status).toBe('succeeded');
    expect(await store2.load()).toBeNull();
    const keysSent = new Set(sent.filter((s) => s.key).map((s) => s.key));
    expect(keysSent).toEqual(new Set([stored!.idempotencyKey]));
  });
});
