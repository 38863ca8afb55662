import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, adminOk, startFixture, until, type Fixture } from './testing.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ timeScale: 1 });
});
beforeEach(async () => {
  await adminOk(fx.sim, 'POST', '/__sim/reset');
  await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 1 });
});
afterAll(() => fx.sim.close());

let n = 0;
const outNo = (tag: string) => `${tag}-${++n}`;
const faults = (rules: unknown[], seed?: number) => adminOk(fx.sim, 'PUT', '/__sim/faults', { rules, ...(seed === undefined ? {} : { seed }) });
const payBiz = async (out: string, amount = '1.00') => ({ out_trade_no: out, scene: 'bar_code', auth_code: await fx.code(), subject: 'x', total_amount: amount });
const pay = async (out: string, amount = '1.00') => fx.call('alipay.trade.pay', await payBiz(out, amount));
const status = async (out: string) => (await adminOk(fx.sim, 'GET', `/__sim/trades/${out}`)).status as string;
const exists = async (out: string) => (await admin(fx.sim, 'GET', `/__sim/trades/${out}`)).status === 200;

describe('gateway faults', () => {
  it('drop_response commits the payment, then hangs up without an answer', async () => {
    await faults([{ kind: 'drop_response', method: 'alipay.trade.pay', count: 1 }]);
    const out = outNo('DROP');
    await expect(pay(out)).rejects.toThrow();
    expect(await status(out)).toBe('TRADE_SUCCESS');
    expect((await pay(outNo('AFTER'))).body.code).toBe('10000'); // count 1 consumed
  });

  it('delay answers late, after committing', async () => {
    await faults([{ kind: 'delay', method: 'alipay.trade.pay', ms: 300 }]);
    const out = outNo('SLOW');
    const started = Date.now();
    const pending = pay(out);
    await until(() => exists(out), Boolean, 250);
    const res = await pending;
    expect(res.body.code).toBe('10000');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('system_error answers 20000, with or without the payment behind it', async () => {
    await faults([{ kind: 'system_error', method: 'alipay.trade.pay', commit: true, count: 1 }, { kind: 'system_error', method: 'alipay.trade.pay', commit: false }]);
    const paid = outNo('SE-PAID');
    const res = await pay(paid);
    expect(res.body).toMatchObject({ code: '20000', sub_code: 'isp.unknow-error' });
    expect(res.verified).toBe(true);
    expect(await status(paid)).toBe('TRADE_SUCCESS');
    const unpaid = outNo('SE-UNPAID');
    expect((await pay(unpaid)).body.code).toBe('20000');
    expect(await exists(unpaid)).toBe(false);
  });

  it('wait_buyer answers 10003 and the buyer confirms after the scaled delay', async () => {
    await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 100 });
    await faults([{ kind: 'wait_buyer', confirmAfterMs: 10_000 }]); // 100 ms real
    const out = outNo('WB');
    expect((await pay(out)).body.code).toBe('10003');
    expect(await status(out)).toBe('WAIT_BUYER_PAY');
    await until(() => status(out), (s) => s === 'TRADE_SUCCESS', 3000);
  });

  it('wait_buyer with confirmAfterMs null leaves the trade to auto-close', async () => {
    await adminOk(fx.sim, 'POST', '/__sim/clock', { timeScale: 1800 }); // 3 min = 100 ms
    await faults([{ kind: 'wait_buyer', confirmAfterMs: null }]);
    const out = outNo('WBN');
    expect((await pay(out)).body.code).toBe('10003');
    await until(() => status(out), (s) => s === 'TRADE_CLOSED', 3000);
  });

  it('bad_signature: well-formed answer whose signature does not verify', async () => {
    await faults([{ kind: 'bad_signature' }]);
    const res = await pay(outNo('BADSIG'));
    expect(res.body.code).toBe('10000');
    expect(res.sign).toBeDefined();
    expect(res.verified).toBe(false);
  });

  it('unsigned_error: an error body without sign, nothing processed', async () => {
    await faults([{ kind: 'unsigned_error', method: 'alipay.trade.pay' }]);
    const out = outNo('UNSIGNED');
    const res = await pay(out);
    expect(res.body.code).toBe('20000');
    expect(res.text).not.toContain('"sign"');
    expect(await exists(out)).toBe(false);
  });

  it('http_500: no processing', async () => {
    await faults([{ kind: 'http_500', method: 'alipay.trade.pay' }]);
    const out = outNo('500');
    expect((await pay(out)).status).toBe(500);
    expect(await exists(out)).toBe(false);
  });

  it('cancel_retry answers retry_flag=Y for the next N cancels and leaves the trade alone', async () => {
    const out = outNo('CR');
    await pay(out);
    await faults([{ kind: 'cancel_retry', count: 2 }]);
    for (let i = 0; i < 2; i++) {
      const res = (await fx.call('alipay.trade.cancel', { out_trade_no: out })).body;
      expect(res).toMatchObject({ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR', retry_flag: 'Y' });
      expect(await status(out)).toBe('TRADE_SUCCESS');
    }
    expect((await fx.call('alipay.trade.cancel', { out_trade_no: out })).body).toMatchObject({ code: '10000', action: 'refund' });
  });

  it('sub_code answers any code, and named scenarios install one', async () => {
    await faults([{ kind: 'sub_code', method: 'alipay.trade.pay', code: '40004', subCode: 'ACQ.PULL_MOBILE_CASHIER_FAIL', count: 1 }]);
    expect((await pay(outNo('SUB'))).body.sub_code).toBe('ACQ.PULL_MOBILE_CASHIER_FAIL');
    await adminOk(fx.sim, 'DELETE', '/__sim/faults');
    await adminOk(fx.sim, 'POST', '/__sim/scenarios/ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH', {});
    const res = await pay(outNo('SCEN'));
    expect(res.body).toMatchObject({ code: '40004', sub_code: 'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH' });
    expect(res.verified).toBe(true);
    expect((await pay(outNo('SCEN'))).body.code).toBe('10000');
    expect((await admin(fx.sim, 'POST', '/__sim/scenarios/no-such-thing', {})).status).toBe(404);
  });

  it('every catalogued sub_code is reachable by name', async () => {
    const { subCodes } = await adminOk(fx.sim, 'GET', '/__sim/scenarios');
    expect(subCodes.length).toBeGreaterThan(70);
    // Installed in order, each fires once: the answers come back in the same order.
    for (const { name } of subCodes) await adminOk(fx.sim, 'POST', `/__sim/scenarios/${name}`, { method: 'alipay.trade.query' });
    for (const { name, code } of subCodes) {
      const res = (await fx.call('alipay.trade.query', { out_trade_no: 'X' })).body;
      expect([res.code, res.sub_code]).toEqual([code, name]);
    }
    expect((await fx.call('alipay.trade.query', { out_trade_no: 'X' })).body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('repeats the same probabilistic pattern for the same seed', async () => {
    const pattern = async () => {
      await faults([{ kind: 'sub_code', method: 'alipay.trade.query', probability: 0.5, code: '20000', subCode: 'ACQ.SYSTEM_ERROR' }], 42);
      const codes: string[] = [];
      for (let i = 0; i < 16; i++) codes.push((await fx.call('alipay.trade.query', { out_trade_no: 'X' })).body.code);
      return codes.join(',');
    };
    const first = await pattern();
    expect(first).toContain('20000');
    expect(first).toContain('40004');
    expect(await pattern()).toBe(first);
  });

  it('records the fault kind in the call log', async () => {
    await faults([{ kind: 'bad_signature', count: 1 }]);
    const out = outNo('LOG');
    await pay(out);
    const { calls } = await adminOk(fx.sim, 'GET', `/__sim/calls?outTradeNo=${out}`);
    expect(calls).toEqual([expect.objectContaining({ method: 'alipay.trade.pay', code: '10000', fault: 'bad_signature', appId: fx.appId })]);
    expect((await adminOk(fx.sim, 'GET', '/__sim/faults')).rules[0]).toMatchObject({ kind: 'bad_signature', remaining: 0, hits: 1 });
  });
});
