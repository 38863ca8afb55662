/** alipay.trade.pay: every outcome class of brief §2.2 and §3, plus what the buyer's state causes. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@scanpay/contracts';
import { expect } from 'vitest';
import type { PayRequest, PayResult } from '../../channel.ts';
import { DECLINE_RULES, UNKNOWN_SUB_CODES } from '../error-map.ts';
import { sharedKeys } from '../test-support.ts';
import { callsFor, lastCall, type ConformanceEnv, type Scenario, type SimEnv } from './env.ts';

export function payRequest(env: ConformanceEnv, authCode: string, over: Partial<PayRequest> = {}): PayRequest {
  return {
    outTradeNo: env.orderNo(), authCode: new Secret(authCode), amountFen: 1234, subject: '测试商品 conformance',
    storeId: 'STORE_1', terminalId: 'POS_1', merchant: env.merchant, ...over,
  };
}

/** Pays with a fresh code and checks it succeeded; returns the order number. */
export async function paidOrder(env: SimEnv, amountFen = 1234): Promise<string> {
  const req = payRequest(env, await env.sim.code(), { amountFen });
  const result = await env.channel.pay(req);
  expect(result).toMatchObject({ kind: 'succeeded', amountFen });
  return req.outTradeNo;
}

/** A pay that answers 10003 and waits (until confirmed, or for ever). */
export async function waitingOrder(env: SimEnv): Promise<string> {
  await env.sim.fault({ kind: 'wait_buyer', method: 'alipay.trade.pay', confirmAfterMs: null });
  const req = payRequest(env, await env.sim.code());
  expect(await env.channel.pay(req)).toMatchObject({ kind: 'waiting_buyer', tradeNo: expect.any(String) });
  return req.outTradeNo;
}

function expectDeclined(result: PayResult, code: string, subCode: string): void {
  expect(result).toMatchObject({ kind: 'declined', decline: { code, rawSubCode: subCode } });
}

const sim = (name: string, run: (env: SimEnv) => Promise<void>): Scenario => ({ name, needs: 'simulator', run });

