/** 交易记录 (UX.md §2 step 9): this terminal's recent payments, newest first (GET /v1/payments). */
import { useCallback, useEffect, useState } from 'react';
import type { Payment } from '@scanpay/contracts';
import type { TerminalClient } from '@scanpay/terminal-sdk';
import { channelText, statusText, statusTone, timeOnly } from '../format.ts';
import { Bi, useT } from '../i18n.tsx';
import { refusalOf } from '../pay/runner.ts';
import { Actions, Button } from './chrome.tsx';

export function PaymentList({ payments, onOpen }: { payments: Payment[]; onOpen: (p: Payment) => void }) {
  const t = useT();
  if (payments.length === 0) return <p className="muted empty">{t('noPayments')}</p>;
  return (
    <ul className="payment-list" data-testid="payment-list">
      {payments.map((p) => (
        <li key={p.id}>
          <button type="button" onClick={() => onOpen(p)} data-testid="payment-row" data-status={p.status}>
            <span className="time">{timeOnly(p.createdAt)}</span>
            <span className="channel">
              {t(channelText(p.channel))}
              {p.kind === 'qr' ? ` · ${t('customerScans')}` : ''}
            </span>
            <span className="amt">¥{p.amount}</span>
            <span className={`chip ${statusTone(p)}`}>{t(statusText(p))}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function useRecentPayments(client: TerminalClient, limit: number, online: boolean) {
  const [payments, setPayments] = useState<Payment[] | null>(null);
  const [error, setError] = useState<ReturnType<typeof refusalOf> | null>(null);
  const load = useCallback(() => {
    client
      .listPayments(limit)
      .then((r) => {
        setPayments(r.payments);
        setError(null);
      })
      .catch((err: unknown) => setError(refusalOf(err)));
  }, [client, limit]);
  useEffect(() => {
    if (online) load();
  }, [load, online]);
  return { payments, error, reload: load };
}

export function HistoryScreen(props: { client: TerminalClient; online: boolean; onOpen: (p: Payment) => void; onBack: () => void }) {
  const t = useT();
  const { payments, error, reload } = useRecentPayments(props.client, 50, props.online);
  return (
    <main className="screen history-screen" data-testid="history-screen">
      <h1>
        <Bi text="history" />
      </h1>
      {error && <p className="hint bad">{error.message.zh} · {error.message.en}</p>}
      {payments ? <PaymentList payments={payments} onOpen={props.onOpen} /> : <div className="spinner" aria-hidden />}
      <Actions>
        <Button onClick={reload} disabled={!props.online} testId="history-refresh">
          {t('refresh')}
        </Button>
        <Button kind="primary" onClick={props.onBack} testId="history-back" wide>
          {t('back')}
        </Button>
      </Actions>
    </main>
  );
}
