import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notifySignString, rsaVerify } from './crypto.ts';
import { adminOk, sleep, startFixture, startSink, until, type Fixture, type Sink } from './testing.ts';

let fx: Fixture;
let sink: Sink;
let answers: string[] = [];

beforeAll(async () => {
  fx = await startFixture();
  sink = await startSink((i) => answers[i] ?? 'success');
});
beforeEach(async () => {
  await adminOk(fx.sim, 'POST', '/__sim/reset');
  // Whole retry schedule in ~60 ms of real time.
  await adminOk(fx.sim, 'PUT', '/__sim/config', { notifyScheduleMs: [4 * 60_000, 10 * 60_000, 10 * 60_000, 3_600_000] });
  await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 60_000 });
  answers = [];
  sink.received.length = 0;
});
afterEach(async () => {
  await adminOk(fx.sim, 'PUT', '/__sim/config', { notifyScheduleMs: [240_000, 600_000, 600_000, 3_600_000, 7_200_000, 21_600_000, 54_000_000] });
});
afterAll(async () => {
  await fx.sim.close();
  await sink.close();
});

let n = 0;
const outNo = (tag: string) => `${tag}-${++n}`;
const pay = async (out: string, amount = '10.00', notifyUrl = sink.url) =>
  fx.call('alipay.trade.pay', { out_trade_no: out, scene: 'bar_code', auth_code: await fx.code(), subject: '通知 100%', total_amount: amount }, { extra: { notify_url: notifyUrl } });
const forTrade = (out: string) => sink.received.filter((r) => r.form.out_trade_no === out);
const notices = async (out: string) => (await adminOk(fx.sim, 'GET', `/__sim/notifications?outTradeNo=${out}`)).notifications as any[];

