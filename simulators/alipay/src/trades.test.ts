import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminOk, admin, sleep, startFixture, until, type Fixture } from './testing.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
beforeEach(async () => {
  await adminOk(fx.sim, 'POST', '/__sim/reset');
  await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 1 });
});
afterAll(() => fx.sim.close());

const DEMO = '2088000000000001';
let n = 0;
const outNo = (tag: string) => `${tag}-${++n}`;
const pay = async (out: string, amount: string, code?: string) =>
  (await fx.call('alipay.trade.pay', { out_trade_no: out, scene: 'bar_code', auth_code: code ?? (await fx.code()), subject: 'x', total_amount: amount })).body;
const query = async (out: string) => (await fx.call('alipay.trade.query', { out_trade_no: out })).body;
const balance = async (buyerId = DEMO) => (await adminOk(fx.sim, 'GET', `/__sim/buyers/${buyerId}`)).balance as string;
const buyer = async (body: Record<string, unknown>) => (await adminOk(fx.sim, 'POST', '/__sim/buyers', body)).buyerId as string;

describe('alipay.trade.pay', () => {
  it('pays below the password threshold, debits the buyer and records exactly one pay call', async () => {
    const out = outNo('PAY');
    expect(await pay(out, '12.34')).toMatchObject({ code: '10000', buyer_user_id: DEMO, buyer_logon_id: '138****0001', receipt_amount: '12.34' });
    expect(await balance()).toBe('99987.66');
    expect(await query(out)).toMatchObject({ trade_status: 'TRADE_SUCCESS', total_amount: '12.34', buyer_pay_amount: '12.34' });
    const calls = await adminOk(fx.sim, 'GET', `/__sim/calls?method=alipay.trade.pay&outTradeNo=${out}`);
    expect(calls.calls).toHaveLength(1);
    expect(calls.counts['alipay.trade.pay']).toBe(1);
  });

  it('treats payment codes as single-use', async () => {
    const code = await fx.code();
    expect((await pay(outNo('ONCE'), '1.00', code)).code).toBe('10000');
    expect(await pay(outNo('ONCE'), '1.00', code)).toMatchObject({ code: '40004', sub_code: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });
  });

  it('expires payment codes', async () => {
    const code = await fx.code({ ttlSeconds: 0.05 });
    await sleep(80);
    expect((await pay(outNo('EXP'), '1.00', code)).sub_code).toBe('ACQ.PAYMENT_AUTH_CODE_INVALID');
  });

  it.each([
    ['unknown', '285555555555555555'],
    ['WeChat prefix', '134567890123456789'],
    ['too short', '28123456789012'],
    ['letters', '28abc56789012345678'],
  ])('refuses a %s auth code', async (_name, code) => {
    expect((await pay(outNo('BADCODE'), '1.00', code)).sub_code).toBe('ACQ.PAYMENT_AUTH_CODE_INVALID');
  });

  it('refuses a registered code with a non-Alipay prefix', async () => {
    const code = await fx.code({ prefix: '13' });
    expect((await pay(outNo('PREFIX'), '1.00', code)).sub_code).toBe('ACQ.PAYMENT_AUTH_CODE_INVALID');
  });

  it.each(['0.00', '1.234', '100000000.01', '-1.00', 'abc'])('refuses amount %s with ACQ.INVALID_PARAMETER', async (amount) => {
    expect((await pay(outNo('AMT'), amount)).sub_code).toBe('ACQ.INVALID_PARAMETER');
  });

  it('accepts the largest amount a rich buyer can pay', async () => {
    const rich = await buyer({ balance: '200000000.00', passwordThreshold: '200000000.00' });
    expect((await pay(outNo('MAX'), '100000000.00', await fx.code({ buyerId: rich }))).code).toBe('10000');
  });

  it('refuses when the balance is short, creating no trade', async () => {
    const poor = await buyer({ balance: '10.00' });
    const out = outNo('POOR');
    expect((await pay(out, '20.00', await fx.code({ buyerId: poor }))).sub_code).toBe('ACQ.BUYER_BALANCE_NOT_ENOUGH');
    expect((await query(out)).sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    expect(await balance(poor)).toBe('10.00');
  });

  it.each([
    [{ accountForbidden: true }, 'ACQ.BUYER_ENABLE_STATUS_FORBID'],
    [{ riskFlag: true }, 'ACQ.PAYMENT_REQUEST_HAS_RISK'],
    [{ paymentSwitchOff: true }, 'ACQ.MOBILE_PAYMENT_SWITCH_OFF'],
    [{ certifyLevelLow: true }, 'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT'],
    [{ dailyLimit: '5.00' }, 'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR'],
    [{ monthlyLimit: '5.00' }, 'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR'],
  ])('maps buyer state %j to %s', async (state, subCode) => {
    const id = await buyer(state);
    expect((await pay(outNo('BUYER'), '6.00', await fx.code({ buyerId: id }))).sub_code).toBe(subCode);
  });

  it('counts the daily limit across payments', async () => {
    const id = await buyer({ dailyLimit: '10.00' });
    expect((await pay(outNo('DAY'), '6.00', await fx.code({ buyerId: id }))).code).toBe('10000');
    expect((await pay(outNo('DAY'), '6.00', await fx.code({ buyerId: id }))).sub_code).toBe('ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR');
  });

  it('answers 10003 above the password threshold and pays once the buyer confirms', async () => {
    const out = outNo('BIG');
    expect(await pay(out, '2000.01')).toMatchObject({ code: '10003', msg: 'order success pay inprocess', receipt_amount: '0.00' });
    expect((await query(out)).trade_status).toBe('WAIT_BUYER_PAY');
    expect(await balance()).toBe('100000.00');
    await adminOk(fx.sim, 'POST', `/__sim/trades/${out}/confirm`, {});
    expect((await query(out)).trade_status).toBe('TRADE_SUCCESS');
    expect(await balance()).toBe('97999.99');
    expect((await admin(fx.sim, 'POST', `/__sim/trades/${out}/confirm`, {})).status).toBe(409);
  });

  it('closes the trade when the buyer rejects', async () => {
    const out = outNo('REJ');
    await pay(out, '3000.00');
    await adminOk(fx.sim, 'POST', `/__sim/trades/${out}/reject`, {});
    expect((await query(out)).trade_status).toBe('TRADE_CLOSED');
  });

  it('auto-closes an unpaid barcode trade after 3 simulated minutes', async () => {
    await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 3600 }); // 3 min = 50 ms
    const out = outNo('AUTO');
    await pay(out, '3000.00');
    await until(() => query(out), (q) => q.trade_status === 'TRADE_CLOSED', 2000);
  });

  it('keeps the remaining simulated time when the time scale changes', async () => {
    const out = outNo('RESCALE');
    await pay(out, '3000.00'); // auto-close due in 3 real minutes at scale 1
    await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 1800 }); // now ~100 ms
    await until(() => query(out), (q) => q.trade_status === 'TRADE_CLOSED', 2000);
  });
});

