// Trade transitions shared by the gateway, the admin API and the timers: pay, close,
// the buyer's confirmation, auto-close, and the notifications they cause.
import { newNotifyId } from './ids.ts';
import type { Buyer, Notification, Refund, Trade } from './model.ts';
import type { Notifier } from './notifier.ts';
import type { Sim } from './sim.ts';
import type { Put } from './store.ts';
import { beijingDate, beijingTime, yuan } from './wire.ts';

export type NotifyEvent = { kind: 'paid' } | { kind: 'refund'; refund: Refund } | { kind: 'closed'; refund?: Refund };

/** The buyer-side refusal for paying `amountFen` now (brief §3.2 D), or undefined. */
export function buyerRefusal(buyer: Buyer, amountFen: number, now: number): string | undefined {
  if (buyer.accountForbidden) return 'ACQ.BUYER_ENABLE_STATUS_FORBID';
  if (buyer.riskFlag) return 'ACQ.PAYMENT_REQUEST_HAS_RISK';
  if (buyer.paymentSwitchOff) return 'ACQ.MOBILE_PAYMENT_SWITCH_OFF';
  if (buyer.certifyLevelLow) return 'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT';
  if (buyer.balancePaymentDisabled) return 'ACQ.ERROR_BALANCE_PAYMENT_DISABLE';
  const day = beijingDate(now);
  const spentDay = buyer.spentDay === day ? buyer.spentDayFen : 0;
  const spentMonth = buyer.spentMonth === day.slice(0, 7) ? buyer.spentMonthFen : 0;
  if (buyer.dailyLimitFen !== undefined && spentDay + amountFen > buyer.dailyLimitFen) return 'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR';
  if (buyer.monthlyLimitFen !== undefined && spentMonth + amountFen > buyer.monthlyLimitFen) return 'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR';
  if (buyer.balanceFen < amountFen) return 'ACQ.BUYER_BALANCE_NOT_ENOUGH';
  return undefined;
}

function debit(buyer: Buyer, amountFen: number, now: number): Buyer {
  const day = beijingDate(now);
  const month = day.slice(0, 7);
  return {
    ...buyer,
    balanceFen: buyer.balanceFen - amountFen,
    spentDay: day,
    spentDayFen: (buyer.spentDay === day ? buyer.spentDayFen : 0) + amountFen,
    spentMonth: month,
    spentMonthFen: (buyer.spentMonth === month ? buyer.spentMonthFen : 0) + amountFen,
  };
}

function gmtRefund(ms: number): string {
  return `${beijingTime(ms)}.${String(ms % 1000).padStart(3, '0')}`;
}

