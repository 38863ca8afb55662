// alipay.trade.query / cancel / close / refund / fastpay.refund.query.
import { closeUnpaid, commitWithNotifications, merchantBalancePut, notificationPut } from './lifecycle.ts';
import type { Refund, Trade } from './model.ts';
import { tradeKey } from './model.ts';
import { fail, findTrade, invalid, ok, str, type CallContext, type Reply } from './reply.ts';
import type { Put } from './store.ts';
import { beijingTime, parseTradeAmount, yuan } from './wire.ts';

function visible(trade: Trade | undefined): trade is Trade {
  return trade !== undefined && trade.kind === 'trade';
}

export function query(c: CallContext): Reply {
  const { trade, error } = findTrade(c);
  if (error) return error;
  if (!visible(trade)) return fail('ACQ.TRADE_NOT_EXIST', undefined, { out_trade_no: str(c.biz.out_trade_no), trade_no: str(c.biz.trade_no) });
  const buyer = trade.buyerId ? c.sim.store.buyers.get(trade.buyerId) : undefined;
  const paid = trade.paidAt !== undefined;
  const amount = paid ? yuan(trade.totalFen) : '0.00';
  return ok({
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    trade_status: trade.status,
    total_amount: yuan(trade.totalFen),
    buyer_pay_amount: amount,
    receipt_amount: amount,
    invoice_amount: amount,
    point_amount: '0.00',
    buyer_logon_id: buyer?.logonId,
    buyer_user_id: trade.buyerId,
    buyer_user_type: trade.buyerId ? 'PRIVATE' : undefined,
    send_pay_date: paid ? beijingTime(trade.paidAt!) : undefined,
    store_id: trade.storeId,
    terminal_id: trade.terminalId,
    fund_bill_list: paid ? [{ amount, fund_channel: 'ALIPAYACCOUNT' }] : undefined,
  });
}

/** Returns the remaining paid amount to the buyer; closes the trade when nothing is left. */
function refundPuts(c: CallContext, trade: Trade, refund: Refund, cancelAction?: 'refund'): { trade: Trade; puts: (Put | undefined)[] } {
  const { sim } = c;
  const refundedFen = trade.refundedFen + refund.amountFen;
  const full = refundedFen >= trade.totalFen;
  const next: Trade = {
    ...trade, refunds: [...trade.refunds, refund], refundedFen,
    ...(full ? { status: 'TRADE_CLOSED' as const, closedAt: refund.at } : {}),
    ...(cancelAction ? { cancelAction } : {}),
  };
  const buyer = trade.buyerId ? sim.store.buyers.get(trade.buyerId) : undefined;
  return {
    trade: next,
    puts: [
      buyer ? ['buyer', buyer.buyerId, { ...buyer, balanceFen: buyer.balanceFen + refund.amountFen }] : undefined,
      merchantBalancePut(sim, trade, -refund.amountFen),
      ['trade', next.key, next],
      notificationPut(sim, c.notifier, next, full ? { kind: 'closed', refund } : { kind: 'refund', refund }, c.method),
    ],
  };
}

function merchantCanFund(c: CallContext, amountFen: number): boolean {
  const balance = c.merchant.merchant.balanceFen;
  return balance === undefined || balance >= amountFen;
}

export function cancel(c: CallContext): Reply {
  const { sim } = c;
  const { trade, outTradeNo, error } = findTrade(c);
  if (error) return error;
  const ids = (t?: Trade) => ({ out_trade_no: t?.outTradeNo ?? outTradeNo, trade_no: t?.tradeNo, retry_flag: 'N' });
  const now = Date.now();
  if (!trade) {
    // Never seen: answer success with no action, and remember the number as closed so a pay
    // arriving later (a delayed retry) cannot charge the buyer (brief §4.4).
    if (outTradeNo && !str(c.biz.trade_no)) {
      const key = tradeKey(c.merchant.sellerId, outTradeNo);
      const tombstone: Trade = {
        key, kind: 'tombstone', appId: c.app.appId, authAppId: c.merchant.appId, sellerId: c.merchant.sellerId,
        outTradeNo, status: 'TRADE_CLOSED', scene: 'none', totalFen: 0, subject: '', createdAt: now, closedAt: now,
        refunds: [], refundedFen: 0,
      };
      sim.commit(['trade', key, tombstone]);
    }
    return ok(ids());
  }
  if (trade.kind === 'tombstone') return ok(ids(trade));
  if (trade.kind === 'precreated') {
    if (trade.status !== 'TRADE_CLOSED') closeUnpaid(sim, trade);
    return ok(ids(trade));
  }
  if (now - trade.createdAt > sim.config.cancelWindowMs) return fail('ACQ.TRADE_CANCEL_TIME_OUT', undefined, ids(trade));
  switch (trade.status) {
    case 'WAIT_BUYER_PAY': {
      const closed = closeUnpaid(sim, trade, 'close');
      return ok({ ...ids(closed), action: 'close' });
    }
    case 'TRADE_SUCCESS': {
      const remaining = trade.totalFen - trade.refundedFen;
      if (!merchantCanFund(c, remaining)) return fail('ACQ.SELLER_BALANCE_NOT_ENOUGH', undefined, ids(trade));
      const refund: Refund = { outRequestNo: 'CANCEL', amountFen: remaining, at: now, reason: 'cancel' };
      const { trade: next, puts } = refundPuts(c, trade, refund, 'refund');
      commitWithNotifications(sim, c.notifier, puts);
      return ok({ ...ids(next), action: 'refund', gmt_refund_pay: beijingTime(now) });
    }
    case 'TRADE_CLOSED':
      return ok({ ...ids(trade), action: trade.cancelAction ?? (trade.paidAt !== undefined ? 'refund' : 'close') });
    case 'TRADE_FINISHED':
      return fail('ACQ.TRADE_HAS_FINISHED', undefined, ids(trade));
  }
}

