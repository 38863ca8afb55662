// Daily bill: alipay.data.dataservice.bill.downloadurl.query answers a local URL; the simulator
// serves a CSV of that merchant's day (or month) at it. Real bills are GBK CSVs inside a zip;
// this one is a UTF-8 CSV with the same columns and summary lines.
import type { Store } from './store.ts';
import type { Trade } from './model.ts';
import { fail, invalid, ok, str, type CallContext, type Reply } from './reply.ts';
import { beijingDate, beijingTime, parseBeijingDate, yuan } from './wire.ts';

const BILL_TYPES = ['trade', 'signcustomer'];

export function billDownloadUrl(c: CallContext): Reply {
  const billType = str(c.biz.bill_type);
  const billDate = str(c.biz.bill_date);
  if (!billType || !BILL_TYPES.includes(billType)) return invalid('bill_type 只能为 trade 或 signcustomer');
  if (!billDate || !/^\d{4}-\d{2}(-\d{2})?$/.test(billDate)) return invalid('bill_date 格式为 yyyy-MM-dd 或 yyyy-MM');
  const start = parseBeijingDate(billDate.length === 7 ? `${billDate}-01` : billDate);
  if (start === undefined) return invalid('bill_date 不是合法日期');
  // Unlike production (bills from 9:00 the next day), today's bill is served so tests can reconcile.
  if (start > Date.now()) return fail('isp.bill_not_exist');
  return ok({ bill_download_url: `${c.sim.baseUrl}/__sim/bills/${c.merchant.sellerId}/${billType}/${billDate}.csv` });
}

function inPeriod(ms: number | undefined, period: string): boolean {
  return ms !== undefined && beijingDate(ms).startsWith(period);
}

const TRADE_HEADER = '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';
const ACCOUNT_HEADER = '账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注';

function cell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Ids carry a trailing tab as in real bills (keeps spreadsheets from rounding them). */
function id(value: string | undefined): string {
  return value ? `${value}\t` : '';
}

interface Row { at: number; cells: string[]; amountFen: number; kind: 'trade' | 'refund' }

function rowsFor(store: Store, sellerId: string, period: string): Row[] {
  const rows: Row[] = [];
  const trades = [...store.trades.values()].filter((t: Trade) => t.kind === 'trade' && t.sellerId === sellerId);
  for (const t of trades) {
    const buyer = t.buyerId ? store.buyers.get(t.buyerId)?.logonId ?? '' : '';
    const common = (kind: string, at: number, fen: number, requestNo: string) => [
      id(t.tradeNo), id(t.outTradeNo), kind, t.subject, beijingTime(t.createdAt), beijingTime(at), t.storeId ?? '', '',
      t.operatorId ?? '', t.terminalId ?? '', buyer, yuan(fen), yuan(fen), '0.00', '0.00', '0.00', '0.00', '0.00', '', '0.00',
      '0.00', id(requestNo), '0.00', '0.00', '',
    ];
    if (inPeriod(t.paidAt, period)) rows.push({ at: t.paidAt!, amountFen: t.totalFen, kind: 'trade', cells: common('交易', t.paidAt!, t.totalFen, '') });
    for (const r of t.refunds) {
      if (inPeriod(r.at, period)) rows.push({ at: r.at, amountFen: -r.amountFen, kind: 'refund', cells: common('退款', r.at, -r.amountFen, r.outRequestNo) });
    }
  }
  return rows.sort((a, b) => a.at - b.at);
}

export function billCsv(store: Store, sellerId: string, billType: string, period: string): string | undefined {
  if (!BILL_TYPES.includes(billType) || !/^\d{4}-\d{2}(-\d{2})?$/.test(period)) return undefined;
  const rows = rowsFor(store, sellerId, period);
  const lines = [`#支付宝${billType === 'trade' ? '业务明细' : '账务明细'}查询`, `#账号：[${sellerId}]`, `#账单日期：[${period}]`];
  if (billType === 'trade') {
    lines.push('#-----------------------------------------业务明细列表----------------------------------------', TRADE_HEADER);
    for (const row of rows) lines.push(row.cells.map(cell).join(','));
    const trades = rows.filter((r) => r.kind === 'trade');
    const refunds = rows.filter((r) => r.kind === 'refund');
    const sum = (rs: Row[]) => yuan(rs.reduce((s, r) => s + r.amountFen, 0));
    lines.push('#-----------------------------------------业务明细列表结束------------------------------------');
    lines.push(`#交易合计：${trades.length}笔，商家实收：${sum(trades)}元，商家优惠：0.00元`);
    lines.push(`#退款合计：${refunds.length}笔，商家实收：${sum(refunds)}元，商家优惠：0.00元`);
  } else {
    lines.push('#-----------------------------------------账务明细列表----------------------------------------', ACCOUNT_HEADER);
    let balance = 0;
    rows.forEach((row, i) => {
      balance += row.amountFen;
      const income = row.amountFen > 0 ? yuan(row.amountFen) : '0.00';
      const outgo = row.amountFen < 0 ? yuan(row.amountFen) : '0.00';
      lines.push([id(String(i + 1).padStart(12, '0')), row.cells[0]!, row.cells[1]!, row.cells[3]!, beijingTime(row.at),
        row.cells[10]!, income, outgo, yuan(balance), '支付宝', row.kind === 'trade' ? '在线支付' : '交易退款', ''].map(cell).join(','));
    });
    lines.push('#-----------------------------------------账务明细列表结束------------------------------------');
  }
  lines.push(`#导出时间：[${beijingTime(Date.now())}]`);
  return `${lines.join('\r\n')}\r\n`;
}