describe('notifications', () => {
  it('posts a V1-signed trade_status_sync form after payment', async () => {
    const out = outNo('N');
    await pay(out, '12.34');
    const [got] = await until(() => forTrade(out), (l) => l.length === 1);
    const form = got!.form;
    expect(form).toMatchObject({
      notify_type: 'trade_status_sync', trade_status: 'TRADE_SUCCESS', out_trade_no: out, total_amount: '12.34', receipt_amount: '12.34',
      app_id: fx.appId, auth_app_id: fx.appId, buyer_id: '2088000000000001', sign_type: 'RSA2', charset: 'utf-8', version: '1.0',
      subject: '通知 100%',
    });
    expect(form.seller_id).toMatch(/^2088\d{12}$/);
    expect(form.notify_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(JSON.parse(form.fund_bill_list!)).toEqual([{ amount: '12.34', fundChannel: 'ALIPAYACCOUNT' }]);
    expect(rsaVerify(notifySignString(form), form.sign!, fx.sim.alipayPublicKeyPem, 'RSA2')).toBe(true);
    expect(rsaVerify(notifySignString({ ...form, total_amount: '1.00' }), form.sign!, fx.sim.alipayPublicKeyPem, 'RSA2')).toBe(false);
  });

  it('retries on the scaled schedule until the body is exactly "success"', async () => {
    answers = ['fail', ' success\n', 'SUCCESS'];
    const out = outNo('RETRY');
    await pay(out);
    const got = await until(() => forTrade(out), (l) => l.length === 4, 3000);
    expect(new Set(got.map((r) => r.form.notify_id)).size).toBe(1);
    await until(() => notices(out), (l) => l[0]?.status === 'done');
    expect((await notices(out))[0].attempts).toBe(4);
    await sleep(100);
    expect(forTrade(out)).toHaveLength(4);
  });

  it('gives up after the last interval', async () => {
    answers = Array(10).fill('no');
    const out = outNo('GIVEUP');
    await pay(out);
    await until(() => notices(out), (l) => l[0]?.status === 'failed', 3000);
    expect(forTrade(out)).toHaveLength(5); // first try + 4 retries
  });

  it('notifies a partial refund with refund fields and a full refund as TRADE_CLOSED', async () => {
    const out = outNo('REFUND');
    await pay(out, '10.00');
    await fx.call('alipay.trade.refund', { out_trade_no: out, refund_amount: '4.00', out_request_no: 'RQ1' });
    await fx.call('alipay.trade.refund', { out_trade_no: out, refund_amount: '6.00', out_request_no: 'RQ2' });
    const got = await until(() => forTrade(out), (l) => l.length === 3);
    const byBiz = Object.fromEntries(got.map((r) => [r.form.out_biz_no ?? 'pay', r.form]));
    expect(byBiz.RQ1).toMatchObject({ trade_status: 'TRADE_SUCCESS', refund_fee: '4.00' });
    expect(byBiz.RQ1!.gmt_refund).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(byBiz.RQ2).toMatchObject({ trade_status: 'TRADE_CLOSED', refund_fee: '10.00' });
  });

  it('notifies a cancel of a paid trade as TRADE_CLOSED, but not a close of an unpaid one', async () => {
    const paid = outNo('CXL');
    await pay(paid);
    await fx.call('alipay.trade.cancel', { out_trade_no: paid });
    await until(() => forTrade(paid), (l) => l.some((r) => r.form.trade_status === 'TRADE_CLOSED'));
    const unpaid = outNo('UNPAID');
    await pay(unpaid, '3000.00');
    await fx.call('alipay.trade.cancel', { out_trade_no: unpaid });
    await sleep(100);
    expect(forTrade(unpaid)).toHaveLength(0);
  });

  it("falls back to the app's notifyUrl and refuses non-loopback URLs", async () => {
    await adminOk(fx.sim, 'POST', '/__sim/apps', { appId: fx.appId, notifyUrl: sink.url });
    const viaApp = outNo('APPURL');
    await fx.call('alipay.trade.pay', { out_trade_no: viaApp, scene: 'bar_code', auth_code: await fx.code(), subject: 'x', total_amount: '1.00' });
    await until(() => forTrade(viaApp), (l) => l.length === 1);
    const remote = outNo('REMOTE');
    await pay(remote, '1.00', 'http://example.invalid/notify');
    await until(() => notices(remote), (l) => l[0]?.status === 'refused');
  });

  it('notify_duplicate sends several copies', async () => {
    await adminOk(fx.sim, 'PUT', '/__sim/faults', { rules: [{ kind: 'notify_duplicate', times: 3, count: 1 }] });
    const out = outNo('DUP');
    await pay(out);
    const got = await until(() => forTrade(out), (l) => l.length === 3);
    expect(new Set(got.map((r) => r.form.notify_id)).size).toBe(1);
  });

  it('notify_delay holds the first delivery for the scaled delay', async () => {
    await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 1000 });
    await adminOk(fx.sim, 'PUT', '/__sim/faults', { rules: [{ kind: 'notify_delay', ms: 300_000 }] }); // 300 ms real
    const out = outNo('LATE');
    const started = Date.now();
    await pay(out);
    await sleep(150);
    expect(forTrade(out)).toHaveLength(0);
    const [got] = await until(() => forTrade(out), (l) => l.length === 1, 3000);
    expect(got!.at - started).toBeGreaterThanOrEqual(290);
  });

  it('notify_reorder delivers a batch newest first', async () => {
    await adminOk(fx.sim, 'PUT', '/__sim/faults', { rules: [{ kind: 'notify_reorder', batch: 2, count: 2, maxHoldMs: 600_000_000 }] });
    const out = outNo('ORDER');
    await pay(out, '10.00');
    await sleep(50);
    expect(forTrade(out)).toHaveLength(0);
    await fx.call('alipay.trade.refund', { out_trade_no: out, refund_amount: '1.00', out_request_no: 'RQ' });
    const got = await until(() => forTrade(out), (l) => l.length === 2);
    expect(got.map((r) => r.form.out_biz_no ?? 'pay')).toEqual(['RQ', 'pay']);
  });

  it('a delivery still in flight when the simulator closes schedules no retry (nothing keeps the process alive)', async () => {
    let release: (reply: string) => void = () => {};
    const held = await startSink(() => new Promise<string>((r) => { release = r; }));
    const own = await startFixture();
    try {
      await adminOk(own.sim, 'POST', '/__sim/clock', { timeScale: 60_000 }); // a retry would come within milliseconds
      await own.call('alipay.trade.pay', { out_trade_no: 'CLOSING-1', scene: 'bar_code', auth_code: await own.code(), subject: 's', total_amount: '1.00' }, { extra: { notify_url: held.url } });
      await until(() => held.received, (l) => l.length === 1);
      const closing = own.sim.close();
      release('fail'); // the delivery ends unacknowledged while the simulator is closing
      await closing;
      await sleep(200);
      expect(held.received).toHaveLength(1);
    } finally {
      await own.sim.close();
      await held.close();
    }
  });
});
