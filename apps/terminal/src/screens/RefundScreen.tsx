/**
 * 退款 (UX.md §2 step 10), from a payment's detail only: full or partial (≤ refundable), a reason,
 * the supervisor PIN, a review, then 退款成功 / 退款处理中 / 退款失败 with the cause. The request
 * key is fixed when the screen opens: retrying never refunds twice.
 */
import { useRef, useState } from 'react';
import type { Payment } from '@scanpay/contracts';
import { formatYuan, parseChannelYuan } from '@scanpay/money';
import { ApiError, NetworkError, newIdempotencyKey, type TerminalClient } from '@scanpay/terminal-sdk';
import { checkAmount } from '../amount/keypad.ts';
import { Bi, TEXT, useT, type Text } from '../i18n.tsx';
import { refusalOf, type Refusal } from '../pay/runner.ts';
import { getRefund, requestRefund, type RefundView } from '../refund/api.ts';
import { channelText } from '../format.ts';
import { Actions, Amount, Button } from './chrome.tsx';

type Step =
  | { step: 'form' }
  | { step: 'review' }
  | { step: 'sending' }
  | { step: 'result'; refund: RefundView }
  | { step: 'refused'; refusal: Refusal }
  | { step: 'unknown'; refusal: Refusal }
  | { step: 'unavailable' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function RefundScreen(props: { client: TerminalClient; payment: Payment; online: boolean; onDone: () => void }) {
  const t = useT();
  const p = props.payment;
  const refundableFen = p.amountFen - (parseChannelYuan(p.refundedAmount) ?? p.amountFen);
  // Fixed for as long as the outcome may be unknown; a definite refusal refunded nothing, so the
  // next attempt (another PIN, another amount) gets a new one.
  const [key, setKey] = useState(newIdempotencyKey);
  const [amount, setAmount] = useState(formatYuan(Math.max(0, refundableFen)));
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [state, setState] = useState<Step>({ step: 'form' });
  const sending = useRef(false);
  const amountCheck = checkAmount(amount, refundableFen);
  const formOk = amountCheck.ok && /^\d{6}$/.test(pin) && props.online;

  const submit = async () => {
    if (sending.current || !amountCheck.ok) return;
    sending.current = true;
    setState({ step: 'sending' });
    const input = { amount: amountCheck.yuan, supervisorPin: pin, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    try {
      let refund: RefundView | undefined;
      for (let attempt = 0; !refund; attempt++) {
        try {
          refund = await requestRefund(props.client, p.id, input, key);
        } catch (err) {
          // No answer: the same key again, never a second refund.
          if (!(err instanceof NetworkError) || attempt >= 5) throw err;
          await sleep(1000 * (attempt + 1));
        }
      }
      for (let i = 0; refund.pending && i < 6; i++) {
        refund = await getRefund(props.client, refund.id, 10).catch(() => refund!);
      }
      setState({ step: 'result', refund });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code === 'REQ_NOT_FOUND') setState({ step: 'unavailable' });
      else if (err instanceof ApiError && err.status < 500 && err.code !== 'REQ_IDEMPOTENCY_IN_PROGRESS') {
        setState({ step: 'refused', refusal: refusalOf(err) });
      } else setState({ step: 'unknown', refusal: refusalOf(err) }); // no answer: retry with the same key only
    } finally {
      sending.current = false;
    }
  };

  const header = (
    <div className="refund-head">
      <h1>
        <Bi text="refund" />
      </h1>
      <p className="small">
        {t('orderNo')}: <code>{p.outTradeNo}</code> · {t(channelText(p.channel))} · ¥{p.amount}
      </p>
    </div>
  );

  if (state.step === 'unknown') {
    return (
      <main className="screen refund-screen" data-testid="refund-result" data-status="unknown">
        {header}
        <h2 className="tone-warn">
          <Bi text="refundProcessing" />
        </h2>
        <p className="small muted">
          {state.refusal.message.zh} · {state.refusal.message.en} <code>{state.refusal.code}</code>
        </p>
        <Actions>
          <Button kind="primary" onClick={() => void submit()} disabled={!props.online} testId="refund-retry" wide>
            {t('queryResult')}
          </Button>
        </Actions>
      </main>
    );
  }

  if (state.step === 'unavailable' || state.step === 'refused' || state.step === 'result') {
    const words: { title: Text; tone: string; detail?: Refusal } =
      state.step === 'unavailable'
        ? { title: TEXT.refundUnavailable, tone: 'bad' }
        : state.step === 'refused'
          ? { title: TEXT.refundFailed, tone: 'bad', detail: state.refusal }
          : state.refund.status === 'succeeded'
            ? { title: TEXT.refundSucceeded, tone: 'ok' }
            : state.refund.status === 'processing'
              ? { title: TEXT.refundProcessing, tone: 'warn' }
              : {
                  title: TEXT.refundFailed,
                  tone: 'bad',
                  ...(state.refund.failure ? { detail: { code: state.refund.failure.code, message: state.refund.failure.message, remedy: state.refund.failure.remedy } } : {}),
                };
    return (
      <main className="screen refund-screen" data-testid="refund-result" data-status={state.step === 'result' ? state.refund.status : state.step}>
        {header}
        <h2 className={`tone-${words.tone}`}>
          <Bi text={words.title} />
        </h2>
        {state.step === 'result' && <Amount yuan={state.refund.amount} size="large" />}
        {state.step === 'result' && <p className="small">退款单号 Refund No.: <code>{state.refund.outRequestNo}</code></p>}
        {words.detail && (
          <div className="failure-words">
            <p className="zh">{words.detail.message.zh}</p>
            <p className="zh remedy">{words.detail.remedy.zh}</p>
            <p className="en">
              {words.detail.message.en} — {words.detail.remedy.en}
            </p>
            <p className="code">
              <code>{words.detail.code}</code>
            </p>
          </div>
        )}
        <Actions>
          {state.step === 'refused' && (
            <Button
              onClick={() => {
                setKey(newIdempotencyKey());
                setState({ step: 'form' });
              }}
              testId="refund-again"
            >
              {t('back')}
            </Button>
          )}
          <Button kind="primary" onClick={props.onDone} testId="refund-done" wide>
            {t('continueCharging')}
          </Button>
        </Actions>
      </main>
    );
  }

  if (state.step === 'review' || state.step === 'sending') {
    return (
      <main className="screen refund-screen" data-testid="refund-review">
        {header}
        <p className="lead">
          <Bi text="refundReview" />
        </p>
        <Amount yuan={amountCheck.ok ? amountCheck.yuan : amount} size="large" />
        {reason && <p className="small">{t('refundReason')}: {reason}</p>}
        <Actions>
          <Button onClick={() => setState({ step: 'form' })} disabled={state.step === 'sending'}>
            {t('back')}
          </Button>
          <Button kind="danger" onClick={() => void submit()} disabled={state.step === 'sending' || !props.online} testId="refund-confirm" wide>
            {state.step === 'sending' ? '…' : t('refundSubmit')}
          </Button>
        </Actions>
      </main>
    );
  }

  return (
    <main className="screen refund-screen" data-testid="refund-form">
      {header}
      {!props.online && (
        <p className="hint bad">
          <Bi text="refundOffline" />
        </p>
      )}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (formOk) setState({ step: 'review' });
        }}
      >
        <label>
          <span>
            {t('refundAmount')} ({t('refundable')} ¥{formatYuan(Math.max(0, refundableFen))})
          </span>
          <input value={amount} onChange={(e) => setAmount(e.target.value.trim())} inputMode="decimal" data-testid="refund-amount" />
        </label>
        <label>
          <span>{t('refundReason')}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={256} data-testid="refund-reason" />
        </label>
        <label>
          <span>{t('supervisorPin')}</span>
          <input
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 6))}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            data-testid="refund-pin"
          />
        </label>
        <Actions>
          <Button onClick={props.onDone}>{t('cancel')}</Button>
          <button type="submit" className="btn primary wide" disabled={!formOk} data-testid="refund-next">
            {t('refundSubmit')}
          </button>
        </Actions>
      </form>
    </main>
  );
}