/** trade_status_sync fields (brief §5), without notify_time/sign_type/sign; empty ones omitted. */
function notificationFields(sim: Sim, trade: Trade, event: NotifyEvent, notifyId: string): Record<string, string> {
  const buyer = trade.buyerId ? sim.store.buyers.get(trade.buyerId) : undefined;
  const paid = trade.paidAt !== undefined;
  const refund = event.kind === 'refund' ? event.refund : event.kind === 'closed' ? event.refund : undefined;
  const fields: Record<string, string | undefined> = {
    notify_type: 'trade_status_sync',
    notify_id: notifyId,
    app_id: trade.appId,
    auth_app_id: trade.authAppId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    out_biz_no: refund?.outRequestNo,
    buyer_id: trade.buyerId,
    buyer_logon_id: buyer?.logonId,
    seller_id: trade.sellerId,
    trade_status: trade.status,
    total_amount: yuan(trade.totalFen),
    receipt_amount: paid ? yuan(trade.totalFen) : undefined,
    invoice_amount: paid ? yuan(trade.totalFen) : undefined,
    buyer_pay_amount: paid ? yuan(trade.totalFen) : undefined,
    point_amount: paid ? '0.00' : undefined,
    refund_fee: trade.refundedFen > 0 ? yuan(trade.refundedFen) : undefined,
    subject: trade.subject,
    body: trade.body,
    gmt_create: beijingTime(trade.createdAt),
    gmt_payment: trade.paidAt !== undefined ? beijingTime(trade.paidAt) : undefined,
    gmt_refund: refund ? gmtRefund(refund.at) : undefined,
    gmt_close: trade.closedAt !== undefined ? beijingTime(trade.closedAt) : undefined,
    fund_bill_list: paid ? JSON.stringify([{ amount: yuan(trade.totalFen), fundChannel: 'ALIPAYACCOUNT' }]) : undefined,
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** A notification for the trade's new state, shaped by the notify_* faults; undefined without a URL. */
export function notificationPut(sim: Sim, notifier: Notifier, trade: Trade, event: NotifyEvent, method: string): Put | undefined {
  const app = sim.store.apps.get(trade.appId);
  const url = trade.notifyUrl ?? app?.notifyUrl;
  if (!url) return undefined;
  const now = Date.now();
  const seq = sim.store.nextSeq();
  const notifyId = newNotifyId(sim.idRng, seq, now);
  let n: Notification = {
    id: `n${seq}`,
    notifyId,
    url,
    appId: trade.appId,
    outTradeNo: trade.outTradeNo,
    tradeStatus: trade.status,
    signType: app?.signType ?? 'RSA2',
    fields: notificationFields(sim, trade, event, notifyId),
    status: 'pending',
    attempts: 0,
    nextAt: now,
    copies: 1,
    createdAt: now,
  };
  for (const rule of sim.faults.pickNotify(method)) {
    if (rule.kind === 'notify_duplicate') n = { ...n, copies: rule.times ?? 2 };
    if (rule.kind === 'notify_delay') n = { ...n, nextAt: n.nextAt + sim.scaled(rule.ms ?? 0) };
    if (rule.kind === 'notify_reorder') {
      const holdGroup = notifier.joinGroup(rule.batch ?? 2);
      n = { ...n, status: 'held', holdGroup, nextAt: now + sim.scaled(rule.maxHoldMs ?? 60_000) };
    }
  }
  return ['notify', n.id, n];
}

/** Commits puts, then lets held notifications join their reorder batch. */
export function commitWithNotifications(sim: Sim, notifier: Notifier, puts: (Put | undefined)[]): void {
  const real = puts.filter((p): p is Put => p !== undefined);
  sim.commit(...real);
  for (const put of real) if (put[0] === 'notify' && put[2].status === 'held') notifier.afterHold(put[2].holdGroup!);
}

/** Moves money on the merchant's account when the scenario tracks its balance. */
export function merchantBalancePut(sim: Sim, trade: Trade, deltaFen: number): Put | undefined {
  const app = sim.store.apps.get(trade.authAppId);
  if (!app || app.merchant.balanceFen === undefined) return undefined;
  return ['app', app.appId, { ...app, merchant: { ...app.merchant, balanceFen: app.merchant.balanceFen + deltaFen } }];
}

/** Marks a trade paid: debits the buyer and queues the TRADE_SUCCESS notification. */
export function payTrade(sim: Sim, notifier: Notifier, trade: Trade, buyer: Buyer, method: string, extra: Put[] = []): Trade {
  const now = Date.now();
  const paid: Trade = {
    ...trade, status: 'TRADE_SUCCESS', buyerId: buyer.buyerId, paidAt: now, confirmAt: undefined, autoCloseAt: undefined,
  };
  commitWithNotifications(sim, notifier, [
    ...extra,
    merchantBalancePut(sim, trade, trade.totalFen),
    ['buyer', buyer.buyerId, debit(buyer, trade.totalFen, now)],
    ['trade', paid.key, paid],
    notificationPut(sim, notifier, paid, { kind: 'paid' }, method),
  ]);
  return paid;
}

/** Closes an unpaid trade (no notification: only paid→closed changes are notified). */
export function closeUnpaid(sim: Sim, trade: Trade, cancelAction?: 'close'): Trade {
  const closed: Trade = {
    ...trade, status: 'TRADE_CLOSED', closedAt: Date.now(), confirmAt: undefined, autoCloseAt: undefined,
    ...(cancelAction ? { cancelAction } : {}),
  };
  sim.commit(['trade', closed.key, closed]);
  return closed;
}

/** The buyer enters the password. Returns the refusal sub_code when the payment cannot go through. */
export function confirmByBuyer(sim: Sim, notifier: Notifier, trade: Trade): { trade?: Trade; refusal?: string } {
  if (trade.kind !== 'trade' || trade.status !== 'WAIT_BUYER_PAY') return { refusal: 'ACQ.TRADE_STATUS_ERROR' };
  const buyer = trade.buyerId ? sim.store.buyers.get(trade.buyerId) : undefined;
  if (!buyer) return { refusal: 'ACQ.BUYER_NOT_EXIST' };
  const refusal = buyerRefusal(buyer, trade.totalFen, Date.now());
  if (refusal) return { refusal };
  return { trade: payTrade(sim, notifier, trade, buyer, 'alipay.trade.pay') };
}

/** Timers for a trade waiting on its buyer: scheduled confirmation and the auto-close. */
export function installTradeTimers(sim: Sim, notifier: Notifier): void {
  sim.hooks.armTrade = (trade) => {
    const { timers } = sim;
    timers.cancel(`confirm:${trade.key}`);
    timers.cancel(`close:${trade.key}`);
    if (trade.kind !== 'trade' || trade.status !== 'WAIT_BUYER_PAY') return;
    if (trade.confirmAt !== undefined) {
      timers.at(`confirm:${trade.key}`, trade.confirmAt, () => {
        const current = sim.store.trades.get(trade.key);
        if (!current || current.confirmAt === undefined) return;
        const { refusal } = confirmByBuyer(sim, notifier, current);
        if (refusal) sim.log(`buyer confirmation of ${current.outTradeNo} failed: ${refusal}`);
      });
    }
    if (trade.autoCloseAt !== undefined) {
      timers.at(`close:${trade.key}`, trade.autoCloseAt, () => {
        const current = sim.store.trades.get(trade.key);
        if (current?.kind === 'trade' && current.status === 'WAIT_BUYER_PAY') {
          closeUnpaid(sim, current);
          sim.log(`auto-closed unpaid trade ${current.outTradeNo}`);
        }
      });
    }
  };
  sim.hooks.armNotification = (n) => notifier.arm(n);
}
