/**
 * Wire shapes: biz_content builders and response readers. Alipay field names live here and in
 * the files beside it, never outside this folder. Amounts go out as 2-decimal yuan strings and
 * come back to integer fen; a paid answer whose amount does not parse is `unknown`, because the
 * platform must check the amount before it believes the payment.
 */
import { formatYuan, parseChannelYuan } from '@scanpay/money';
import type {
  BillRequest,
  BillUrlResult,
  CancelResult,
  ChannelUnknown,
  CloseResult,
  NotificationCheck,
  PaidTrade,
  PayRequest,
  PayResult,
  PrecreateRequest,
  PrecreateResult,
  QueryResult,
  RefundQueryResult,
  RefundRequest,
  RefundResult,
  TradeRef,
} from '../channel.ts';
import type { GatewayAnswer, GatewayResult } from './client.ts';
import { mapGatewayError, type AlipayApi } from './error-map.ts';
import { parseBeijingTimestamp } from './signing.ts';
import { isAlipayTradeStatus, tradeState } from './status-map.ts';

export const METHODS: Record<AlipayApi, string> = {
  pay: 'alipay.trade.pay',
  query: 'alipay.trade.query',
  cancel: 'alipay.trade.cancel',
  close: 'alipay.trade.close',
  refund: 'alipay.trade.refund',
  refund_query: 'alipay.trade.fastpay.refund.query',
  precreate: 'alipay.trade.precreate',
  bill: 'alipay.data.dataservice.bill.downloadurl.query',
};

// ── biz_content builders ───────────────────────────────────────────────────────────────────

interface OrderExtras {
  sysServiceProviderId?: string | undefined;
}

function orderFields(req: PayRequest | PrecreateRequest, extras: OrderExtras): Record<string, unknown> {
  return {
    out_trade_no: req.outTradeNo,
    total_amount: formatYuan(req.amountFen),
    subject: req.subject,
    product_code: 'FACE_TO_FACE_PAYMENT',
    store_id: req.storeId,
    terminal_id: req.terminalId,
    operator_id: req.operatorId,
    timeout_express: req.timeoutMinutes === undefined ? undefined : `${req.timeoutMinutes}m`,
    // Service-provider mode: who brought the merchant in (for the ISV's commission).
    extend_params: extras.sysServiceProviderId ? { sys_service_provider_id: extras.sysServiceProviderId } : undefined,
  };
}

export function payBizContent(req: PayRequest, extras: OrderExtras): Record<string, unknown> {
  return { ...orderFields(req, extras), scene: 'bar_code', auth_code: req.authCode.reveal() };
}

export function precreateBizContent(req: PrecreateRequest, extras: OrderExtras): Record<string, unknown> {
  return orderFields(req, extras);
}

export function tradeBizContent(ref: TradeRef): Record<string, unknown> {
  return { out_trade_no: ref.outTradeNo };
}

export function refundBizContent(req: RefundRequest): Record<string, unknown> {
  return {
    out_trade_no: req.outTradeNo,
    refund_amount: formatYuan(req.amountFen),
    out_request_no: req.outRequestNo, // always sent, so a retry is idempotent even for a full refund
    refund_reason: req.reason,
  };
}

export function refundQueryBizContent(req: RefundRequest): Record<string, unknown> {
  return { out_trade_no: req.outTradeNo, out_request_no: req.outRequestNo, query_options: ['gmt_refund_pay'] };
}

export function billBizContent(req: BillRequest): Record<string, unknown> {
  return { bill_type: req.type === 'trade' ? 'trade' : 'signcustomer', bill_date: req.period };
}

// ── response readers ───────────────────────────────────────────────────────────────────────

