/**
 * Bad input at the channel edge is refused with our error codes before anything is signed or
 * sent, for both clients: the simulator's own call log (`GET /__sim/calls`) stays empty.
 * The rules live in validate.ts (and are listed in docs/channels/alipay.md).
 */
import { Secret } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayRequest, PrecreateRequest, RefundRequest } from '../channel.ts';
import type { AlipayChannel } from './channel-core.ts';
import { simulatorEnv, startConformanceSimulator, type ClientName, type SimEnv } from './conformance/env.ts';

const CODE = '287634438256643946';
const pay = (over: Partial<PayRequest>): PayRequest => ({
  outTradeNo: 'EDGE_1', authCode: new Secret(CODE), amountFen: 1234, subject: '咖啡', storeId: 'STORE_1', terminalId: 'POS_1', merchant: {}, ...over,
});
const precreate = (over: Partial<PrecreateRequest>): PrecreateRequest => ({ outTradeNo: 'EDGE_2', amountFen: 1234, subject: '咖啡', merchant: {}, ...over });
const refund = (over: Partial<RefundRequest>): RefundRequest => ({ outTradeNo: 'EDGE_3', outRequestNo: 'R1', amountFen: 100, merchant: {}, ...over });
const without = <T extends object>(req: T, key: keyof T): T => {
  const copy = { ...req };
  delete copy[key];
  return copy;
};

type Case = [name: string, call: (c: AlipayChannel) => Promise<unknown>, code: string, param: string];

