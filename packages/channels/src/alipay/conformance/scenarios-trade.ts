/** alipay.trade.query / cancel / close: each trade_status, each cancel action, and the failures. */
import { expect } from 'vitest';
import { callsFor, type Scenario, type SimEnv } from './env.ts';
import { paidOrder, payRequest, waitingOrder } from './scenarios-pay.ts';

const sim = (name: string, run: (env: SimEnv) => Promise<void>): Scenario => ({ name, needs: 'simulator', run });
const ref = (env: { merchant: SimEnv['merchant'] }, outTradeNo: string) => ({ outTradeNo, merchant: env.merchant });

const query: Scenario[] = [
  sim('query WAIT_BUYER_PAY → waiting_buyer', async (env) => {
    const outTradeNo = await waitingOrder(env);
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'waiting_buyer', tradeNo: expect.any(String) });
  }),
  sim('query TRADE_SUCCESS → paid and refundable, with the amount and the payment time', async (env) => {
    const outTradeNo = await paidOrder(env, 4321);
    const result = await env.channel.query(ref(env, outTradeNo));
    expect(result).toMatchObject({ kind: 'paid', refundable: true, amountFen: 4321, tradeNo: expect.stringMatching(/^\d{28}$/) });
    expect((result as { paidAt?: Date }).paidAt).toBeInstanceOf(Date);
  }),
  sim('query TRADE_FINISHED → paid but no longer refundable', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.sim.admin('POST', `/__sim/trades/${outTradeNo}/finish`, {});
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'paid', refundable: false, amountFen: 1234 });
  }),
  sim('query TRADE_CLOSED (closed unpaid) → closed', async (env) => {
    const outTradeNo = await waitingOrder(env);
    await env.channel.close(ref(env, outTradeNo));
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'closed', tradeNo: expect.any(String) });
  }),
  sim('query TRADE_CLOSED (paid, then fully refunded) → closed', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.channel.refund({ ...ref(env, outTradeNo), outRequestNo: 'FULL', amountFen: 1234 });
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'closed' });
  }),
  sim('query after the buyer confirmed a waiting trade → paid', async (env) => {
    const outTradeNo = await waitingOrder(env);
    await env.sim.admin('POST', `/__sim/trades/${outTradeNo}/confirm`, {});
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'paid', amountFen: 1234 });
  }),
  sim('query 20000 → unknown', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.sim.fault({ kind: 'system_error', method: 'alipay.trade.query', commit: true });
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'unknown', reason: 'system_error' });
  }),
  sim('query with a bad signature → unknown, even though the trade is paid', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.sim.fault({ kind: 'bad_signature', method: 'alipay.trade.query' });
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  }),
  sim('query answered by HTTP 500 → unknown', async (env) => {
    await env.sim.fault({ kind: 'http_500', method: 'alipay.trade.query' });
    expect(await env.channel.query(ref(env, env.orderNo()))).toMatchObject({ kind: 'unknown', reason: 'http_status' });
  }),
  sim('query slower than the timeout → unknown (timeout)', async (env) => {
    await env.sim.fault({ kind: 'delay', method: 'alipay.trade.query', ms: 3_000 });
    expect(await env.sim.channel({ timeouts: { otherMs: 250 } }).query(ref(env, env.orderNo()))).toMatchObject({ kind: 'unknown', reason: 'timeout' });
  }),
  {
    name: 'query whose connection drops → unknown (network)',
    needs: 'simulator',
    sdkDifference: 'sdk-resends-after-reset',
    run: async (env: SimEnv) => {
      await env.sim.fault({ kind: 'drop_response', method: 'alipay.trade.query' });
      const outTradeNo = env.orderNo();
      const result = await env.channel.query(ref(env, outTradeNo));
      const sent = await callsFor(env, 'alipay.trade.query', outTradeNo);
      if (env.client === 'alipay-sdk') {
        expect(sent).toHaveLength(2);
        expect(result).toEqual({ kind: 'not_found' });
      } else {
        expect(sent).toHaveLength(1);
        expect(result).toMatchObject({ kind: 'unknown', reason: 'network' });
      }
    },
  },
  sim('query refused for permissions → declined, stop', async (env) => {
    await env.sim.fault({ kind: 'sub_code', method: 'alipay.trade.query', code: '40006', subCode: 'isv.insufficient-isv-permissions' });
    expect(await env.channel.query(ref(env, env.orderNo()))).toMatchObject({ kind: 'declined', decline: { code: 'CHN_PRODUCT_NOT_SIGNED', action: 'stop' } });
  }),
];