function text(node: Record<string, unknown>, key: string): string | undefined {
  const value = node[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function subCodeOf(node: Record<string, unknown>): string | undefined {
  return text(node, 'sub_code');
}

/** Every non-success code goes through the error map; unsigned refusals are only trusted where safe. */
function refusal(api: AlipayApi, answer: GatewayAnswer, trustUnsigned: boolean) {
  const mapped = mapGatewayError(api, {
    code: answer.code,
    subCode: subCodeOf(answer.node),
    message: text(answer.node, 'sub_msg') ?? text(answer.node, 'msg'),
  });
  if (mapped.kind === 'declined' && !answer.signed && !trustUnsigned) {
    return unknown('bad_signature', `${METHODS[api]}: unsigned error ${answer.code} ${mapped.decline.rawSubCode ?? ''} not trusted`);
  }
  return mapped.kind === 'declined' ? { kind: 'declined' as const, decline: mapped.decline } : mapped;
}

function unknown(reason: ChannelUnknown['reason'], detail: string): ChannelUnknown {
  return { kind: 'unknown', reason, detail };
}

function isNotFound(answer: GatewayAnswer): boolean {
  return answer.code === '40004' && subCodeOf(answer.node) === 'ACQ.TRADE_NOT_EXIST';
}

/** A different out_trade_no in the answer means it is not about our trade: do not believe it. */
function otherTrade(answer: GatewayAnswer, outTradeNo: string): ChannelUnknown | undefined {
  const echoed = text(answer.node, 'out_trade_no');
  return echoed !== undefined && echoed !== outTradeNo
    ? unknown('unparsable', `answer names out_trade_no ${echoed}, expected ${outTradeNo}`)
    : undefined;
}

function paidTrade(node: Record<string, unknown>, when: 'gmt_payment' | 'send_pay_date'): PaidTrade | ChannelUnknown {
  const tradeNo = text(node, 'trade_no');
  const amount = text(node, 'total_amount');
  const amountFen = amount === undefined ? null : parseChannelYuan(amount);
  if (tradeNo === undefined || amountFen === null) {
    return unknown('unparsable', 'paid answer without trade_no or a readable total_amount');
  }
  const paid: PaidTrade = { tradeNo, amountFen };
  const buyerId = text(node, 'buyer_user_id') ?? text(node, 'buyer_id');
  const buyerLogonId = text(node, 'buyer_logon_id');
  const paidAt = parseBeijingTimestamp(text(node, when));
  if (buyerId !== undefined) paid.buyerId = buyerId;
  if (buyerLogonId !== undefined) paid.buyerLogonId = buyerLogonId;
  if (paidAt !== undefined) paid.paidAt = paidAt;
  return paid;
}

export function toPayResult(result: GatewayResult, outTradeNo: string): PayResult {
  if (result.kind === 'unknown') return result;
  const mismatch = otherTrade(result, outTradeNo);
  if (mismatch) return mismatch;
  if (result.code === '10000') {
    const paid = paidTrade(result.node, 'gmt_payment');
    return 'kind' in paid ? paid : { kind: 'succeeded', ...paid };
  }
  if (result.code === '10003') {
    // Created, the buyer is confirming on the phone: poll with query (brief §2.2).
    const tradeNo = text(result.node, 'trade_no');
    return tradeNo === undefined ? { kind: 'waiting_buyer' } : { kind: 'waiting_buyer', tradeNo };
  }
  // An unsigned refusal could be forged or mangled: it must not fail a payment.
  return refusal('pay', result, false);
}

export function toQueryResult(result: GatewayResult, outTradeNo: string): QueryResult {
  if (result.kind === 'unknown') return result;
  if (isNotFound(result)) return { kind: 'not_found' };
  if (result.code !== '10000') return refusal('query', result, true);
  const mismatch = otherTrade(result, outTradeNo);
  if (mismatch) return mismatch;
  const status = result.node.trade_status;
  if (!isAlipayTradeStatus(status)) return unknown('unparsable', `unrecognised trade_status ${String(status)}`);
  const tradeNo = text(result.node, 'trade_no');
  const state = tradeState(status);
  if (state === 'paid' || state === 'finished') {
    const paid = paidTrade(result.node, 'send_pay_date');
    return 'kind' in paid ? paid : { kind: 'paid', refundable: state === 'paid', ...paid };
  }
  if (state === 'waiting_buyer') return tradeNo === undefined ? { kind: 'waiting_buyer' } : { kind: 'waiting_buyer', tradeNo };
  return tradeNo === undefined ? { kind: 'closed' } : { kind: 'closed', tradeNo };
}

export function toCancelResult(result: GatewayResult): CancelResult {
  if (result.kind === 'unknown') return result;
  // The channel asks for another cancel: it has not finished (brief §2.5), whatever the code.
  if (text(result.node, 'retry_flag') === 'Y' && result.code !== '20000') {
    return { kind: 'retry', detail: `cancel asked to retry (${result.code} ${subCodeOf(result.node) ?? ''})`.trim() };
  }
  if (result.code !== '10000') return refusal('cancel', result, true);
  const action = text(result.node, 'action');
  const tradeNo = text(result.node, 'trade_no');
  const effect = action === undefined ? 'none' : action === 'close' ? 'closed' : action === 'refund' ? 'refunded' : undefined;
  if (effect === undefined) return unknown('unparsable', `unrecognised cancel action ${action}`);
  return tradeNo === undefined ? { kind: 'cancelled', effect } : { kind: 'cancelled', effect, tradeNo };
}

export function toCloseResult(result: GatewayResult): CloseResult {
  if (result.kind === 'unknown') return result;
  if (isNotFound(result)) return { kind: 'not_found' };
  if (result.code !== '10000') return refusal('close', result, true);
  const tradeNo = text(result.node, 'trade_no');
  return tradeNo === undefined ? { kind: 'closed' } : { kind: 'closed', tradeNo };
}

export function toRefundResult(result: GatewayResult, req: RefundRequest): RefundResult {
  if (result.kind === 'unknown') return result;
  // Refusing a refund that did move money would invite a second refund: unsigned is not enough.
  if (result.code !== '10000') return refusal('refund', result, false);
  const mismatch = otherTrade(result, req.outTradeNo);
  if (mismatch) return mismatch;
  // code 10000 only means "accepted"; fund_change=Y means this request moved money (brief §2.7).
  const refundFee = text(result.node, 'refund_fee');
  const refundedTotalFen = refundFee === undefined ? null : parseChannelYuan(refundFee);
  if (text(result.node, 'fund_change') !== 'Y' || refundedTotalFen === null) {
    return { kind: 'pending', detail: 'refund accepted without fund_change=Y: confirm with refundQuery' };
  }
  const at = parseBeijingTimestamp(text(result.node, 'gmt_refund_pay'));
  return at === undefined ? { kind: 'refunded', refundedTotalFen } : { kind: 'refunded', refundedTotalFen, at };
}

export function toRefundQueryResult(result: GatewayResult, req: RefundRequest): RefundQueryResult {
  if (result.kind === 'unknown') return result;
  if (isNotFound(result)) return { kind: 'not_found' };
  if (result.code !== '10000') return refusal('refund_query', result, true);
  const status = text(result.node, 'refund_status');
  const echoed = text(result.node, 'out_request_no');
  if (echoed !== undefined && echoed !== req.outRequestNo) {
    return unknown('unparsable', `answer names out_request_no ${echoed}, expected ${req.outRequestNo}`);
  }
  // The current doc: no refund_status = not received or failed. (The older doc read any echo as
  // success.) Retrying the refund with the same out_request_no and amount is idempotent, so
  // "not found" is the safe reading either way.
  if (status === undefined) return { kind: 'not_found' };
  if (status !== 'REFUND_SUCCESS') return unknown('unparsable', `unrecognised refund_status ${status}`);
  const amount = text(result.node, 'refund_amount');
  const amountFen = amount === undefined ? null : parseChannelYuan(amount);
  if (amountFen === null) return unknown('unparsable', 'REFUND_SUCCESS without a readable refund_amount');
  return { kind: 'refunded', amountFen };
}

export function toPrecreateResult(result: GatewayResult, outTradeNo: string): PrecreateResult {
  if (result.kind === 'unknown') return result;
  if (result.code !== '10000') return refusal('precreate', result, true);
  const mismatch = otherTrade(result, outTradeNo);
  if (mismatch) return mismatch;
  const qrCode = text(result.node, 'qr_code');
  if (qrCode === undefined) return unknown('unparsable', 'precreate answer without qr_code');
  return { kind: 'created', qrCode };
}

export function toBillUrlResult(result: GatewayResult): BillUrlResult {
  if (result.kind === 'unknown') return result;
  if (result.code === '40004' && subCodeOf(result.node) === 'isp.bill_not_exist') return { kind: 'not_found' };
  if (result.code !== '10000') return refusal('bill', result, true);
  const url = text(result.node, 'bill_download_url');
  return url === undefined ? unknown('unparsable', 'bill answer without bill_download_url') : { kind: 'ready', url };
}

// ── notifications ──────────────────────────────────────────────────────────────────────────

/** The typed notification, after the signature and app checks (done by the caller). */
export function readNotification(params: Record<string, string>): NotificationCheck {
  const malformed = (detail: string): NotificationCheck => ({ ok: false, reason: 'malformed', detail });
  const outTradeNo = params.out_trade_no;
  const tradeNo = params.trade_no;
  const notifyId = params.notify_id;
  const status = params.trade_status;
  const amount = params.total_amount;
  if (!outTradeNo || !tradeNo || !notifyId) return malformed('out_trade_no, trade_no and notify_id are required');
  if (!isAlipayTradeStatus(status)) return malformed(`unrecognised trade_status ${String(status)}`);
  const amountFen = amount === undefined ? null : parseChannelYuan(amount);
  if (amountFen === null) return malformed('total_amount missing or not a yuan amount');
  const notification: NotificationCheck & { ok: true } = {
    ok: true,
    notification: { outTradeNo, tradeNo, status: tradeState(status), amountFen, appId: params.app_id ?? '', notifyId },
  };
  const n = notification.notification;
  if (params.refund_fee !== undefined && params.refund_fee !== '') {
    const refundedFen = parseChannelYuan(params.refund_fee);
    if (refundedFen === null) return malformed('refund_fee is not a yuan amount');
    n.refundedFen = refundedFen;
  }
  if (params.seller_id) n.sellerId = params.seller_id;
  const at = parseBeijingTimestamp(params.gmt_refund || params.gmt_close || params.gmt_payment || params.notify_time);
  if (at) n.at = at;
  return notification;
}