const CASES: Case[] = [
  // amounts (integer fen inside; 0.01–100,000,000.00 yuan)
  ['pay of 0 fen', (c) => c.pay(pay({ amountFen: 0 })), 'REQ_AMOUNT_OUT_OF_RANGE', 'amountFen'],
  ['pay of a negative amount', (c) => c.pay(pay({ amountFen: -100 })), 'REQ_AMOUNT_OUT_OF_RANGE', 'amountFen'],
  ['pay over 100,000,000.00 yuan', (c) => c.pay(pay({ amountFen: 10_000_000_001 })), 'REQ_AMOUNT_OUT_OF_RANGE', 'amountFen'],
  ['pay of a fractional fen', (c) => c.pay(pay({ amountFen: 12.5 })), 'REQ_AMOUNT_INVALID', 'amountFen'],
  ['pay of NaN', (c) => c.pay(pay({ amountFen: Number.NaN })), 'REQ_AMOUNT_INVALID', 'amountFen'],
  ['pay of Infinity', (c) => c.pay(pay({ amountFen: Number.POSITIVE_INFINITY })), 'REQ_AMOUNT_INVALID', 'amountFen'],
  ['pay of a yuan string from an untyped caller', (c) => c.pay(pay({ amountFen: '12.34' as unknown as number })), 'REQ_AMOUNT_INVALID', 'amountFen'],
  ['precreate of 0 fen', (c) => c.precreate(precreate({ amountFen: 0 })), 'REQ_AMOUNT_OUT_OF_RANGE', 'amountFen'],
  ['refund of a fractional fen', (c) => c.refund(refund({ amountFen: 0.5 })), 'REQ_AMOUNT_INVALID', 'amountFen'],
  ['refund over the maximum', (c) => c.refund(refund({ amountFen: 10_000_000_001 })), 'REQ_AMOUNT_OUT_OF_RANGE', 'amountFen'],
  // subjects (1–256 characters; no / = & or control characters)
  ['a 257-character subject', (c) => c.pay(pay({ subject: '好'.repeat(257) })), 'REQ_SUBJECT_INVALID', 'subject'],
  ['an empty subject', (c) => c.pay(pay({ subject: '' })), 'REQ_SUBJECT_INVALID', 'subject'],
  ['a blank subject', (c) => c.pay(pay({ subject: '   ' })), 'REQ_SUBJECT_INVALID', 'subject'],
  ['a / in the subject', (c) => c.pay(pay({ subject: '咖啡/茶' })), 'REQ_SUBJECT_INVALID', 'subject'],
  ['an = in the subject', (c) => c.pay(pay({ subject: 'a=b' })), 'REQ_SUBJECT_INVALID', 'subject'],
  ['an & in the subject', (c) => c.precreate(precreate({ subject: '咖啡&茶' })), 'REQ_SUBJECT_INVALID', 'subject'],
  ['a line break in the subject', (c) => c.pay(pay({ subject: '咖啡\n茶' })), 'REQ_SUBJECT_INVALID', 'subject'],
  ['a NUL in the subject', (c) => c.pay(pay({ subject: '咖啡\u0000' })), 'REQ_SUBJECT_INVALID', 'subject'],
  // store and terminal ids (required on pay; ≤ 32 printable ASCII)
  ['pay without a store id', (c) => c.pay(without(pay({}), 'storeId')), 'REQ_VALIDATION', 'storeId'],
  ['pay without a terminal id', (c) => c.pay(without(pay({}), 'terminalId')), 'REQ_VALIDATION', 'terminalId'],
  ['pay with an empty store id', (c) => c.pay(pay({ storeId: '' })), 'REQ_VALIDATION', 'storeId'],
  ['pay with a space in the terminal id', (c) => c.pay(pay({ terminalId: 'POS 1' })), 'REQ_VALIDATION', 'terminalId'],
  ['pay with a 33-character store id', (c) => c.pay(pay({ storeId: 'S'.repeat(33) })), 'REQ_VALIDATION', 'storeId'],
  ['pay with a Chinese terminal id', (c) => c.pay(pay({ terminalId: '一号机' })), 'REQ_VALIDATION', 'terminalId'],
  ['precreate with a 33-character terminal id', (c) => c.precreate(precreate({ terminalId: 'T'.repeat(33) })), 'REQ_VALIDATION', 'terminalId'],
  ['pay with a 33-character operator id', (c) => c.pay(pay({ operatorId: 'O'.repeat(33) })), 'REQ_VALIDATION', 'operatorId'],
  // order numbers (1–64 of A–Z a–z 0–9 _)
  ['an order number with a hyphen', (c) => c.pay(pay({ outTradeNo: 'T-1' })), 'REQ_VALIDATION', 'outTradeNo'],
  ['a 65-character order number', (c) => c.query({ outTradeNo: 'A'.repeat(65), merchant: {} }), 'REQ_VALIDATION', 'outTradeNo'],
  ['an empty order number', (c) => c.cancel({ outTradeNo: '', merchant: {} }), 'REQ_VALIDATION', 'outTradeNo'],
  ['a Chinese order number', (c) => c.close({ outTradeNo: '订单1', merchant: {} }), 'REQ_VALIDATION', 'outTradeNo'],
  ['a refund request number with a space', (c) => c.refund(refund({ outRequestNo: 'R 1' })), 'REQ_VALIDATION', 'outRequestNo'],
  ['a refund query request number with a slash', (c) => c.refundQuery(refund({ outRequestNo: 'R/1' })), 'REQ_VALIDATION', 'outRequestNo'],
  ['a refund reason with a control character', (c) => c.refund(refund({ reason: '退货\u0007' })), 'REQ_VALIDATION', 'reason'],
  // payment code, timeout, notify URL
  ['an empty payment code', (c) => c.pay(pay({ authCode: new Secret('') })), 'REQ_VALIDATION', 'authCode'],
  ['a payment code with a space', (c) => c.pay(pay({ authCode: new Secret('2876 34438256643946') })), 'REQ_VALIDATION', 'authCode'],
  ['a 65-character payment code', (c) => c.pay(pay({ authCode: new Secret('2'.repeat(65)) })), 'REQ_VALIDATION', 'authCode'],
  ['a timeout of 0 minutes', (c) => c.pay(pay({ timeoutMinutes: 0 })), 'REQ_VALIDATION', 'timeoutMinutes'],
  ['a timeout over 15 days', (c) => c.precreate(precreate({ timeoutMinutes: 21_601 })), 'REQ_VALIDATION', 'timeoutMinutes'],
  ['a notify URL that is not http(s)', (c) => c.pay(pay({ notifyUrl: 'ftp://127.0.0.1/n' })), 'REQ_VALIDATION', 'notifyUrl'],
  // bills
  ['a bill for month 13', (c) => c.billDownloadUrl({ type: 'trade', period: '2026-13', merchant: {} }), 'REQ_VALIDATION', 'period'],
  ['a bill for 30 February', (c) => c.billDownloadUrl({ type: 'trade', period: '2026-02-30', merchant: {} }), 'REQ_VALIDATION', 'period'],
  ['a bill of an unknown type', (c) => c.billDownloadUrl({ type: 'fund' as 'funds', period: '2026-11-27', merchant: {} }), 'REQ_VALIDATION', 'type'],
];

const CLIENT_NAMES: ClientName[] = ['scanpay', 'alipay-sdk'];

describe.each(CLIENT_NAMES)('the channel edge (%s)', (client) => {
  let stop: () => Promise<void>;
  let env: SimEnv;
  const sent = async () => (await env.sim.admin<{ total: number }>('GET', '/__sim/calls')).total;

  beforeAll(async () => {
    const started = await startConformanceSimulator(1);
    stop = started.stop;
    env = await simulatorEnv(started.simulator, client);
  });
  afterAll(async () => {
    await env?.sim.sink.close();
    await stop?.();
  });

  it.each(CASES)('refuses %s before sending', async (_name, call, code, param) => {
    const error = await call(env.channel).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, param });
    expect(await sent()).toBe(0);
  });

  it('lets a valid pay through (so the empty call log above means something)', async () => {
    const result = await env.channel.pay(pay({ authCode: new Secret(await env.sim.code()), outTradeNo: env.orderNo() }));
    expect(result).toMatchObject({ kind: 'succeeded' });
    expect(await sent()).toBe(1);
  });
});
