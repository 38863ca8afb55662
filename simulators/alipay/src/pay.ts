// alipay.trade.pay (barcode) and alipay.trade.precreate (merchant-presented QR).
import { isWellFormedAlipayCode, newQrCode, newTradeNo } from './ids.ts';
import { buyerRefusal, commitWithNotifications, payTrade } from './lifecycle.ts';
import type { Buyer, PaymentCode, Trade } from './model.ts';
import { tradeKey } from './model.ts';
import { fail, invalid, ok, str, type CallContext, type Reply } from './reply.ts';
import type { Put } from './store.ts';
import { beijingTime, parseTradeAmount, parseYuan, yuan } from './wire.ts';

const OUT_TRADE_NO = /^[A-Za-z0-9_\-.]{1,64}$/;
const SCENES = ['bar_code', 'security_code', 'wave_code'];

/** Pay answer fields for a trade (amounts are zero until paid). */
export function payFields(c: CallContext, trade: Trade): Record<string, unknown> {
  const buyer = trade.buyerId ? c.sim.store.buyers.get(trade.buyerId) : undefined;
  const paid = trade.paidAt !== undefined;
  const amount = paid ? yuan(trade.totalFen) : '0.00';
  return {
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    buyer_logon_id: buyer?.logonId,
    buyer_user_id: trade.buyerId,
    total_amount: yuan(trade.totalFen),
    receipt_amount: amount,
    buyer_pay_amount: amount,
    invoice_amount: amount,
    point_amount: '0.00',
    gmt_payment: paid ? beijingTime(trade.paidAt!) : undefined,
    fund_bill_list: paid ? [{ amount, fund_channel: 'ALIPAYACCOUNT' }] : undefined,
    store_name: trade.storeId ? `门店${trade.storeId}` : undefined,
  };
}

function zeroFields(outTradeNo: string): Record<string, unknown> {
  return { out_trade_no: outTradeNo, receipt_amount: '0.00', buyer_pay_amount: '0.00', invoice_amount: '0.00', point_amount: '0.00' };
}

