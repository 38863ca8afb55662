// What a method handler returns, and small helpers to build the common answers.
import { CODE_MSG, SUB_CODES, subCodeMsg } from './codes.ts';
import type { App, Trade } from './model.ts';
import type { Notifier } from './notifier.ts';
import type { ActiveRule } from './faults.ts';
import type { Sim } from './sim.ts';

export interface Reply {
  code: string;
  msg?: string;
  subCode?: string;
  subMsg?: string;
  fields?: Record<string, unknown>;
}

export interface CallContext {
  sim: Sim;
  notifier: Notifier;
  method: string;
  /** The calling app (an ISV's app under app_auth_token). */
  app: App;
  /** Whose money moves: the app itself, or the merchant the ISV acts for. */
  merchant: App;
  params: Record<string, string>;
  biz: Record<string, unknown>;
  fault?: ActiveRule;
}

export type Handler = (c: CallContext) => Reply;

export function ok(fields: Record<string, unknown>): Reply {
  return { code: '10000', fields };
}

export function fail(subCode: string, subMsg?: string, fields?: Record<string, unknown>, code?: string): Reply {
  return { code: code ?? codeOf(subCode), subCode, subMsg: subMsg ?? subCodeMsg(subCode), ...(fields ? { fields } : {}) };
}

function codeOf(subCode: string): string {
  // The catalogue (brief §3) first: e.g. isv.missing-signature-config is 40002, not 40001.
  const known = SUB_CODES[subCode]?.code;
  if (known) return known;
  if (subCode.startsWith('isv.missing')) return '40001';
  if (subCode.startsWith('isv.insufficient')) return '40006';
  if (subCode.startsWith('aop.') && subCode !== 'aop.unknow-error') return '20001';
  if (subCode === 'isp.unknow-error' || subCode === 'aop.unknow-error') return '20000';
  if (subCode.startsWith('isv.')) return '40002';
  return '40004';
}

export function invalid(subMsg: string): Reply {
  return fail('ACQ.INVALID_PARAMETER', subMsg);
}

/** The answer body: code, msg, sub_code, sub_msg, then the business fields sorted by name. */
export function replyObject(reply: Reply): Record<string, unknown> {
  const out: Record<string, unknown> = { code: reply.code, msg: reply.msg ?? CODE_MSG[reply.code] ?? 'Business Failed' };
  if (reply.subCode) out.sub_code = reply.subCode;
  if (reply.subCode) out.sub_msg = reply.subMsg ?? subCodeMsg(reply.subCode);
  const fields = reply.fields ?? {};
  for (const key of Object.keys(fields).sort()) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Finds the trade named by trade_no (wins) or out_trade_no for this merchant. */
export function findTrade(c: CallContext): { trade?: Trade; outTradeNo?: string; error?: Reply } {
  const tradeNo = str(c.biz.trade_no);
  const outTradeNo = str(c.biz.out_trade_no);
  if (!tradeNo && !outTradeNo) return { error: invalid('out_trade_no 和 trade_no 不能同时为空') };
  const store = c.sim.store;
  if (tradeNo) {
    const key = store.tradeNoIndex.get(tradeNo);
    const trade = key ? store.trades.get(key) : undefined;
    return { trade: trade?.sellerId === c.merchant.sellerId ? trade : undefined, outTradeNo };
  }
  return { trade: store.trades.get(`${c.merchant.sellerId}:${outTradeNo}`), outTradeNo };
}
