/**
 * Steps 4–8 of UX.md §2: 正在收款 → 等待用户确认支付 (countdown, 查询结果) → 支付结果确认中 when the
 * answer is unknown (never a new scan) → 支付成功 or 支付失败 with the platform's words and the
 * buttons its cause calls for.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Payment } from '@scanpay/contracts';
import { Bi, TEXT, useT, type Text, type TextKey } from '../i18n.tsx';
import { channelText } from '../format.ts';
import type { PayView, Refusal } from '../pay/runner.ts';
import { Actions, Amount, Button } from './chrome.tsx';

/** Alipay lets the buyer confirm for about 60 s (UX.md §5) before the platform cancels. */
const BUYER_WINDOW_S = 60;

export interface ResultActions {
  onRescan: () => void;
  onOtherMethod: () => void;
  onContinue: () => void;
  onReceipt: (payment: Payment) => void;
  onQuery: () => Promise<unknown>;
  /** Shown under a failure: the diagnosis of this payment (一键诊断). */
  diagnose?: (payment: Payment) => ReactNode;
}

export function PayScreen({ view, autoContinueSeconds, ...actions }: { view: PayView; autoContinueSeconds: number } & ResultActions) {
  switch (view.stage) {
    case 'sending':
    case 'processing':
      return <Busy yuan={view.amount} title="charging" />;
    case 'waiting_buyer':
      return <WaitingBuyer yuan={view.amount} since={view.since} onQuery={actions.onQuery} />;
    case 'confirming':
      return <Confirming yuan={view.amount} {...(view.problem ? { problem: view.problem } : {})} onQuery={actions.onQuery} />;
    case 'done':
      return view.payment.status === 'succeeded' ? (
        <Success payment={view.payment} autoContinueSeconds={autoContinueSeconds} {...actions} />
      ) : (
        <Failure yuan={view.amount} payment={view.payment} refusal={refusalFromPayment(view.payment)} {...actions} />
      );
    case 'refused':
      return <Failure yuan={view.amount} refusal={view.refusal} {...actions} />;
  }
}

function refusalFromPayment(p: Payment): Refusal {
  if (p.failure) return { code: p.failure.code, message: p.failure.message, remedy: p.failure.remedy, action: p.failure.action };
  // cancelled / reversed: the platform's own sentence says whether the customer was charged.
  return { code: p.status.toUpperCase(), message: p.display, remedy: TEXT.rescan, action: 'rescan' };
}

function Busy({ yuan, title }: { yuan: string; title: TextKey }) {
  return (
    <main className="screen pay-screen busy" data-testid="pay-busy">
      <Amount yuan={yuan} size="large" />
      <div className="spinner" aria-hidden />
      <h1>
        <Bi text={title} />
      </h1>
      <p className="muted">{channelText('alipay').zh} · Alipay</p>
    </main>
  );
}

/** Enter presses the screen's main button (a laptop cashier keeps the hands on the keyboard). */
function useEnterKey(action: () => void) {
  const ref = useRef(action);
  ref.current = action;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && !(e.target instanceof HTMLInputElement) && !e.repeat) {
        e.preventDefault();
        ref.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function useSecondsLeft(since: number, windowS: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil(windowS - (now - since) / 1000));
}

function QueryButton({ onQuery }: { onQuery: () => Promise<unknown> }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      onClick={() => {
        setBusy(true);
        void onQuery().finally(() => setBusy(false));
      }}
      disabled={busy}
      testId="query-result"
      wide
    >
      {t('queryResult')}
    </Button>
  );
}

function WaitingBuyer({ yuan, since, onQuery }: { yuan: string; since: number; onQuery: () => Promise<unknown> }) {
  const t = useT();
  const left = useSecondsLeft(since, BUYER_WINDOW_S);
  return (
    <main className="screen pay-screen waiting" data-testid="pay-waiting">
      <Amount yuan={yuan} size="large" />
      <h1>
        <Bi text="waitingBuyer" />
      </h1>
      <p className="lead">
        <Bi text="remindPassword" />
      </p>
      <div className="countdown" data-testid="countdown" aria-live="off">
        {left > 0 ? `${left} ${t('seconds')}` : t('stillConfirming')}
      </div>
      <Actions>
        <QueryButton onQuery={onQuery} />
      </Actions>
    </main>
  );
}

function Confirming({ yuan, problem, onQuery }: { yuan: string; problem?: Refusal; onQuery: () => Promise<unknown> }) {
  return (
    <main className="screen pay-screen confirming" data-testid="pay-confirming">
      <Amount yuan={yuan} size="large" />
      <div className="spinner warn" aria-hidden />
      <h1>
        <Bi text="confirming" />
      </h1>
      <p className="lead">
        <Bi text="confirmingHint" />
      </p>
      {problem && (
        <p className="small muted">
          {problem.message.zh} · {problem.message.en} <code>{problem.code}</code>
        </p>
      )}
      <Actions>
        <QueryButton onQuery={onQuery} />
      </Actions>
    </main>
  );
}