const basics: Scenario[] = [
  sim('pay 10000: paid, with the amount, trade number and masked buyer the channel reports', async (env) => {
    const req = payRequest(env, await env.sim.code(), { amountFen: 8888, storeId: 'STORE_1', terminalId: 'POS_1' });
    const result = await env.channel.pay(req);
    expect(result).toMatchObject({ kind: 'succeeded', amountFen: 8888, tradeNo: expect.stringMatching(/^\d{28}$/), buyerLogonId: expect.stringContaining('*') });
    expect((result as { paidAt?: Date }).paidAt).toBeInstanceOf(Date);
  }),
  sim('pay 10000 at the smallest amount, 0.01', async (env) => {
    await paidOrder(env, 1);
  }),
  sim('pay 10003 natively (above the buyer’s password threshold), then the buyer confirms', async (env) => {
    const req = payRequest(env, await env.sim.code(), { amountFen: 300_000 });
    expect(await env.channel.pay(req)).toMatchObject({ kind: 'waiting_buyer' });
    await env.sim.admin('POST', `/__sim/trades/${req.outTradeNo}/confirm`, {});
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'paid', amountFen: 300_000 });
  }),
  sim('pay 10003 that the buyer never confirms: query waits, cancel closes it', async (env) => {
    const outTradeNo = await waitingOrder(env);
    expect(await env.channel.query({ outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'waiting_buyer' });
    expect(await env.channel.cancel({ outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'cancelled', effect: 'closed' });
  }),
  sim('pay 20000 with the buyer charged behind it: unknown, query finds it paid, cancel refunds', async (env) => {
    await env.sim.fault({ kind: 'system_error', method: 'alipay.trade.pay', commit: true });
    const req = payRequest(env, await env.sim.code());
    expect(await env.channel.pay(req)).toMatchObject({ kind: 'unknown', reason: 'system_error' });
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'paid', amountFen: 1234 });
    expect(await env.channel.cancel({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'cancelled', effect: 'refunded' });
  }),
  sim('pay 20000 with nothing created: unknown, query finds nothing, cancel answers none', async (env) => {
    await env.sim.fault({ kind: 'system_error', method: 'alipay.trade.pay', commit: false });
    const req = payRequest(env, await env.sim.code());
    expect(await env.channel.pay(req)).toMatchObject({ kind: 'unknown', reason: 'system_error' });
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toEqual({ kind: 'not_found' });
    expect(await env.channel.cancel({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'cancelled', effect: 'none' });
  }),
  sim('pay 40004 ACQ.SYSTEM_ERROR is unknown, not a decline', async (env) => {
    await env.sim.fault({ kind: 'sub_code', method: 'alipay.trade.pay', code: '40004', subCode: 'ACQ.SYSTEM_ERROR' });
    expect(await env.channel.pay(payRequest(env, await env.sim.code()))).toMatchObject({ kind: 'unknown', reason: 'system_error' });
  }),
  {
    name: 'pay whose answer is lost after it was committed: unknown (not "not sent"), sent once, query finds it paid',
    needs: 'simulator',
    sdkDifference: 'sdk-resends-after-reset',
    run: async (env: SimEnv) => {
      await env.sim.fault({ kind: 'drop_response', method: 'alipay.trade.pay' });
      const req = payRequest(env, await env.sim.code());
      const result = await env.channel.pay(req);
      const answers = (await callsFor(env, 'alipay.trade.pay', req.outTradeNo)).map((c) => c.subCode ?? c.code);
      if (env.client === 'alipay-sdk') {
        expect(answers).toEqual(['10000', 'ACQ.TRADE_HAS_SUCCESS']);
        expect(result).toMatchObject({ kind: 'unknown', reason: 'system_error' });
      } else {
        expect(answers).toEqual(['10000']); // our client never re-sends a pay
        expect(result).toMatchObject({ kind: 'unknown', reason: 'network' });
        expect(result).not.toHaveProperty('notSent');
      }
      expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'paid' });
    },
  },
  sim('pay slower than the pay timeout: unknown (timeout), and it was paid meanwhile', async (env) => {
    // Far beyond the timeout: the SDK's timer fires only to about the next second (undici).
    await env.sim.fault({ kind: 'delay', method: 'alipay.trade.pay', ms: 3_000 });
    const impatient = env.sim.channel({ timeouts: { payMs: 300 } });
    const req = payRequest(env, await env.sim.code());
    expect(await impatient.pay(req)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'paid' });
  }),
  sim('pay with a signature that does not verify: unknown (bad_signature), never success', async (env) => {
    await env.sim.fault({ kind: 'bad_signature', method: 'alipay.trade.pay' });
    expect(await env.channel.pay(payRequest(env, await env.sim.code()))).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  }),
  sim('pay answered by an unsigned error: unknown, never a failure', async (env) => {
    await env.sim.fault({ kind: 'unsigned_error', method: 'alipay.trade.pay', code: '40004', subCode: 'ACQ.PAYMENT_FAIL' });
    expect(await env.channel.pay(payRequest(env, await env.sim.code()))).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  }),
  sim('pay answered by HTTP 500: unknown (http_status), and nothing was processed', async (env) => {
    await env.sim.fault({ kind: 'http_500', method: 'alipay.trade.pay' });
    const req = payRequest(env, await env.sim.code());
    expect(await env.channel.pay(req)).toMatchObject({ kind: 'unknown', reason: 'http_status' });
    expect(await env.channel.query({ outTradeNo: req.outTradeNo, merchant: env.merchant })).toEqual({ kind: 'not_found' });
  }),
  sim('pay to a port nobody listens on: unknown and provably not sent', async (env) => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const nowhere = env.sim.channel({ gatewayUrl: `http://127.0.0.1:${port}/gateway.do` });
    expect(await nowhere.pay(payRequest(env, await env.sim.code()))).toMatchObject({ kind: 'unknown', reason: 'network', notSent: true });
  }),
];

