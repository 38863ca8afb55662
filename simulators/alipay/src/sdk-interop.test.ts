// Interop with the official `alipay-sdk` (v4.14.0, v2 `exec`): its requests must verify in the
// simulator, the simulator's answers and notifications must verify in it.
//
// SDK traps met while writing these tests (see also brief §7.4):
// - `exec` only checks response signatures with `{ validateSign: true }`.
// - The SDK's timestamp is the process's local time; on a UTC machine it is 8 h off Beijing time and
//   the gateway answers isv.invalid-timestamp. Pass `timestamp` explicitly (it overrides the SDK's).
// - `keyType` defaults to PKCS1; our PKCS8 keys need `keyType: 'PKCS8'`.
// - `camelcase` defaults to true (`sub_code` comes back as `subCode`); we set it false.
// - The SDK signs empty values (`notify_url=`) while the gateway drops them, so a top-level param set
//   to '' fails with isv.invalid-signature; `undefined` crashes `exec` outright.
// - With `validateSign: true` an unsigned `error_response` (unknown method) throws a TypeError, not an
//   AlipayRequestError, because there is no `sign` to check.
// - `checkNotifySign` URL-decodes values again; use `checkNotifySignV2` for POSTed notifications.
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOk, appKeys, startFixture, startSink, until, type Fixture, type Sink } from './testing.ts';
import { beijingTime } from './wire.ts';

let fx: Fixture;
let sink: Sink;
let sdk: AlipaySdk;

const ts = () => beijingTime(Date.now());
type Result = Record<string, any>;
const exec = (method: string, bizContent: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  sdk.exec(method, { timestamp: ts(), bizContent, ...extra }, { validateSign: true }) as Promise<Result>;

beforeAll(async () => {
  fx = await startFixture();
  sink = await startSink();
  sdk = new AlipaySdk({
    appId: fx.appId,
    privateKey: appKeys().privateKeyPem,
    keyType: 'PKCS8',
    alipayPublicKey: fx.sim.alipayPublicKeyPem,
    gateway: fx.sim.gatewayUrl,
    camelcase: false,
    timeout: 5000,
  });
});

afterAll(async () => {
  await fx.sim.close();
  await sink.close();
});

describe('official alipay-sdk against the simulator', () => {
  it('pays, queries, refunds and checks refunds with signatures verified both ways', async () => {
    const code = await fx.code();
    const paid = await exec('alipay.trade.pay', { out_trade_no: 'SDK-PAY-1', scene: 'bar_code', auth_code: code, subject: '咖啡', total_amount: '88.88' });
    expect(paid.code).toBe('10000');
    expect(paid.total_amount).toBe('88.88');
    expect(paid.trade_no).toMatch(/^\d{28}$/);

    const queried = await exec('alipay.trade.query', { out_trade_no: 'SDK-PAY-1' });
    expect(queried.trade_status).toBe('TRADE_SUCCESS');

    const refunded = await exec('alipay.trade.refund', { out_trade_no: 'SDK-PAY-1', refund_amount: '8.88', out_request_no: 'R1' });
    expect(refunded).toMatchObject({ code: '10000', fund_change: 'Y', refund_fee: '8.88' });

    const refundQuery = await exec('alipay.trade.fastpay.refund.query', { out_trade_no: 'SDK-PAY-1', out_request_no: 'R1' });
    expect(refundQuery).toMatchObject({ code: '10000', refund_status: 'REFUND_SUCCESS', refund_amount: '8.88' });

    const calls = await adminOk(fx.sim, 'GET', '/__sim/calls?outTradeNo=SDK-PAY-1');
    expect(calls.calls.map((c: Result) => c.code)).toEqual(['10000', '10000', '10000', '10000']);
  });

  it('cancels and closes, and verifies precreate answers that carry \\/ escapes', async () => {
    const code = await fx.code();
    await exec('alipay.trade.pay', { out_trade_no: 'SDK-CANCEL-1', scene: 'bar_code', auth_code: code, subject: 'x', total_amount: '1.00' });
    const cancelled = await exec('alipay.trade.cancel', { out_trade_no: 'SDK-CANCEL-1' });
    expect(cancelled).toMatchObject({ code: '10000', action: 'refund', retry_flag: 'N' });

    const bigCode = await fx.code();
    const waiting = await exec('alipay.trade.pay', { out_trade_no: 'SDK-CLOSE-1', scene: 'bar_code', auth_code: bigCode, subject: 'x', total_amount: '2500.00' });
    expect(waiting.code).toBe('10003');
    const closed = await exec('alipay.trade.close', { out_trade_no: 'SDK-CLOSE-1' });
    expect(closed.code).toBe('10000');

    const pre = await exec('alipay.trade.precreate', { out_trade_no: 'SDK-QR-1', subject: '扫码', total_amount: '3.00' });
    expect(pre.qr_code).toMatch(/^https:\/\/qr\.alipay\.com\/bax0/);
  });

  it('returns signed business failures as results (not throws)', async () => {
    const notExist = await exec('alipay.trade.query', { out_trade_no: 'SDK-NOPE' });
    expect(notExist).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('throws when a bad_signature fault corrupts the answer', async () => {
    await adminOk(fx.sim, 'PUT', '/__sim/faults', { rules: [{ kind: 'bad_signature', method: 'alipay.trade.query', count: 1 }] });
    await expect(exec('alipay.trade.query', { out_trade_no: 'SDK-PAY-1' })).rejects.toThrow(AlipayRequestError);
    await expect(exec('alipay.trade.query', { out_trade_no: 'SDK-PAY-1' })).resolves.toMatchObject({ code: '10000' });
  });

  it('trap: an empty top-level param is signed by the SDK but dropped by the gateway', async () => {
    const res = await exec('alipay.trade.query', { out_trade_no: 'SDK-PAY-1' }, { notify_url: '' });
    expect(res.sub_code).toBe('isv.invalid-signature');
    expect(res.sub_msg).toContain('网关生成的验签字符串为：app_id=');
    expect(res.sub_msg).not.toContain('notify_url');
  });

  it('trap: without an explicit timestamp the SDK uses local time (fine only when TZ is UTC+8)', async () => {
    const res = (await sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'SDK-PAY-1' } }, { validateSign: true })) as Result;
    const localIsBeijing = new Date().getTimezoneOffset() === -480;
    expect(res.code).toBe(localIsBeijing ? '10000' : '40002');
    if (!localIsBeijing) expect(res.sub_code).toBe('isv.invalid-timestamp');
  });

  it('trap: an unsigned error_response (unknown method) makes validateSign throw a TypeError', async () => {
    await expect(exec('alipay.trade.nonexistent', { out_trade_no: 'x' })).rejects.toThrow(TypeError);
  });

  it('checkNotifySignV2 accepts our notifications and rejects a tampered one', async () => {
    const code = await fx.code();
    await exec('alipay.trade.pay', { out_trade_no: 'SDK-NOTIFY-1', scene: 'bar_code', auth_code: code, subject: '通知 & 100%', total_amount: '12.34' }, { notify_url: sink.url });
    const got = await until(() => sink.received.filter((r) => r.form.out_trade_no === 'SDK-NOTIFY-1'), (l) => l.length > 0);
    const form = got[0]!.form;
    expect(form.trade_status).toBe('TRADE_SUCCESS');
    expect(sdk.checkNotifySignV2({ ...form })).toBe(true);
    expect(sdk.checkNotifySignV2({ ...form, total_amount: '1234.00' })).toBe(false);
    expect(sdk.checkNotifySignV2({ ...form, sign: undefined })).toBe(false);
  });
});
