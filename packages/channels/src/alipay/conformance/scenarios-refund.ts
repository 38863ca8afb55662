/** alipay.trade.refund and alipay.trade.fastpay.refund.query. */
import { Secret } from '@scanpay/contracts';
import { expect } from 'vitest';
import type { RefundRequest } from '../../channel.ts';
import { callsFor, type ConformanceEnv, type Scenario, type SimEnv } from './env.ts';
import { paidOrder, waitingOrder } from './scenarios-pay.ts';

const sim = (name: string, run: (env: SimEnv) => Promise<void>): Scenario => ({ name, needs: 'simulator', run });
const refund = (env: ConformanceEnv, outTradeNo: string, outRequestNo: string, amountFen: number): RefundRequest => ({
  outTradeNo, outRequestNo, amountFen, merchant: env.merchant, reason: '顾客退货',
});

const refunds: Scenario[] = [
  sim('refund in full → refunded (fund_change=Y), and the trade reads closed', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    const result = await env.channel.refund(refund(env, outTradeNo, 'R1', 5000));
    expect(result).toMatchObject({ kind: 'refunded', refundedTotalFen: 5000 });
    expect((result as { at?: Date }).at).toBeInstanceOf(Date);
    expect(await env.channel.query({ outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'closed' });
  }),
  sim('refund in part → refunded, the trade stays paid', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 1200))).toMatchObject({ kind: 'refunded', refundedTotalFen: 1200 });
    expect(await env.channel.query({ outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'paid', amountFen: 5000 });
  }),
  sim('two partial refunds → the total refunded adds up', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.channel.refund(refund(env, outTradeNo, 'R1', 1200));
    expect(await env.channel.refund(refund(env, outTradeNo, 'R2', 800))).toMatchObject({ kind: 'refunded', refundedTotalFen: 2000 });
  }),
  sim('repeat a refund with the same request number → pending (fund_change=N), and refund query confirms it', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.channel.refund(refund(env, outTradeNo, 'R1', 1200));
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 1200))).toMatchObject({ kind: 'pending' });
    expect(await env.channel.refundQuery(refund(env, outTradeNo, 'R1', 1200))).toEqual({ kind: 'refunded', amountFen: 1200 });
  }),
  sim('reuse a refund request number with another amount → declined (DISCORDANT_REPEAT_REQUEST)', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.channel.refund(refund(env, outTradeNo, 'R1', 1200));
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 1300))).toMatchObject({ kind: 'declined', decline: { code: 'CHN_REFUND_REJECTED', rawSubCode: 'ACQ.DISCORDANT_REPEAT_REQUEST' } });
  }),
  sim('refund more than is left → declined (REFUND_AMT_NOT_EQUAL_TOTAL)', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.channel.refund(refund(env, outTradeNo, 'R1', 4000));
    expect(await env.channel.refund(refund(env, outTradeNo, 'R2', 1001))).toMatchObject({ kind: 'declined', decline: { rawSubCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' } });
  }),
  sim('refund an unpaid trade → declined (trade status)', async (env) => {
    const outTradeNo = await waitingOrder(env);
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 100))).toMatchObject({ kind: 'declined', decline: { code: 'CHN_REFUND_REJECTED', rawSubCode: 'ACQ.TRADE_STATUS_ERROR' } });
  }),
  sim('refund a closed trade → declined (TRADE_HAS_CLOSE)', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.channel.cancel({ outTradeNo, merchant: env.merchant });
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 100))).toMatchObject({ kind: 'declined', decline: { rawSubCode: 'ACQ.TRADE_HAS_CLOSE' } });
  }),
  sim('refund a finished trade → declined (TRADE_HAS_FINISHED), contact Alipay', async (env) => {
    const outTradeNo = await paidOrder(env);
    await env.sim.admin('POST', `/__sim/trades/${outTradeNo}/finish`, {});
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 100))).toMatchObject({ kind: 'declined', decline: { rawSubCode: 'ACQ.TRADE_HAS_FINISHED', action: 'contact_channel' } });
  }),
  sim('refund when the merchant balance is too low → declined (SELLER_BALANCE_NOT_ENOUGH)', async (env) => {
    const { appId } = await env.sim.newApp();
    const channel = env.sim.channel({ appId });
    const outTradeNo = env.orderNo();
    await channel.pay({ outTradeNo, authCode: new Secret(await env.sim.code()), amountFen: 1000, subject: 'x', storeId: 'S1', terminalId: 'T1', merchant: {} });
    await env.sim.admin('POST', `/__sim/apps/${appId}/merchant-status`, { balance: '0.00' });
    expect(await channel.refund(refund(env, outTradeNo, 'R1', 100))).toMatchObject({ kind: 'declined', decline: { code: 'CHN_SELLER_BALANCE_INSUFFICIENT' } });
  }),
  {
    name: 'refund whose answer is lost → unknown; the same request again is safe',
    needs: 'simulator',
    sdkDifference: 'sdk-resends-after-reset',
    run: async (env: SimEnv) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.sim.fault({ kind: 'drop_response', method: 'alipay.trade.refund' });
    const first = await env.channel.refund(refund(env, outTradeNo, 'R1', 1000));
    const sent = await callsFor(env, 'alipay.trade.refund', outTradeNo);
    if (env.client === 'alipay-sdk') {
      expect(sent).toHaveLength(2);
      expect(first).toMatchObject({ kind: 'pending' });
    } else {
      expect(sent).toHaveLength(1);
      expect(first).toMatchObject({ kind: 'unknown', reason: 'network' });
    }
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 1000))).toMatchObject({ kind: 'pending' });
    expect(await env.channel.refundQuery(refund(env, outTradeNo, 'R1', 1000))).toEqual({ kind: 'refunded', amountFen: 1000 });
    },
  },
  sim('refund answered by an unsigned error → unknown, never "refused"', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.sim.fault({ kind: 'unsigned_error', method: 'alipay.trade.refund', commit: true, code: '40004', subCode: 'ACQ.REFUND_FEE_ERROR' });
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 1000))).toMatchObject({ kind: 'unknown' });
    expect(await env.channel.refundQuery(refund(env, outTradeNo, 'R1', 1000))).toEqual({ kind: 'refunded', amountFen: 1000 });
  }),
  sim('refund answered 20000 → unknown', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.sim.fault({ kind: 'system_error', method: 'alipay.trade.refund', commit: false });
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 1000))).toMatchObject({ kind: 'unknown', reason: 'system_error' });
  }),
  sim('refund with a bad signature → unknown', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.sim.fault({ kind: 'bad_signature', method: 'alipay.trade.refund' });
    expect(await env.channel.refund(refund(env, outTradeNo, 'R1', 1000))).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  }),
];