export function close(c: CallContext): Reply {
  const { trade, error } = findTrade(c);
  if (error) return error;
  if (trade?.kind === 'precreated' && trade.status !== 'TRADE_CLOSED') {
    // An unscanned QR: no trade to close yet, but it must not be payable afterwards (brief §2.3).
    closeUnpaid(c.sim, trade);
  }
  if (!visible(trade)) return fail('ACQ.TRADE_NOT_EXIST');
  if (trade.status !== 'WAIT_BUYER_PAY') return fail('ACQ.TRADE_STATUS_ERROR', undefined, { out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo });
  const closed = closeUnpaid(c.sim, trade);
  return ok({ out_trade_no: closed.outTradeNo, trade_no: closed.tradeNo });
}

export function refund(c: CallContext): Reply {
  const { trade, error } = findTrade(c);
  if (error) return error;
  if (c.biz.refund_amount === undefined) return invalid('refund_amount 不能为空');
  const amountFen = parseTradeAmount(c.biz.refund_amount);
  if (amountFen === undefined) return fail('ACQ.INVALID_PARAMETER', 'refund_amount 格式错误');
  if (!visible(trade)) return fail('ACQ.TRADE_NOT_EXIST');
  const outRequestNo = str(c.biz.out_request_no) ?? trade.outTradeNo;
  const buyer = trade.buyerId ? c.sim.store.buyers.get(trade.buyerId) : undefined;
  const fields = (t: Trade, fundChange: 'Y' | 'N', r: Refund) => ({
    trade_no: t.tradeNo, out_trade_no: t.outTradeNo, buyer_logon_id: buyer?.logonId, buyer_user_id: t.buyerId,
    fund_change: fundChange, refund_fee: yuan(t.refundedFen), gmt_refund_pay: beijingTime(r.at), send_back_fee: yuan(r.amountFen),
  });
  const previous = trade.refunds.find((r) => r.outRequestNo === outRequestNo);
  if (previous) {
    if (previous.amountFen !== amountFen) return fail('ACQ.DISCORDANT_REPEAT_REQUEST');
    return ok(fields(trade, 'N', previous));
  }
  if (trade.status === 'WAIT_BUYER_PAY') return fail('ACQ.TRADE_STATUS_ERROR');
  if (trade.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE');
  if (trade.status === 'TRADE_FINISHED') return fail('ACQ.TRADE_HAS_FINISHED');
  if (amountFen > trade.totalFen - trade.refundedFen) return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
  if (!merchantCanFund(c, amountFen)) return fail('ACQ.SELLER_BALANCE_NOT_ENOUGH');
  const record: Refund = { outRequestNo, amountFen, at: Date.now(), reason: str(c.biz.refund_reason) };
  const { trade: next, puts } = refundPuts(c, trade, record);
  commitWithNotifications(c.sim, c.notifier, puts);
  return ok(fields(next, 'Y', record));
}

export function refundQuery(c: CallContext): Reply {
  const outRequestNo = str(c.biz.out_request_no);
  if (!outRequestNo) return invalid('out_request_no 不能为空');
  const { trade, error } = findTrade(c);
  if (error) return error;
  if (!visible(trade)) return fail('ACQ.TRADE_NOT_EXIST');
  const record = trade.refunds.find((r) => r.outRequestNo === outRequestNo);
  // Not (yet) refunded: success without refund fields, as the newer doc describes.
  if (!record) return ok({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
  return ok({
    trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, out_request_no: record.outRequestNo,
    total_amount: yuan(trade.totalFen), refund_amount: yuan(record.amountFen), refund_status: 'REFUND_SUCCESS',
    refund_reason: record.reason, gmt_refund_pay: beijingTime(record.at), send_back_fee: yuan(record.amountFen),
  });
}