/** Parses timeout_express (`90m`, `2h`, `1d`, `1c`) into simulated ms. */
export function parseTimeoutExpress(value: unknown, now: number): number | undefined | 'invalid' {
  const text = str(value);
  if (text === undefined) return undefined;
  if (text === '1c') {
    const beijingMidnight = Math.ceil((now + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000;
    return beijingMidnight - now;
  }
  const m = /^([1-9]\d*)([mhd])$/.exec(text);
  if (!m) return 'invalid';
  const ms = Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  return ms > 15 * 86_400_000 ? 'invalid' : ms;
}

/** Amount: total_amount, or discountable + undiscountable when total is absent; both must agree. */
function totalOf(biz: Record<string, unknown>): number | Reply {
  const total = biz.total_amount === undefined ? undefined : parseTradeAmount(biz.total_amount);
  if (biz.total_amount !== undefined && total === undefined) return invalid('total_amount 格式错误或超出范围 [0.01, 100000000]');
  const parts = [biz.discountable_amount, biz.undiscountable_amount];
  if (parts.every((p) => p !== undefined)) {
    const [d, u] = parts.map(parseYuan);
    if (d === undefined || u === undefined) return invalid('discountable_amount/undiscountable_amount 格式错误');
    if (total !== undefined && total !== d + u) return invalid('total_amount 不等于 discountable_amount 与 undiscountable_amount 之和');
    if (total === undefined) return parseTradeAmount(yuan(d + u)) ?? invalid('金额超出范围');
  }
  return total ?? invalid('total_amount 不能为空');
}

/** Resolves an auth code to its buyer; unknown, used, expired or malformed codes are refused. */
function resolveCode(c: CallContext, authCode: string): { code?: PaymentCode; buyer?: Buyer } {
  if (!isWellFormedAlipayCode(authCode)) return {};
  const code = c.sim.store.codes.get(authCode);
  if (!code || code.usedAt !== undefined || code.expiresAt < Date.now()) return {};
  return { code, buyer: c.sim.store.buyers.get(code.buyerId) };
}

function useCode(code: PaymentCode): Put {
  return ['code', code.code, { ...code, usedAt: Date.now() }];
}

export function pay(c: CallContext): Reply {
  const { biz, sim } = c;
  const outTradeNo = str(biz.out_trade_no);
  if (!outTradeNo || !OUT_TRADE_NO.test(outTradeNo)) return invalid('out_trade_no 为空或格式错误');
  const scene = str(biz.scene);
  if (!scene || !SCENES.includes(scene)) return invalid('scene 只能为 bar_code、security_code');
  const authCode = str(biz.auth_code);
  if (!authCode) return invalid('auth_code 不能为空');
  const subject = str(biz.subject);
  if (!subject || subject.length > 256) return invalid('subject 为空或过长');
  const total = totalOf(biz);
  if (typeof total !== 'number') return total;
  const now = Date.now();
  const timeout = parseTimeoutExpress(biz.timeout_express, now);
  if (timeout === 'invalid') return invalid('timeout_express 格式错误');
  const sellerId = str(biz.seller_id);
  if (sellerId && sellerId !== c.merchant.sellerId) return fail('ACQ.PARTNER_ERROR');

  const key = tradeKey(c.merchant.sellerId, outTradeNo);
  const existing = sim.store.trades.get(key);
  if (existing) return payExisting(c, existing, authCode, total, subject);

  const limit = c.merchant.merchant.perReceiptLimitFen;
  if (limit !== undefined && total > limit) return fail('ACQ.BEYOND_PAY_RESTRICTION', undefined, zeroFields(outTradeNo));
  const { code, buyer } = resolveCode(c, authCode);
  if (!code || !buyer) return fail('ACQ.PAYMENT_AUTH_CODE_INVALID', undefined, zeroFields(outTradeNo));
  if (buyer.buyerId === c.merchant.sellerId) {
    sim.commit(useCode(code));
    return fail('ACQ.BUYER_SELLER_EQUAL', undefined, zeroFields(outTradeNo));
  }
  const refusal = buyerRefusal(buyer, total, now);
  if (refusal) {
    sim.commit(useCode(code));
    return fail(refusal, undefined, zeroFields(outTradeNo));
  }

  const trade: Trade = {
    key, kind: 'trade', appId: c.app.appId, authAppId: c.merchant.appId, sellerId: c.merchant.sellerId,
    outTradeNo, tradeNo: newTradeNo(sim.idRng, sim.store.nextSeq(), now), status: 'WAIT_BUYER_PAY',
    scene: scene as Trade['scene'], totalFen: total, subject, body: str(biz.body), storeId: str(biz.store_id),
    terminalId: str(biz.terminal_id), operatorId: str(biz.operator_id), buyerId: buyer.buyerId, authCode,
    notifyUrl: c.params.notify_url || undefined, createdAt: now, refunds: [], refundedFen: 0,
  };
  const waitFault = c.fault?.kind === 'wait_buyer' ? c.fault : undefined;
  if (waitFault || total > buyer.passwordThresholdFen) {
    const confirmAfter = waitFault?.confirmAfterMs;
    const waiting: Trade = {
      ...trade,
      autoCloseAt: now + sim.scaled(timeout ?? sim.config.autoCloseMs),
      ...(typeof confirmAfter === 'number' ? { confirmAt: now + sim.scaled(confirmAfter) } : {}),
    };
    sim.commit(useCode(code), ['trade', key, waiting]);
    return { code: '10003', fields: payFields(c, waiting) };
  }
  const paid = payTrade(sim, c.notifier, trade, buyer, c.method, [useCode(code)]);
  return ok(payFields(c, paid));
}

function payExisting(c: CallContext, trade: Trade, authCode: string, total: number, subject: string): Reply {
  const ids = { out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo };
  if (trade.kind === 'tombstone' || trade.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE', undefined, ids);
  if (trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED') return fail('ACQ.TRADE_HAS_SUCCESS', undefined, ids);
  if (trade.kind !== 'trade' || trade.totalFen !== total || trade.subject !== subject) {
    return fail('ACQ.CONTEXT_INCONSISTENT', undefined, { out_trade_no: trade.outTradeNo });
  }
  // Still WAIT_BUYER_PAY: the same request again, or a fresh code from someone.
  if (authCode === trade.authCode) return { code: '10003', fields: payFields(c, trade) };
  const { code, buyer } = resolveCode(c, authCode);
  if (!code || !buyer) return fail('ACQ.PAYMENT_AUTH_CODE_INVALID', undefined, zeroFields(trade.outTradeNo));
  c.sim.commit(useCode(code));
  if (buyer.buyerId !== trade.buyerId) return fail('ACQ.TRADE_BUYER_NOT_MATCH', undefined, ids);
  return { code: '10003', fields: payFields(c, trade) };
}

export function precreate(c: CallContext): Reply {
  const { biz, sim } = c;
  const outTradeNo = str(biz.out_trade_no);
  if (!outTradeNo || !OUT_TRADE_NO.test(outTradeNo)) return invalid('out_trade_no 为空或格式错误');
  const subject = str(biz.subject);
  if (!subject || subject.length > 256) return invalid('subject 为空或过长');
  const total = totalOf(biz);
  if (typeof total !== 'number') return total;
  const now = Date.now();
  const timeout = parseTimeoutExpress(biz.timeout_express ?? biz.qr_code_timeout_express, now);
  if (timeout === 'invalid') return invalid('timeout_express 格式错误');

  const key = tradeKey(c.merchant.sellerId, outTradeNo);
  const existing = sim.store.trades.get(key);
  if (existing) {
    if (existing.kind === 'tombstone' || existing.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE');
    if (existing.paidAt !== undefined) return fail('ACQ.TRADE_HAS_SUCCESS');
    if (existing.scene !== 'precreate' || existing.totalFen !== total || existing.subject !== subject) return fail('ACQ.CONTEXT_INCONSISTENT');
    return ok({ out_trade_no: outTradeNo, qr_code: existing.qrCode });
  }
  const trade: Trade = {
    key, kind: 'precreated', appId: c.app.appId, authAppId: c.merchant.appId, sellerId: c.merchant.sellerId,
    outTradeNo, status: 'WAIT_BUYER_PAY', scene: 'precreate', totalFen: total, subject, body: str(biz.body),
    storeId: str(biz.store_id), terminalId: str(biz.terminal_id), operatorId: str(biz.operator_id),
    notifyUrl: c.params.notify_url || undefined, qrCode: newQrCode(sim.idRng),
    qrExpiresAt: now + sim.scaled(timeout ?? sim.config.precreateQrTtlMs), createdAt: now, refunds: [], refundedFen: 0,
  };
  commitWithNotifications(sim, c.notifier, [['trade', key, trade]]);
  return ok({ out_trade_no: outTradeNo, qr_code: trade.qrCode });
}