const refundQueries: Scenario[] = [
  sim('refund query of a refund that happened → refunded with its amount', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.channel.refund(refund(env, outTradeNo, 'R1', 700));
    expect(await env.channel.refundQuery(refund(env, outTradeNo, 'R1', 700))).toEqual({ kind: 'refunded', amountFen: 700 });
  }),
  sim('refund query of a refund never made on a paid trade → not_found', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    expect(await env.channel.refundQuery(refund(env, outTradeNo, 'NEVER', 700))).toEqual({ kind: 'not_found' });
  }),
  sim('refund query answered 20000 → unknown', async (env) => {
    const outTradeNo = await paidOrder(env, 5000);
    await env.sim.fault({ kind: 'system_error', method: 'alipay.trade.fastpay.refund.query', commit: true });
    expect(await env.channel.refundQuery(refund(env, outTradeNo, 'R1', 700))).toMatchObject({ kind: 'unknown' });
  }),
];

const anywhere: Scenario[] = [
  { name: 'refund an order that does not exist → declined (trade not found)', needs: 'any', run: async (env) => {
    expect(await env.channel.refund(refund(env, env.orderNo(), 'R1', 100))).toMatchObject({ kind: 'declined', decline: { code: 'CHN_TRADE_NOT_FOUND' } });
  } },
  { name: 'refund query for an order that does not exist → not_found', needs: 'any', run: async (env) => {
    expect(await env.channel.refundQuery(refund(env, env.orderNo(), 'R1', 100))).toEqual({ kind: 'not_found' });
  } },
];

export const REFUND_SCENARIOS: Scenario[] = [...refunds, ...refundQueries, ...anywhere];
