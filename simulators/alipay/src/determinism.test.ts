// Same seed → the same ids and the same fault pattern for the same calls; another seed → others.
// Ids embed the Beijing date or time (like real ones); only their seeded parts are compared.
import { afterAll, describe, expect, it } from 'vitest';
import { SUB_CODES } from './codes.ts';
import { fail } from './reply.ts';
import { adminOk, startFixture, startSink, type Sink } from './testing.ts';

let sink: Sink | undefined;
afterAll(async () => {
  await sink?.close();
});

interface Run {
  codes: string[];
  tradeNos: string[];
  qrCode: string;
  notifyIds: string[];
  faultPattern: string;
}

/** One fixed script of calls against a fresh simulator started with `seed`. */
async function script(seed: number): Promise<Run> {
  sink ??= await startSink();
  const fx = await startFixture({ seed });
  try {
    const buyerId = (await adminOk(fx.sim, 'POST', '/__sim/buyers', { balance: '500.00', passwordThreshold: '100.00' })).buyerId as string;
    const codes = [await fx.code({ buyerId }), await fx.code({ buyerId }), await fx.code({ buyerId, length: 24, prefix: '30' })];
    const notify = { extra: { notify_url: sink.url } };
    const paid = await fx.call('alipay.trade.pay', { out_trade_no: 'D1', scene: 'bar_code', auth_code: codes[0], subject: 'x', total_amount: '10.00' }, notify);
    const waiting = await fx.call('alipay.trade.pay', { out_trade_no: 'D2', scene: 'bar_code', auth_code: codes[1], subject: 'x', total_amount: '150.00' }, notify);
    expect([paid.body.code, waiting.body.code]).toEqual(['10000', '10003']);
    await fx.call('alipay.trade.refund', { out_trade_no: 'D1', refund_amount: '1.00', out_request_no: 'R1' }, notify);
    const qrCode = (await fx.call('alipay.trade.precreate', { out_trade_no: 'D3', subject: 'x', total_amount: '1.00' })).body.qr_code as string;

    await adminOk(fx.sim, 'PUT', '/__sim/faults', {
      rules: [{ kind: 'sub_code', method: 'alipay.trade.query', probability: 0.5, code: '20000', subCode: 'ACQ.SYSTEM_ERROR' }],
    });
    let faultPattern = '';
    for (let i = 0; i < 24; i++) faultPattern += (await fx.call('alipay.trade.query', { out_trade_no: 'D1' })).body.code === '20000' ? 'x' : '.';

    const { notifications } = await adminOk(fx.sim, 'GET', '/__sim/notifications');
    return {
      codes,
      tradeNos: [paid.body.trade_no, waiting.body.trade_no].map((no: string) => no.slice(8)), // drop yyyyMMdd
      qrCode,
      notifyIds: notifications.map((n: { notifyId: string }) => n.notifyId.slice(19)), // drop yyyyMMdd00222HHmmss
      faultPattern,
    };
  } finally {
    await fx.sim.close();
  }
}

describe('determinism with a seed', () => {
  it('repeats payment codes, trade numbers, QR codes, notify ids and the fault pattern for the same seed', async () => {
    const first = await script(20261127);
    const again = await script(20261127);
    expect(again).toEqual(first);
    expect(first.notifyIds).toHaveLength(2); // the payment and the refund
    expect(first.faultPattern).toMatch(/x/);
    expect(first.faultPattern).toMatch(/\./);
  });

  it('gives other ids and another fault pattern for another seed', async () => {
    const first = await script(1);
    const other = await script(2);
    expect(other.codes).not.toEqual(first.codes);
    expect(other.tradeNos).not.toEqual(first.tradeNos);
    expect(other.qrCode).not.toBe(first.qrCode);
    expect(other.faultPattern).not.toBe(first.faultPattern);
  });
});

describe('the sub_code catalogue', () => {
  it.each(Object.entries(SUB_CODES))('%s is answered with its catalogue code', (subCode, info) => {
    expect(fail(subCode).code).toBe(info.code);
  });
});
