/**
 * The API × outcome matrix, filled where the hand-written scenarios leave a gap: every API meets
 * every transport failure (each must be `unknown`), and the rarer refusals (refund query, bill,
 * a malformed notification). The suite's last test checks that every API × outcome was seen.
 */
import { Secret } from '@scanpay/contracts';
import { expect } from 'vitest';
import type { AlipayChannel } from '../channel-core.ts';
import { beijingTimestamp } from '../signing.ts';
import { callsFor, type Scenario, type SimEnv } from './env.ts';
import { paidOrder, payRequest } from './scenarios-pay.ts';

type Api = 'pay' | 'query' | 'cancel' | 'close' | 'refund' | 'refundQuery' | 'precreate' | 'billDownloadUrl';

const METHOD: Record<Api, string> = {
  pay: 'alipay.trade.pay',
  query: 'alipay.trade.query',
  cancel: 'alipay.trade.cancel',
  close: 'alipay.trade.close',
  refund: 'alipay.trade.refund',
  refundQuery: 'alipay.trade.fastpay.refund.query',
  precreate: 'alipay.trade.precreate',
  billDownloadUrl: 'alipay.data.dataservice.bill.downloadurl.query',
};

const today = () => beijingTimestamp(new Date()).slice(0, 10);

/** One call of `api` about `outTradeNo`, through `channel`. */
async function invoke(env: SimEnv, channel: AlipayChannel, api: Api, outTradeNo: string): Promise<{ kind: string }> {
  const ref = { outTradeNo, merchant: env.merchant };
  const refund = { ...ref, outRequestNo: 'R1', amountFen: 100 };
  switch (api) {
    case 'pay': return channel.pay(payRequest(env, await env.sim.code(), { outTradeNo }));
    case 'query': return channel.query(ref);
    case 'cancel': return channel.cancel(ref);
    case 'close': return channel.close(ref);
    case 'refund': return channel.refund(refund);
    case 'refundQuery': return channel.refundQuery(refund);
    case 'precreate': return channel.precreate({ ...ref, amountFen: 100, subject: 'matrix' });
    case 'billDownloadUrl': return channel.billDownloadUrl({ type: 'trade', period: today(), merchant: env.merchant });
  }
}

type Fault = 'http_500' | 'bad_signature' | 'drop_response' | 'system_error';
const FAULTS: Record<Fault, { rule: Record<string, unknown>; reason: string; label: string }> = {
  http_500: { rule: { kind: 'http_500' }, reason: 'http_status', label: 'HTTP 500' },
  bad_signature: { rule: { kind: 'bad_signature' }, reason: 'bad_signature', label: 'a signature that does not verify' },
  // Twice: the SDK's HTTP client re-sends once after a reset connection.
  drop_response: { rule: { kind: 'drop_response', count: 2 }, reason: 'network', label: 'a connection dropped every time' },
  system_error: { rule: { kind: 'system_error', commit: false }, reason: 'system_error', label: '20000 isp.unknow-error' },
};

/** API × fault pairs a hand-written scenario already covers (with more detail). */
const HAND_WRITTEN = new Set([
  'pay:http_500', 'pay:bad_signature', 'pay:system_error',
  'query:http_500', 'query:bad_signature', 'query:system_error',
  'cancel:system_error', 'close:bad_signature',
  'refund:bad_signature', 'refund:system_error',
  'refundQuery:system_error', 'precreate:bad_signature',
]);

const APIS = Object.keys(METHOD) as Api[];

const transport: Scenario[] = APIS.flatMap((api) =>
  (Object.keys(FAULTS) as Fault[])
    .filter((fault) => !HAND_WRITTEN.has(`${api}:${fault}`))
    .map((fault): Scenario => ({
      name: `${api} answered with ${FAULTS[fault].label} → unknown (${FAULTS[fault].reason})`,
      needs: 'simulator',
      ...(fault === 'drop_response' ? { sdkDifference: 'sdk-resends-after-reset' } : {}),
      run: async (env: SimEnv) => {
        await env.sim.fault({ method: METHOD[api], ...FAULTS[fault].rule });
        const outTradeNo = env.orderNo();
        expect(await invoke(env, env.channel, api, outTradeNo)).toMatchObject({ kind: 'unknown', reason: FAULTS[fault].reason });
        if (fault === 'drop_response' && api !== 'billDownloadUrl') {
          expect(await callsFor(env, METHOD[api], outTradeNo)).toHaveLength(env.client === 'alipay-sdk' ? 2 : 1);
        }
      },
    })),
);