describe('alipay.trade.pay with a used out_trade_no', () => {
  it('answers ACQ.TRADE_HAS_SUCCESS once paid', async () => {
    const out = outNo('DUP');
    await pay(out, '1.00');
    expect((await pay(out, '1.00')).sub_code).toBe('ACQ.TRADE_HAS_SUCCESS');
  });

  it('answers ACQ.TRADE_HAS_CLOSE once closed', async () => {
    const out = outNo('DUPC');
    await pay(out, '3000.00');
    await fx.call('alipay.trade.close', { out_trade_no: out });
    expect((await pay(out, '3000.00')).sub_code).toBe('ACQ.TRADE_HAS_CLOSE');
  });

  it('answers ACQ.CONTEXT_INCONSISTENT for different content, TRADE_BUYER_NOT_MATCH for another buyer', async () => {
    const out = outNo('CTX');
    const code = await fx.code();
    await pay(out, '3000.00', code);
    expect((await pay(out, '3000.01')).sub_code).toBe('ACQ.CONTEXT_INCONSISTENT');
    const other = await buyer({ balance: '5000.00' });
    expect((await pay(out, '3000.00', await fx.code({ buyerId: other }))).sub_code).toBe('ACQ.TRADE_BUYER_NOT_MATCH');
    expect((await pay(out, '3000.00', code)).code).toBe('10003'); // the same request again
  });
});