const cancel: Scenario[] = [
  sim('cancel an unpaid waiting trade → closed, nothing charged; query shows it closed', async (env) => {
    const outTradeNo = await waitingOrder(env);
    expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'cancelled', effect: 'closed', tradeNo: expect.any(String) });
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'closed' });
  }),
  sim('cancel a paid trade → refunded', async (env) => {
    const outTradeNo = await paidOrder(env);
    expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'cancelled', effect: 'refunded' });
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'closed' });
  }),
  sim('cancel an order Alipay never saw → none, and a late pay for it is refused', async (env) => {
    const outTradeNo = env.orderNo();
    expect(await env.channel.cancel(ref(env, outTradeNo))).toEqual({ kind: 'cancelled', effect: 'none' });
    expect(await env.channel.pay(payRequest(env, await env.sim.code(), { outTradeNo }))).toMatchObject({ kind: 'declined' });
  }),
  sim('cancel again after a refund-cancel → still refunded (idempotent)', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.channel.cancel(ref(env, outTradeNo));
    expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'cancelled', effect: 'refunded' });
  }),
  sim('cancel answered retry_flag=Y → retry; the next cancel goes through', async (env) => {
    const outTradeNo = await waitingOrder(env);
    await env.sim.fault({ kind: 'cancel_retry', method: 'alipay.trade.cancel' });
    expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'retry' });
    expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'cancelled', effect: 'closed' });
  }),
  sim('cancel after the 24 h window → declined, use a refund', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.sim.admin('POST', `/__sim/trades/${outTradeNo}/age`, { hours: 25 });
    expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'declined', decline: { code: 'CHN_CANCEL_WINDOW_PASSED', rawSubCode: 'ACQ.TRADE_CANCEL_TIME_OUT' } });
  }),
  sim('cancel a finished trade → declined (TRADE_HAS_FINISHED)', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.sim.admin('POST', `/__sim/trades/${outTradeNo}/finish`, {});
    expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'declined', decline: { rawSubCode: 'ACQ.TRADE_HAS_FINISHED' } });
  }),
  sim('cancel a paid trade when the merchant balance is too low → declined (contact Alipay)', async (env) => {
    const { appId } = await env.sim.newApp();
    const channel = env.sim.channel({ appId });
    const req = payRequest(env, await env.sim.code());
    expect(await channel.pay(req)).toMatchObject({ kind: 'succeeded' });
    await env.sim.admin('POST', `/__sim/apps/${appId}/merchant-status`, { balance: '0.00' });
    expect(await channel.cancel(ref(env, req.outTradeNo))).toMatchObject({ kind: 'declined', decline: { code: 'CHN_SELLER_BALANCE_INSUFFICIENT', action: 'contact_channel' } });
  }),
  sim('cancel answered 20000 → unknown', async (env) => {
    await env.sim.fault({ kind: 'system_error', method: 'alipay.trade.cancel', commit: false });
    expect(await env.channel.cancel(ref(env, env.orderNo()))).toMatchObject({ kind: 'unknown', reason: 'system_error' });
  }),
  {
    name: 'cancel whose answer is lost → unknown; the next cancel reports what happened',
    needs: 'simulator',
    sdkDifference: 'sdk-resends-after-reset',
    run: async (env: SimEnv) => {
      const outTradeNo = await paidOrder(env);
      await env.sim.fault({ kind: 'drop_response', method: 'alipay.trade.cancel' });
      const first = await env.channel.cancel(ref(env, outTradeNo));
      const sent = await callsFor(env, 'alipay.trade.cancel', outTradeNo);
      if (env.client === 'alipay-sdk') {
        expect(sent).toHaveLength(2);
        expect(first).toMatchObject({ kind: 'cancelled', effect: 'refunded' });
      } else {
        expect(sent).toHaveLength(1);
        expect(first).toMatchObject({ kind: 'unknown', reason: 'network' });
      }
      expect(await env.channel.cancel(ref(env, outTradeNo))).toMatchObject({ kind: 'cancelled', effect: 'refunded' });
    },
  },
];

const close: Scenario[] = [
  sim('close an unpaid waiting trade → closed', async (env) => {
    const outTradeNo = await waitingOrder(env);
    expect(await env.channel.close(ref(env, outTradeNo))).toMatchObject({ kind: 'closed', tradeNo: expect.any(String) });
  }),
  sim('close a paid trade → declined (trade status), money untouched', async (env) => {
    const outTradeNo = await paidOrder(env);
    expect(await env.channel.close(ref(env, outTradeNo))).toMatchObject({ kind: 'declined', decline: { rawSubCode: 'ACQ.TRADE_STATUS_ERROR' } });
    expect(await env.channel.query(ref(env, outTradeNo))).toMatchObject({ kind: 'paid' });
  }),
  sim('close with a bad signature → unknown', async (env) => {
    const outTradeNo = await waitingOrder(env);
    await env.sim.fault({ kind: 'bad_signature', method: 'alipay.trade.close' });
    expect(await env.channel.close(ref(env, outTradeNo))).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  }),
];

const anywhere: Scenario[] = [
  { name: 'query an order that does not exist → not_found', needs: 'any', run: async (env) => {
    expect(await env.channel.query(ref(env, env.orderNo()))).toEqual({ kind: 'not_found' });
  } },
  { name: 'cancel an order that does not exist → cancelled, effect none', needs: 'any', run: async (env) => {
    expect(await env.channel.cancel(ref(env, env.orderNo()))).toMatchObject({ kind: 'cancelled', effect: 'none' });
  } },
  { name: 'close an order that does not exist → not_found', needs: 'any', run: async (env) => {
    expect(await env.channel.close(ref(env, env.orderNo()))).toEqual({ kind: 'not_found' });
  } },
];

export const TRADE_SCENARIOS: Scenario[] = [...query, ...cancel, ...close, ...anywhere];