function Success({ payment, autoContinueSeconds, onContinue, onReceipt }: { payment: Payment; autoContinueSeconds: number } & ResultActions) {
  const t = useT();
  const [auto, setAuto] = useState(autoContinueSeconds > 0);
  const [shownAt] = useState(Date.now);
  const left = useSecondsLeft(shownAt, autoContinueSeconds);
  useEffect(() => {
    if (auto && left === 0) onContinue();
  }, [auto, left, onContinue]);
  useEnterKey(onContinue);
  return (
    <main className="screen pay-screen result success" data-testid="pay-success" onPointerDown={() => setAuto(false)}>
      <div className="tick" aria-hidden>
        ✓
      </div>
      <h1>
        <Bi text="paySuccess" />
      </h1>
      <Amount yuan={payment.amount} size="huge" />
      <dl className="facts">
        <dt>{t(channelText(payment.channel))}</dt>
        <dd>{payment.buyerLogonId ?? ''}</dd>
        <dt>{t('orderNo')}</dt>
        <dd data-testid="out-trade-no">{payment.outTradeNo}</dd>
      </dl>
      <Actions>
        <Button onClick={() => onReceipt(payment)} testId="show-receipt">
          {t('receipt')}
        </Button>
        <Button kind="primary" onClick={onContinue} testId="continue" wide>
          {t('continueCharging')}
          {auto && left > 0 ? ` (${left})` : ''}
        </Button>
      </Actions>
    </main>
  );
}

function Failure({
  yuan,
  payment,
  refusal,
  onRescan,
  onOtherMethod,
  onContinue,
  onReceipt,
  diagnose,
}: { yuan: string; payment?: Payment; refusal: Refusal } & ResultActions) {
  const t = useT();
  const buttons = buttonsFor(refusal);
  const run = { rescan: onRescan, other_method: onOtherMethod, back: onContinue, new_order: onRescan };
  useEnterKey(() => run[buttons[0]!.id]());
  return (
    <main className="screen pay-screen result failure" data-testid="pay-failure" data-code={refusal.code}>
      <div className="cross" aria-hidden>
        ✕
      </div>
      <h1>
        <Bi text="payFailed" />
      </h1>
      <Amount yuan={yuan} size="large" />
      <div className="failure-words">
        <p className="zh" lang="zh-CN" data-testid="failure-message">
          {refusal.message.zh}
        </p>
        <p className="zh remedy" lang="zh-CN">
          {refusal.remedy.zh}
        </p>
        <p className="en" lang="en">
          {refusal.message.en} — {refusal.remedy.en}
        </p>
        <p className="code">
          <code data-testid="failure-code">{refusal.code}</code>
          {payment && <span> · {payment.outTradeNo}</span>}
        </p>
      </div>
      {payment && diagnose?.(payment)}
      <Actions>
        {payment && (
          <Button onClick={() => onReceipt(payment)} testId="show-receipt">
            {t('receipt')}
          </Button>
        )}
        {buttons.map((b, i) => (
          <Button key={b.id} kind={i === 0 ? 'primary' : 'secondary'} onClick={run[b.id]} testId={`failure-${b.id}`} wide>
            {t(b.label)}
          </Button>
        ))}
      </Actions>
    </main>
  );
}

type ButtonId = 'rescan' | 'other_method' | 'back' | 'new_order';

/** Buttons by cause (UX.md §2 step 8): a new scan only where a new code can help. */
export function buttonsFor(r: Pick<Refusal, 'action' | 'code'>): { id: ButtonId; label: Text }[] {
  const rescan = { id: 'rescan' as const, label: TEXT.rescan };
  const other = { id: 'other_method' as const, label: TEXT.otherMethod };
  const back = { id: 'back' as const, label: TEXT.back };
  switch (r.action) {
    case 'rescan':
      return [rescan, other];
    case 'other_method':
      return [other, rescan];
    case 'new_order':
      return [{ id: 'new_order', label: TEXT.newOrder }, other];
    case 'stop':
    case 'contact_channel':
      return [back];
  }
  // Refusals before any charge (no action given): the request's own code tells.
  if (r.code.startsWith('REQ_PAYCODE') || r.code.startsWith('CHN_PAYCODE')) return [rescan, other];
  if (r.code.startsWith('TRM_') || r.code.startsWith('SYS_')) return [back];
  return [rescan, other];
}
