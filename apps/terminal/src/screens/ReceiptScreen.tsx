/**
 * The receipt on screen (UX.md §2 "Receipt fields", 58 mm layout): the same fields a printed slip
 * carries. Printing itself is not done here yet.
 */
import { useEffect, useState, type ReactNode } from 'react';
import QRCode from 'qrcode';
import type { Payment, Refund } from '@scanpay/contracts';
import { formatYuan } from '@scanpay/money';
import type { DeviceRecord } from '../device/stores.ts';
import { channelText, dateTime, statusText } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Actions, Button } from './chrome.tsx';

export function ReceiptScreen(props: { payment: Payment; device: DeviceRecord; onBack: () => void; actions?: ReactNode; refunds?: Refund[] }) {
  const t = useT();
  const p = props.payment;
  const d = props.device;
  const [qr, setQr] = useState('');
  useEffect(() => {
    QRCode.toString(p.outTradeNo, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then(setQr)
      .catch(() => setQr(''));
  }, [p.outTradeNo]);
  const refunded = p.refundedAmount !== '0.00';
  const rows: [string, string, string?][] = [
    ['商户名称 Merchant', p.merchant.name],
    ['商户编号 Merchant ID', p.merchant.id],
    ['门店 Store', d.store.name],
    ['终端编号 Terminal', `${p.terminalId} (${d.serial})`],
    ['操作员号 Operator', p.operatorId ?? '—'],
    ['交易类型 Type', '消费 SALE'],
    ['支付方式 Method', p.kind === 'qr'
      ? `${channelText(p.channel).zh}扫码 ${channelText(p.channel).en} QR`
      : `${channelText(p.channel).zh}付款码 ${channelText(p.channel).en}`],
    ['商户订单号 Order No.', p.outTradeNo, 'receipt-out-trade-no'],
    ['渠道交易单号 Channel No.', p.tradeNo ?? '—'],
    ['付款账号 Payer', p.buyerLogonId ?? '—'],
    ...(p.kind === 'qr' ? [] : [['付款码 Code', p.paycode] as [string, string]]),
    ['日期时间 Date/time', dateTime(p.decidedAt ?? p.createdAt)],
    ['状态 Status', `${statusText(p).zh} ${statusText(p).en}`],
    ['订单金额 Amount', `¥${p.amount}`],
    ['优惠 Discount', `¥${formatYuan(0)}`],
    ['实付 Paid', `¥${p.amount}`, 'receipt-paid'],
  ];
  if (refunded) rows.push(['已退款 Refunded', `¥${p.refundedAmount}`]);
  rows.push(['备注 Note', p.subject]);
  return (
    <main className="screen receipt-screen">
      <article className="receipt" data-testid="receipt" aria-label={t('receipt')}>
        <header>
          <strong>{d.store.name}</strong>
          <span>商户存根 MERCHANT COPY</span>
        </header>
        <dl>
          {rows.map(([label, value, testId]) => (
            <div key={label} className="row">
              <dt>{label}</dt>
              <dd data-testid={testId}>{value}</dd>
            </div>
          ))}
        </dl>
        {props.refunds?.map((r) => (
          <dl key={r.id} className="refund-slip" data-testid="receipt-refund">
            <div className="row">
              <dt>交易类型 Type</dt>
              <dd>退款 REFUND</dd>
            </div>
            <div className="row">
              <dt>原订单号 Original</dt>
              <dd>{p.outTradeNo}</dd>
            </div>
            <div className="row">
              <dt>退款单号 Refund No.</dt>
              <dd>{r.outRequestNo}</dd>
            </div>
            <div className="row">
              <dt>退款金额 Refunded</dt>
              <dd>¥{r.amount}</dd>
            </div>
            <div className="row">
              <dt>状态 Status</dt>
              <dd>
                {r.display.zh} {r.display.en}
              </dd>
            </div>
            <div className="row">
              <dt>日期时间 Date/time</dt>
              <dd>{dateTime(r.decidedAt ?? r.createdAt)}</dd>
            </div>
          </dl>
        ))}
        {qr && <div className="receipt-qr" aria-label="order number QR" dangerouslySetInnerHTML={{ __html: qr }} />}
        <footer>服务热线 Service: —</footer>
      </article>
      <Actions>
        {props.actions}
        <Button kind="primary" onClick={props.onBack} testId="receipt-back" wide>
          {t('back')}
        </Button>
      </Actions>
    </main>
  );
}