const buyerSide: Scenario[] = [
  sim('pay with an expired code: rescan', async (env) => {
    const code = await env.sim.code({ ttlSeconds: 0.001 });
    await new Promise((r) => setTimeout(r, 20));
    expectDeclined(await env.channel.pay(payRequest(env, code)), 'CHN_PAYCODE_INVALID', 'ACQ.PAYMENT_AUTH_CODE_INVALID');
  }),
  sim('pay with a code that was already used: rescan', async (env) => {
    const code = await env.sim.code();
    await env.channel.pay(payRequest(env, code));
    const again = await env.channel.pay(payRequest(env, code));
    expectDeclined(again, 'CHN_PAYCODE_INVALID', 'ACQ.PAYMENT_AUTH_CODE_INVALID');
    expect(again).toMatchObject({ decline: { action: 'rescan' } });
  }),
  sim('pay with a code Alipay never issued: rescan', async (env) => {
    expectDeclined(await env.channel.pay(payRequest(env, '289999999999999999')), 'CHN_PAYCODE_INVALID', 'ACQ.PAYMENT_AUTH_CODE_INVALID');
  }),
  ...([
    ['a low balance', { balance: '1.00' }, 'CHN_BUYER_BALANCE_INSUFFICIENT', 'ACQ.BUYER_BALANCE_NOT_ENOUGH'],
    ['risk control', { riskFlag: true }, 'CHN_BUYER_RISK_REJECTED', 'ACQ.PAYMENT_REQUEST_HAS_RISK'],
    ['the payment switch off', { paymentSwitchOff: true }, 'CHN_BUYER_PAYMENT_SWITCH_OFF', 'ACQ.MOBILE_PAYMENT_SWITCH_OFF'],
    ['a low real-name level', { certifyLevelLow: true }, 'CHN_BUYER_ACCOUNT_RESTRICTED', 'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT'],
    ['balance payment off', { balancePaymentDisabled: true }, 'CHN_BUYER_PAYMENT_SWITCH_OFF', 'ACQ.ERROR_BALANCE_PAYMENT_DISABLE'],
    ['a daily limit reached', { dailyLimit: '5.00' }, 'CHN_BUYER_LIMIT_EXCEEDED', 'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR'],
  ] as const).map(([label, buyer, code, subCode]) =>
    sim(`pay by a buyer with ${label}: ${subCode}, another method`, async (env) => {
      const buyerId = await env.sim.buyer(buyer);
      const result = await env.channel.pay(payRequest(env, await env.sim.code({ buyerId })));
      expectDeclined(result, code, subCode);
      expect(result).toMatchObject({ decline: { action: 'other_method' } });
    })),
  sim('pay again on a paid order number: unknown (TRADE_HAS_SUCCESS means query it), and query says paid', async (env) => {
    const outTradeNo = await paidOrder(env);
    expect(await env.channel.pay(payRequest(env, await env.sim.code(), { outTradeNo }))).toMatchObject({ kind: 'unknown' });
    expect(await env.channel.query({ outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'paid' });
  }),
  sim('pay again on an order number with another amount: CONTEXT_INCONSISTENT, new order', async (env) => {
    const outTradeNo = await waitingOrder(env);
    const result = await env.channel.pay(payRequest(env, await env.sim.code(), { outTradeNo, amountFen: 999 }));
    expectDeclined(result, 'CHN_ORDER_CONFLICT', 'ACQ.CONTEXT_INCONSISTENT');
    expect(result).toMatchObject({ decline: { action: 'new_order' } });
  }),
  sim('pay on an order number that was cancelled before it arrived: TRADE_HAS_CLOSE', async (env) => {
    const outTradeNo = env.orderNo();
    expect(await env.channel.cancel({ outTradeNo, merchant: env.merchant })).toMatchObject({ kind: 'cancelled', effect: 'none' });
    expectDeclined(await env.channel.pay(payRequest(env, await env.sim.code(), { outTradeNo })), 'CHN_ORDER_CONFLICT', 'ACQ.TRADE_HAS_CLOSE');
  }),
];

const merchantSide: Scenario[] = [
  ...([
    ['frozen', { status: 'frozen' }, 'CHN_MERCHANT_FROZEN', 'ACQ.SELLER_BEEN_BLOCKED'],
    ['closed', { status: 'closed' }, 'CHN_MERCHANT_CONTRACT_INVALID', 'ACQ.MERCHANT_STATUS_NOT_NORMAL'],
    ['without 当面付 signed', { faceToFaceSigned: false }, 'CHN_PRODUCT_NOT_SIGNED', 'isv.insufficient-isv-permissions'],
    ['whose app is offline', { appOnline: false }, 'CHN_PRODUCT_NOT_SIGNED', 'isv.insufficient-isv-permissions'],
    ['with an expired contract', { contractExpired: true }, 'CHN_PRODUCT_NOT_SIGNED', 'ACQ.ACCESS_FORBIDDEN'],
    ['over its per-receipt limit', { perReceiptLimit: '1.00' }, 'CHN_MERCHANT_LIMIT_EXCEEDED', 'ACQ.BEYOND_PAY_RESTRICTION'],
  ] as const).map(([label, merchant, code, subCode]) =>
    sim(`pay for a merchant ${label}: ${subCode}`, async (env) => {
      const { appId } = await env.sim.newApp({ merchant });
      expectDeclined(await env.sim.channel({ appId }).pay(payRequest(env, await env.sim.code())), code, subCode);
    })),
  sim('pay signed with the wrong app key: isv.invalid-signature, stop', async (env) => {
    const wrong = env.sim.channel({ privateKey: new Secret(sharedKeys().alipay.privatePkcs8Pem) });
    const result = await wrong.pay(payRequest(env, await env.sim.code()));
    expectDeclined(result, 'CHN_SIGNATURE_CONFIG', 'isv.invalid-signature');
    expect(result).toMatchObject({ decline: { action: 'stop', rawMessage: expect.not.stringMatching(/"auth_code":"\d/) } });
  }),
  sim('pay from an app id the gateway does not know: isv.invalid-app-id', async (env) => {
    expectDeclined(await env.sim.channel({ appId: '2099999999999999' }).pay(payRequest(env, await env.sim.code())), 'CHN_APP_CONFIG', 'isv.invalid-app-id');
  }),
  sim('pay from a server whose clock is an hour off: isv.invalid-timestamp', async (env) => {
    const skewed = env.sim.channel({ now: () => new Date(Date.now() - 3_600_000) });
    expectDeclined(await skewed.pay(payRequest(env, await env.sim.code())), 'CHN_CLOCK_REJECTED', 'isv.invalid-timestamp');
  }),
  {
    name: 'pay signed RSA for an RSA2 app: isv.missing-signature-config',
    needs: 'simulator',
    sdkDifference: 'sdk-rsa-verifies-sha1-only',
    run: async (env: SimEnv) => {
      const req = payRequest(env, await env.sim.code());
      const result = await env.sim.channel({ signType: 'RSA' }).pay(req);
      expect(await lastCall(env, 'alipay.trade.pay')).toMatchObject({ code: '40002', subCode: 'isv.missing-signature-config' });
      if (env.client === 'alipay-sdk') expect(result).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
      else expectDeclined(result, 'CHN_SIGNATURE_CONFIG', 'isv.missing-signature-config');
    },
  },
];

/** Installs the simulator's named scenario for `subCode` on the next pay; returns the code it answers with. */
async function namedScenario(env: SimEnv, subCode: string): Promise<string> {
  const { installed } = await env.sim.admin<{ installed: { code: string } }>('POST', `/__sim/scenarios/${subCode}`, { method: 'alipay.trade.pay' });
  return installed.code;
}

/**
 * Every sub_code of the brief’s §3, as the simulator's named scenario (`POST /__sim/scenarios/<sub_code>`)
 * answers it to a pay, through the whole client: each row of the error map is reachable end to end.
 */
const subCodes: Scenario[] = [
  ...DECLINE_RULES.filter((r) => r.api === undefined || r.api === 'pay').map((rule) => {
    const subCode = rule.subCode.endsWith('*') ? `${rule.subCode.slice(0, -1)}not-valid-encrypt-key` : rule.subCode;
    return sim(`pay answered ${subCode} (named simulator scenario)`, async (env) => {
      const code = await namedScenario(env, subCode);
      expect(rule.rawCodes).toContain(code);
      const result = await env.channel.pay(payRequest(env, await env.sim.code()));
      if (subCode === 'ACQ.TRADE_HAS_SUCCESS') expect(result).toMatchObject({ kind: 'unknown' });
      else expect(result).toMatchObject({ kind: 'declined', decline: { code: rule.code, cause: rule.cause, action: rule.action, rawCode: code, rawSubCode: subCode } });
    });
  }),
  ...UNKNOWN_SUB_CODES.map((subCode) =>
    sim(`pay answered ${subCode} (named simulator scenario): unknown`, async (env) => {
      await namedScenario(env, subCode);
      expect(await env.channel.pay(payRequest(env, await env.sim.code()))).toMatchObject({ kind: 'unknown', reason: 'system_error' });
    })),
  sim('pay answered 40004 aop.ACQ.SYSTEM_ERROR: unknown', async (env) => {
    await env.sim.fault({ kind: 'sub_code', method: 'alipay.trade.pay', code: '40004', subCode: 'aop.ACQ.SYSTEM_ERROR' });
    expect(await env.channel.pay(payRequest(env, await env.sim.code()))).toMatchObject({ kind: 'unknown', reason: 'system_error' });
  }),
];

const anywhere: Scenario[] = [
  {
    name: 'pay with a code nobody issued is refused as an invalid code (works on the sandbox too)',
    needs: 'any',
    run: async (env) => {
      const result = await env.channel.pay(payRequest(env, '281234567890123456'));
      expect(result).toMatchObject({ kind: 'declined', decline: { code: 'CHN_PAYCODE_INVALID' } });
    },
  },
];

export const PAY_SCENARIOS: Scenario[] = [...basics, ...buyerSide, ...merchantSide, ...subCodes, ...anywhere];