const timeouts: Scenario[] = [
  {
    name: 'cancel, close, refund, refund query, precreate and bill slower than the timeout → unknown (timeout)',
    needs: 'simulator',
    run: async (env: SimEnv) => {
      const slow: Api[] = ['cancel', 'close', 'refund', 'refundQuery', 'precreate', 'billDownloadUrl'];
      await env.sim.admin('PUT', '/__sim/faults', { rules: slow.map((api) => ({ kind: 'delay', method: METHOD[api], ms: 3_000, count: 1 })) });
      const impatient = env.sim.channel({ timeouts: { otherMs: 250 } });
      // In parallel: the SDK's timer only fires to about the next second.
      const results = await Promise.all(slow.map((api) => invoke(env, impatient, api, env.orderNo())));
      for (const result of results) expect(result).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    },
  },
];

const refusals: Scenario[] = [
  {
    name: 'refund query for a merchant whose product is not signed → declined (stop)',
    needs: 'simulator',
    run: async (env: SimEnv) => {
      const { appId } = await env.sim.newApp();
      const channel = env.sim.channel({ appId });
      const outTradeNo = env.orderNo();
      expect(await channel.pay(payRequest(env, await env.sim.code(), { outTradeNo }))).toMatchObject({ kind: 'succeeded' });
      await env.sim.admin('POST', `/__sim/apps/${appId}/merchant-status`, { faceToFaceSigned: false });
      expect(await channel.refundQuery({ outTradeNo, outRequestNo: 'R1', amountFen: 100, merchant: env.merchant }))
        .toMatchObject({ kind: 'declined', decline: { code: 'CHN_PRODUCT_NOT_SIGNED', rawSubCode: 'isv.insufficient-isv-permissions', action: 'stop' } });
    },
  },
  {
    name: 'bill download URL with an unknown app_auth_token → declined (re-authorise)',
    needs: 'simulator',
    run: async (env: SimEnv) => {
      const result = await env.channel.billDownloadUrl({ type: 'trade', period: today(), merchant: { authToken: new Secret('202611BBnotatoken') } });
      expect(result).toMatchObject({ kind: 'declined', decline: { code: 'CHN_PERMISSION_MISSING', rawSubCode: 'aop.invalid-app-auth-token' } });
    },
  },
  {
    name: 'a correctly signed notification without a usable status or amount → malformed',
    needs: 'simulator',
    run: async (env: SimEnv) => {
      const outTradeNo = await paidOrder(env, 4200);
      const note = await delivered(env, outTradeNo);
      const { sign: _s, sign_type: _t, trade_status: _status, ...withoutStatus } = note;
      expect(env.channel.verifyNotification(env.sim.signAsAlipay(withoutStatus))).toMatchObject({ ok: false, reason: 'malformed' });
      const { sign: _s2, sign_type: _t2, ...fields } = note;
      expect(env.channel.verifyNotification(env.sim.signAsAlipay({ ...fields, total_amount: '4,200.00' }))).toMatchObject({ ok: false, reason: 'malformed' });
      // The re-signing itself is sound: the untouched fields verify.
      expect(env.channel.verifyNotification(env.sim.signAsAlipay(fields))).toMatchObject({ ok: true });
    },
  },
];

async function delivered(env: SimEnv, outTradeNo: string): Promise<Record<string, string>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = env.sim.sink.received.find((n) => n.out_trade_no === outTradeNo && n.trade_status === 'TRADE_SUCCESS');
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no notification for ${outTradeNo}`);
    await env.sim.admin('POST', '/__sim/notifications/flush', {});
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const MATRIX_SCENARIOS: Scenario[] = [...transport, ...timeouts, ...refusals];

/** Every API × outcome the suite must produce (the `api:outcome` labels of `outcomeOf`). */
const UNKNOWN_REASONS = ['timeout', 'network', 'http_status', 'bad_signature', 'system_error'].map((r) => `unknown:${r}`);
export const EXPECTED_OUTCOMES: Record<Api | 'notification', readonly string[]> = {
  pay: ['succeeded', 'waiting_buyer', 'declined', ...UNKNOWN_REASONS],
  query: ['paid', 'waiting_buyer', 'closed', 'not_found', 'declined', ...UNKNOWN_REASONS],
  cancel: ['cancelled:closed', 'cancelled:refunded', 'cancelled:none', 'retry', 'declined', ...UNKNOWN_REASONS],
  close: ['closed', 'not_found', 'declined', ...UNKNOWN_REASONS],
  refund: ['refunded', 'pending', 'declined', ...UNKNOWN_REASONS],
  refundQuery: ['refunded', 'not_found', 'declined', ...UNKNOWN_REASONS],
  precreate: ['created', 'declined', ...UNKNOWN_REASONS],
  billDownloadUrl: ['ready', 'not_found', 'declined', ...UNKNOWN_REASONS],
  notification: ['ok', 'missing_signature', 'bad_signature', 'wrong_app', 'malformed'],
};
