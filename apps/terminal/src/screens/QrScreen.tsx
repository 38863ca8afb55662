/**
 * 顾客扫码 (UX.md §2 step 2, secondary): the order's QR shown large for the customer's phone, with
 * the amount, the receiving merchant and a countdown to the platform's deadline. Same flow as a
 * payment behind it: the platform asks the channel until the buyer paid; 取消收款 stops it.
 */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { Bi, useT } from '../i18n.tsx';
import { Actions, Amount } from './chrome.tsx';
import { QueryButton, StopControl, useSecondsUntil } from './pay-controls.tsx';

export function QrScreen(props: {
  yuan: string;
  merchant: string;
  outTradeNo: string;
  qrCode: string;
  expiresAt: number;
  onQuery: () => Promise<unknown>;
  onStop: () => void;
}) {
  const t = useT();
  const [image, setImage] = useState('');
  useEffect(() => {
    let current = true;
    // Error correction M and a 4-module quiet zone: readable from a phone at arm's length and glare.
    QRCode.toDataURL(props.qrCode, { errorCorrectionLevel: 'M', margin: 4, width: 264 })
      .then((url) => current && setImage(url))
      .catch(() => current && setImage(''));
    return () => {
      current = false;
    };
  }, [props.qrCode]);
  const left = useSecondsUntil(props.expiresAt);
  const mmss = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <main className="screen pay-screen qr-screen" data-testid="qr-screen" data-out-trade-no={props.outTradeNo}>
      <h1>
        <Bi text="qrTitle" />
      </h1>
      <Amount yuan={props.yuan} size="large" />
      <p className="qr-merchant" data-testid="qr-merchant">
        {t('receivingMerchant')} <strong>{props.merchant}</strong>
      </p>
      <div className="qr-frame">
        {image ? (
          <img src={image} alt={t('qrTitle')} width={264} height={264} data-testid="qr-image" data-qr-code={props.qrCode} />
        ) : (
          <div className="spinner" aria-hidden />
        )}
      </div>
      <div className="countdown small-countdown" data-testid="qr-countdown" aria-live="off">
        {left > 0 ? `${t('qrValidFor')} ${mmss}` : t('qrExpired')}
      </div>
      <Actions>
        <QueryButton onQuery={props.onQuery} />
        <StopControl onStop={props.onStop} />
      </Actions>
    </main>
  );
}
