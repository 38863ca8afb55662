/** Precreate, bill download URL, service-provider mode, certificate mode and notifications. */
import { Secret } from '@scanpay/contracts';
import { expect } from 'vitest';
import type { NotificationCheck } from '../../channel.ts';
import { beijingTimestamp } from '../signing.ts';
import type { ConformanceEnv, Scenario, SimEnv } from './env.ts';
import { paidOrder, payRequest } from './scenarios-pay.ts';

const sim = (name: string, run: (env: SimEnv) => Promise<void>): Scenario => ({ name, needs: 'simulator', run });
const precreateRequest = (env: ConformanceEnv, amountFen = 2500) => ({
  outTradeNo: env.orderNo(), amountFen, subject: '扫码点单 QR order', merchant: env.merchant, timeoutMinutes: 30,
});

const precreate: Scenario[] = [
  sim('precreate, the buyer scans and pays → query paid', async (env) => {
    const req = precreateRequest(env);
    expect(await env.channel.precreate(req)).toMatchObject({ kind: 'created', qrCode: expect.stringMatching(/^https:\/\/qr\.alipay\.com\//) });
    await env.sim.admin('POST', `/__sim/precreate/${req.outTradeNo}/scan`, { pay: true });
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'paid', amountFen: 2500 });
  }),
  sim('precreate not yet scanned → query not_found (the trade exists only once scanned)', async (env) => {
    const req = precreateRequest(env);
    await env.channel.precreate(req);
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toEqual({ kind: 'not_found' });
  }),
  sim('precreate scanned but not paid → query waiting_buyer', async (env) => {
    const req = precreateRequest(env);
    await env.channel.precreate(req);
    await env.sim.admin('POST', `/__sim/precreate/${req.outTradeNo}/scan`, {});
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'waiting_buyer' });
  }),
  sim('close an unscanned precreate → not_found, yet the QR can no longer be paid', async (env) => {
    const req = precreateRequest(env);
    await env.channel.precreate(req);
    expect(await env.channel.close({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toEqual({ kind: 'not_found' });
    await expect(env.sim.admin('POST', `/__sim/precreate/${req.outTradeNo}/scan`, { pay: true })).rejects.toThrow(/409/);
  }),
  sim('precreate the same order again → the same QR code', async (env) => {
    const req = precreateRequest(env);
    const first = await env.channel.precreate(req);
    expect(await env.channel.precreate(req)).toEqual(first);
  }),
  sim('precreate refused (amount over the limit) → declined', async (env) => {
    await env.sim.fault({ kind: 'sub_code', method: 'alipay.trade.precreate', code: '40004', subCode: 'ACQ.TOTAL_FEE_EXCEED' });
    expect(await env.channel.precreate(precreateRequest(env))).toMatchObject({ kind: 'declined', decline: { rawSubCode: 'ACQ.TOTAL_FEE_EXCEED' } });
  }),
  sim('precreate with a bad signature → unknown', async (env) => {
    await env.sim.fault({ kind: 'bad_signature', method: 'alipay.trade.precreate' });
    expect(await env.channel.precreate(precreateRequest(env))).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  }),
];

const today = () => beijingTimestamp(new Date()).slice(0, 10);

const bills: Scenario[] = [
  sim('bill download URL for today’s trade bill → ready, and the bill lists a paid order', async (env) => {
    const outTradeNo = await paidOrder(env);
    const result = await env.channel.billDownloadUrl({ type: 'trade', period: today(), merchant: env.merchant });
    expect(result).toMatchObject({ kind: 'ready', url: expect.stringMatching(/^http/) });
    const csv = await (await fetch((result as { url: string }).url)).text();
    expect(csv).toContain(outTradeNo);
  }),
  sim('bill download URL for the month’s funds bill → ready', async (env) => {
    expect(await env.channel.billDownloadUrl({ type: 'funds', period: today().slice(0, 7), merchant: env.merchant })).toMatchObject({ kind: 'ready' });
  }),
  sim('bill download URL for a day not over yet → not_found', async (env) => {
    expect(await env.channel.billDownloadUrl({ type: 'trade', period: '2099-01-01', merchant: env.merchant })).toEqual({ kind: 'not_found' });
  }),
];

const serviceProvider: Scenario[] = [
  sim('service provider pays for a merchant with its app_auth_token → the merchant’s trade', async (env) => {
    const merchantApp = await env.sim.newApp();
    const { appAuthToken } = await env.sim.admin<{ appAuthToken: string }>('POST', '/__sim/app-auth-tokens', { appId: env.sim.appId, merchantAppId: merchantApp.appId });
    const isv = env.sim.channel({ sysServiceProviderId: '2088000000000009' });
    const req = payRequest(env, await env.sim.code(), { merchant: { authToken: new Secret(appAuthToken) } });
    expect(await isv.pay(req)).toMatchObject({ kind: 'succeeded' });
    const trade = await env.sim.admin<{ authAppId: string; sellerId: string }>('GET', `/__sim/trades/${req.outTradeNo}`);
    expect(trade).toMatchObject({ authAppId: merchantApp.appId, sellerId: merchantApp.sellerId });
    expect(await isv.query({ outTradeNo: req.outTradeNo, merchant: req.merchant })).toMatchObject({ kind: 'paid' });
  }),
  sim('service provider with an unknown app_auth_token → declined, re-authorise', async (env) => {
    const result = await env.channel.pay(payRequest(env, await env.sim.code(), { merchant: { authToken: new Secret('202611BBnotatoken') } }));
    expect(result).toMatchObject({ kind: 'declined', decline: { code: 'CHN_PERMISSION_MISSING', rawSubCode: 'aop.invalid-app-auth-token', rawMessage: expect.not.stringContaining('notatoken') } });
  }),
  sim('service provider with an expired app_auth_token → declined (token expired)', async (env) => {
    const merchantApp = await env.sim.newApp();
    const { appAuthToken } = await env.sim.admin<{ appAuthToken: string }>('POST', '/__sim/app-auth-tokens', { appId: env.sim.appId, merchantAppId: merchantApp.appId, expiresInSeconds: 0 });
    await new Promise((r) => setTimeout(r, 5));
    const result = await env.channel.pay(payRequest(env, await env.sim.code(), { merchant: { authToken: new Secret(appAuthToken) } }));
    expect(result).toMatchObject({ kind: 'declined', decline: { cause: 'account.app_auth_token_expired' } });
  }),
  sim('service provider whose token does not cover pay → declined (no API)', async (env) => {
    const merchantApp = await env.sim.newApp();
    const { appAuthToken } = await env.sim.admin<{ appAuthToken: string }>('POST', '/__sim/app-auth-tokens', { appId: env.sim.appId, merchantAppId: merchantApp.appId, methods: ['alipay.trade.query'] });
    const result = await env.channel.pay(payRequest(env, await env.sim.code(), { merchant: { authToken: new Secret(appAuthToken) } }));
    expect(result).toMatchObject({ kind: 'declined', decline: { rawSubCode: 'aop.invalid-app-auth-token-no-api' } });
  }),
];

const certificateMode: Scenario[] = [
  {
    name: 'certificate mode: an unknown alipay_cert_sn is unknown; with that SN’s key loaded, answers verify',
    needs: 'simulator',
    sdkDifference: 'sdk-ignores-alipay-cert-sn',
    run: async (env: SimEnv) => {
    const { appId } = await env.sim.newApp({ certMode: true });
    const unloaded = env.sim.channel({ appId, cert: { appCertSn: 'app-sn', alipayRootCertSn: 'root-sn', alipayCertSnToKey: {} } });
    const first = await unloaded.query({ outTradeNo: env.orderNo(), merchant: env.merchant });
    const keys = await env.sim.admin<{ alipayPublicKey: string }>('GET', '/__sim/keys');
    const sn = await certSnOfSimulator(env, appId);
    if (env.client === 'alipay-sdk') expect(first).toEqual({ kind: 'not_found' });
    else expect(first).toMatchObject({ kind: 'unknown', reason: 'bad_signature', detail: expect.stringContaining(sn) });
    const loaded = env.sim.channel({ appId, alipayPublicKey: keys.alipayPublicKey, cert: { appCertSn: 'app-sn', alipayRootCertSn: 'root-sn', alipayCertSnToKey: { [sn]: keys.alipayPublicKey } } });
    const req = payRequest(env, await env.sim.code());
    expect(await loaded.pay(req)).toMatchObject({ kind: 'succeeded' });
    },
  },
];

/** The alipay_cert_sn the simulator writes, read from a raw answer (no client involved). */
async function certSnOfSimulator(env: SimEnv, appId: string): Promise<string> {
  const params = new URLSearchParams({ app_id: appId, method: 'alipay.trade.query', app_cert_sn: 'x' });
  const raw = await (await fetch(`${env.sim.url}/gateway.do?${params}`, { method: 'POST' })).text();
  const sn = /"alipay_cert_sn":"(\w+)"/.exec(raw)?.[1];
  expect(sn).toBeDefined();
  return sn!;
}

async function notificationFor(env: SimEnv, outTradeNo: string, status: string): Promise<Record<string, string>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = env.sim.sink.received.find((n) => n.out_trade_no === outTradeNo && n.trade_status === status);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${status} notification for ${outTradeNo}`);
    await env.sim.admin('POST', '/__sim/notifications/flush', {});
    await new Promise((r) => setTimeout(r, 20));
  }
}

const notifications: Scenario[] = [
  sim('the paid notification verifies (V1) and carries the amount, status and ids', async (env) => {
    const outTradeNo = await paidOrder(env, 6666);
    const check: NotificationCheck = env.channel.verifyNotification(await notificationFor(env, outTradeNo, 'TRADE_SUCCESS'));
    expect(check).toMatchObject({ ok: true, notification: { outTradeNo, status: 'paid', amountFen: 6666, appId: env.sim.appId, notifyId: expect.any(String) } });
  }),
  sim('a partial refund’s notification carries the refunded total', async (env) => {
    const outTradeNo = await paidOrder(env, 6666);
    await env.channel.refund({ outTradeNo, outRequestNo: 'R1', amountFen: 1000, merchant: env.merchant });
    const deadline = Date.now() + 5_000;
    let refundNote: Record<string, string> | undefined;
    while (!refundNote && Date.now() < deadline) {
      await env.sim.admin('POST', '/__sim/notifications/flush', {});
      refundNote = env.sim.sink.received.find((n) => n.out_trade_no === outTradeNo && n.refund_fee);
    }
    expect(env.channel.verifyNotification(refundNote ?? {})).toMatchObject({ ok: true, notification: { refundedFen: 1000, status: 'paid' } });
  }),
  sim('a notification with a changed amount fails; one for another app is refused; no sign fails closed', async (env) => {
    const outTradeNo = await paidOrder(env, 6666);
    const note = await notificationFor(env, outTradeNo, 'TRADE_SUCCESS');
    expect(env.channel.verifyNotification({ ...note, total_amount: '0.01' })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(env.sim.channel({ appId: '2021000000009999' }).verifyNotification(note)).toMatchObject({ ok: false, reason: 'wrong_app' });
    const { sign: _drop, ...unsigned } = note;
    expect(env.channel.verifyNotification(unsigned)).toMatchObject({ ok: false, reason: 'missing_signature' });
  }),
];

const anywhere: Scenario[] = [
  { name: 'precreate a QR order → created with a QR code URL', needs: 'any', run: async (env) => {
    expect(await env.channel.precreate(precreateRequest(env))).toMatchObject({ kind: 'created', qrCode: expect.stringMatching(/^https?:\/\//) });
  } },
  { name: 'bill download URL for an old day → ready or not_found, never an error', needs: 'any', run: async (env) => {
    const result = await env.channel.billDownloadUrl({ type: 'trade', period: '2026-01-01', merchant: env.merchant });
    expect(['ready', 'not_found']).toContain(result.kind);
  } },
];

export const MORE_SCENARIOS: Scenario[] = [...precreate, ...bills, ...serviceProvider, ...certificateMode, ...notifications, ...anywhere];
