// Admin trade routes: the book, the buyer's confirmation, precreate scans, notifications, bills.
import { AdminError, bad, notFound, optBool, optNumber, optString, Router, sendText } from './http-util.ts';
import { billCsv } from './bill.ts';
import { DEMO_BUYER_ID, newTradeNo } from './ids.ts';
import { closeUnpaid, confirmByBuyer } from './lifecycle.ts';
import type { Trade } from './model.ts';
import type { Runtime } from './admin.ts';
import { yuan } from './wire.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function tradeView(t: Trade) {
  return {
    appId: t.appId, authAppId: t.authAppId, sellerId: t.sellerId, outTradeNo: t.outTradeNo, tradeNo: t.tradeNo,
    status: t.status, kind: t.kind, totalAmount: yuan(t.totalFen), subject: t.subject, buyerId: t.buyerId,
    createdAt: iso(t.createdAt), paidAt: iso(t.paidAt), closedAt: iso(t.closedAt),
    refunds: t.refunds.map((r) => ({ outRequestNo: r.outRequestNo, amount: yuan(r.amountFen), at: iso(r.at) })),
    refundedAmount: yuan(t.refundedFen), cancelAction: t.cancelAction,
  };
}

export function tradeRoutes(rt: Runtime, router: Router): void {
  const { sim, notifier } = rt;
  const store = sim.store;

  /** One trade by out_trade_no, narrowed by appId (caller or merchant app) when given. */
  const pick = (outTradeNo: string, appId: string | undefined, kinds: Trade['kind'][]): Trade => {
    const found = [...store.trades.values()].filter((t) => t.outTradeNo === outTradeNo && kinds.includes(t.kind) &&
      (appId === undefined || t.appId === appId || t.authAppId === appId));
    if (found.length === 0) throw notFound(`no trade ${outTradeNo}${appId ? ` for app ${appId}` : ''}`);
    if (found.length > 1) throw new AdminError(409, 'ambiguous', `${found.length} trades use ${outTradeNo}: pass appId`);
    return found[0]!;
  };
  const appIdOf = (body: Record<string, unknown>, query: URLSearchParams) => optString(body, 'appId') ?? query.get('appId') ?? undefined;

  router.on('GET', '/__sim/trades', ({ query }) => {
    const appId = query.get('appId');
    const outTradeNo = query.get('outTradeNo');
    const all = query.get('all') === '1' || query.get('all') === 'true';
    const trades = [...store.trades.values()].filter((t) => (all || t.kind === 'trade') &&
      (!appId || t.appId === appId || t.authAppId === appId) && (!outTradeNo || t.outTradeNo === outTradeNo));
    return { trades: trades.map(tradeView) };
  });

  router.on('GET', '/__sim/trades/:outTradeNo', ({ params, query }) => {
    const kinds: Trade['kind'][] = query.get('all') ? ['trade', 'tombstone', 'precreated'] : ['trade'];
    return tradeView(pick(params.outTradeNo!, query.get('appId') ?? undefined, kinds));
  });

  router.on('POST', '/__sim/trades/:outTradeNo/confirm', ({ params, body, query }) => {
    const trade = pick(params.outTradeNo!, appIdOf(body, query), ['trade']);
    const { trade: paid, refusal } = confirmByBuyer(sim, notifier, trade);
    if (refusal) throw new AdminError(409, 'cannot_confirm', `${refusal} (trade is ${trade.status})`);
    return tradeView(paid!);
  });

  router.on('POST', '/__sim/trades/:outTradeNo/reject', ({ params, body, query }) => {
    const trade = pick(params.outTradeNo!, appIdOf(body, query), ['trade']);
    if (trade.status !== 'WAIT_BUYER_PAY') throw new AdminError(409, 'not_waiting', `trade is ${trade.status}`);
    // close=false: the buyer just walks away; the trade waits for its auto-close.
    if (optBool(body, 'close') === false) {
      const waiting = { ...trade, confirmAt: undefined };
      sim.commit(['trade', trade.key, waiting]);
      return tradeView(waiting);
    }
    return tradeView(closeUnpaid(sim, trade));
  });

  router.on('POST', '/__sim/trades/:outTradeNo/age', ({ params, body, query }) => {
    const trade = pick(params.outTradeNo!, appIdOf(body, query), ['trade', 'tombstone', 'precreated']);
    const hours = optNumber(body, 'hours', 0, 24 * 400) ?? 0;
    const shift = hours * 3_600_000 + (optNumber(body, 'ms', 0, 400 * 86_400_000) ?? 0);
    if (shift === 0) throw bad('give hours or ms');
    const back = (ms: number | undefined) => (ms === undefined ? undefined : ms - shift);
    const aged: Trade = { ...trade, createdAt: trade.createdAt - shift, paidAt: back(trade.paidAt), closedAt: back(trade.closedAt) };
    sim.commit(['trade', trade.key, aged]);
    return tradeView(aged);
  });

  router.on('POST', '/__sim/trades/:outTradeNo/finish', ({ params, body, query }) => {
    const trade = pick(params.outTradeNo!, appIdOf(body, query), ['trade']);
    if (trade.status !== 'TRADE_SUCCESS') throw new AdminError(409, 'not_paid', `trade is ${trade.status}`);
    const finished: Trade = { ...trade, status: 'TRADE_FINISHED' };
    sim.commit(['trade', trade.key, finished]);
    return tradeView(finished);
  });

  router.on('POST', '/__sim/precreate/:outTradeNo/scan', ({ params, body, query }) => {
    const trade = pick(params.outTradeNo!, appIdOf(body, query), ['precreated']);
    if (trade.status === 'TRADE_CLOSED') throw new AdminError(409, 'closed', 'the QR order was closed or cancelled');
    const now = Date.now();
    if (trade.qrExpiresAt !== undefined && trade.qrExpiresAt < now) {
      closeUnpaid(sim, trade);
      throw new AdminError(409, 'qr_expired', 'the QR code expired');
    }
    const buyerId = optString(body, 'buyerId') ?? DEMO_BUYER_ID;
    if (!store.buyers.has(buyerId)) throw notFound(`no buyer ${buyerId}`);
    const scanned: Trade = {
      ...trade, kind: 'trade', buyerId, tradeNo: newTradeNo(sim.idRng, store.nextSeq(), now), createdAt: now,
      autoCloseAt: trade.qrExpiresAt,
    };
    sim.commit(['trade', trade.key, scanned]);
    if (optBool(body, 'pay') === true) {
      const { trade: paid, refusal } = confirmByBuyer(sim, notifier, scanned);
      if (refusal) throw new AdminError(409, 'cannot_pay', `${refusal}: the trade stays WAIT_BUYER_PAY`);
      return tradeView(paid!);
    }
    return tradeView(scanned);
  });

  router.on('GET', '/__sim/notifications', ({ query }) => {
    const outTradeNo = query.get('outTradeNo');
    const status = query.get('status');
    const list = [...store.notifications.values()].filter((n) => (!outTradeNo || n.outTradeNo === outTradeNo) && (!status || n.status === status));
    return {
      notifications: list.map((n) => ({
        id: n.id, notifyId: n.notifyId, url: n.url, appId: n.appId, outTradeNo: n.outTradeNo, tradeStatus: n.tradeStatus,
        status: n.status, attempts: n.attempts, copies: n.copies, nextAt: iso(n.nextAt), createdAt: iso(n.createdAt),
        lastResult: n.lastResult, fields: n.fields,
      })),
    };
  });

  router.on('POST', '/__sim/notifications/flush', async () => {
    await notifier.flush();
    return { ok: true };
  });

  router.on('GET', '/__sim/bills/:sellerId/:billType/:file', ({ params }, res) => {
    const period = /^(.+)\.csv$/.exec(params.file!)?.[1];
    const csv = period ? billCsv(store, params.sellerId!, params.billType!, period) : undefined;
    if (csv === undefined) throw notFound('no such bill');
    sendText(res, 200, csv, 'text/csv; charset=utf-8');
    return undefined;
  });
}