describe('alipay.trade.cancel', () => {
  it('closes an unpaid trade (action=close)', async () => {
    const out = outNo('CXL');
    await pay(out, '3000.00');
    expect((await fx.call('alipay.trade.cancel', { out_trade_no: out })).body).toMatchObject({ code: '10000', action: 'close', retry_flag: 'N' });
    expect((await query(out)).trade_status).toBe('TRADE_CLOSED');
  });

  it('refunds a paid trade (action=refund) and is idempotent', async () => {
    const out = outNo('CXR');
    await pay(out, '50.00');
    expect(await balance()).toBe('99950.00');
    expect((await fx.call('alipay.trade.cancel', { out_trade_no: out })).body).toMatchObject({ action: 'refund', retry_flag: 'N' });
    expect(await balance()).toBe('100000.00');
    expect((await query(out)).trade_status).toBe('TRADE_CLOSED');
    expect((await fx.call('alipay.trade.cancel', { out_trade_no: out })).body.action).toBe('refund');
    expect(await balance()).toBe('100000.00');
    const view = await adminOk(fx.sim, 'GET', `/__sim/trades/${out}`);
    expect(view).toMatchObject({ refundedAmount: '50.00', cancelAction: 'refund' });
  });

  it('answers 10000 with no action for an unseen number, and a later pay with it is refused', async () => {
    const out = outNo('TOMB');
    const res = (await fx.call('alipay.trade.cancel', { out_trade_no: out })).body;
    expect(res).toMatchObject({ code: '10000', retry_flag: 'N', out_trade_no: out });
    expect(res.action).toBeUndefined();
    expect((await query(out)).sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    expect((await pay(out, '1.00')).sub_code).toBe('ACQ.TRADE_HAS_CLOSE');
    expect(await balance()).toBe('100000.00');
  });

  it('refuses outside the 24 h window with ACQ.TRADE_CANCEL_TIME_OUT', async () => {
    const out = outNo('OLD');
    await pay(out, '1.00');
    await adminOk(fx.sim, 'POST', `/__sim/trades/${out}/age`, { hours: 25 });
    expect((await fx.call('alipay.trade.cancel', { out_trade_no: out })).body.sub_code).toBe('ACQ.TRADE_CANCEL_TIME_OUT');
  });
});

describe('alipay.trade.close', () => {
  it('closes WAIT_BUYER_PAY only', async () => {
    const waiting = outNo('CLW');
    await pay(waiting, '3000.00');
    expect((await fx.call('alipay.trade.close', { out_trade_no: waiting })).body.code).toBe('10000');
    const paid = outNo('CLP');
    await pay(paid, '1.00');
    expect((await fx.call('alipay.trade.close', { out_trade_no: paid })).body.sub_code).toBe('ACQ.TRADE_STATUS_ERROR');
    expect((await fx.call('alipay.trade.close', { out_trade_no: outNo('CLN') })).body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
  });
});

describe('alipay.trade.refund', () => {
  it('refunds partially, repeats idempotently, refuses discord and over-refund, closes when full', async () => {
    const out = outNo('REF');
    await pay(out, '100.00');
    const refund = async (no: string, amount: string) =>
      (await fx.call('alipay.trade.refund', { out_trade_no: out, refund_amount: amount, out_request_no: no })).body;
    expect(await refund('R1', '30.00')).toMatchObject({ code: '10000', fund_change: 'Y', refund_fee: '30.00', send_back_fee: '30.00' });
    expect(await refund('R1', '30.00')).toMatchObject({ code: '10000', fund_change: 'N', refund_fee: '30.00' });
    expect((await refund('R1', '31.00')).sub_code).toBe('ACQ.DISCORDANT_REPEAT_REQUEST');
    expect((await refund('R2', '70.01')).sub_code).toBe('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    expect(await refund('R2', '70.00')).toMatchObject({ fund_change: 'Y', refund_fee: '100.00' });
    expect((await query(out)).trade_status).toBe('TRADE_CLOSED');
    expect((await refund('R3', '0.01')).sub_code).toBe('ACQ.TRADE_HAS_CLOSE');
    expect(await balance()).toBe('100000.00');

    const rq = async (no: string) => (await fx.call('alipay.trade.fastpay.refund.query', { out_trade_no: out, out_request_no: no })).body;
    expect(await rq('R2')).toMatchObject({ refund_status: 'REFUND_SUCCESS', refund_amount: '70.00', total_amount: '100.00' });
    const none = await rq('R9');
    expect(none.code).toBe('10000');
    expect(none.refund_status).toBeUndefined();
  });

  it('refuses unpaid and finished trades, and finds trades by trade_no', async () => {
    const waiting = outNo('RW');
    await pay(waiting, '3000.00');
    expect((await fx.call('alipay.trade.refund', { out_trade_no: waiting, refund_amount: '1.00' })).body.sub_code).toBe('ACQ.TRADE_STATUS_ERROR');
    const done = outNo('RF');
    const paid = await pay(done, '5.00');
    await adminOk(fx.sim, 'POST', `/__sim/trades/${done}/finish`, {});
    expect((await fx.call('alipay.trade.refund', { trade_no: paid.trade_no, refund_amount: '1.00' })).body.sub_code).toBe('ACQ.TRADE_HAS_FINISHED');
    expect((await fx.call('alipay.trade.query', { trade_no: paid.trade_no, out_trade_no: 'ignored' })).body.trade_status).toBe('TRADE_FINISHED');
  });
});

describe('alipay.trade.precreate', () => {
  it('exists only once scanned, then pays on confirmation', async () => {
    const out = outNo('QR');
    const pre = (await fx.call('alipay.trade.precreate', { out_trade_no: out, subject: 'qr', total_amount: '9.90' })).body;
    expect(pre.qr_code).toMatch(/^https:\/\/qr\.alipay\.com\/bax0/);
    expect((await query(out)).sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    expect((await fx.call('alipay.trade.precreate', { out_trade_no: out, subject: 'qr', total_amount: '9.90' })).body.qr_code).toBe(pre.qr_code);
    await adminOk(fx.sim, 'POST', `/__sim/precreate/${out}/scan`, {});
    expect((await query(out)).trade_status).toBe('WAIT_BUYER_PAY');
    await adminOk(fx.sim, 'POST', `/__sim/trades/${out}/confirm`, {});
    expect((await query(out)).trade_status).toBe('TRADE_SUCCESS');
  });

  it('closing an unscanned QR answers TRADE_NOT_EXIST but blocks a later scan', async () => {
    const out = outNo('QRC');
    await fx.call('alipay.trade.precreate', { out_trade_no: out, subject: 'qr', total_amount: '1.00' });
    expect((await fx.call('alipay.trade.close', { out_trade_no: out })).body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    expect((await admin(fx.sim, 'POST', `/__sim/precreate/${out}/scan`, {})).status).toBe(409);
  });
});

describe('admin API input', () => {
  it.each([
    ['/__sim/buyers', { balance: 12.5 }],
    ['/__sim/buyers', { riskFlag: 'yes' }],
    ['/__sim/payment-codes', { prefix: 'ab' }],
    ['/__sim/apps', { appId: 'x', publicKey: 'not a key' }],
    ['/__sim/apps', { publicKey: 'x' }],
  ])('refuses bad input on %s with 400 {error, message}', async (route, body) => {
    const res = await admin(fx.sim, 'POST', route, body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });

  it('refuses malformed JSON and unknown fault kinds', async () => {
    const res = await fetch(`${fx.sim.url}/__sim/buyers`, { method: 'POST', body: '{nope' });
    expect(res.status).toBe(400);
    expect((await admin(fx.sim, 'PUT', '/__sim/faults', { rules: [{ kind: 'explode' }] })).status).toBe(400);
    expect((await admin(fx.sim, 'GET', '/__sim/health')).json).toEqual({ ok: true });
  });

  it('lists trades with the documented shape and filters', async () => {
    const out = outNo('LIST');
    await pay(out, '2.00');
    const { trades } = await adminOk(fx.sim, 'GET', `/__sim/trades?appId=${fx.appId}&outTradeNo=${out}`);
    expect(trades).toEqual([expect.objectContaining({
      appId: fx.appId, outTradeNo: out, status: 'TRADE_SUCCESS', totalAmount: '2.00', buyerId: DEMO, refunds: [], refundedAmount: '0.00',
      createdAt: expect.any(String), paidAt: expect.any(String), tradeNo: expect.stringMatching(/^\d{28}$/),
    })]);
    expect((await admin(fx.sim, 'GET', '/__sim/trades/NOPE')).status).toBe(404);
  });
});
