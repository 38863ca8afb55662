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
import { QueryButton, StopControl, useSecondsLeft } from './pay-controls.tsx';
import { QrScreen } from './QrScreen.tsx';

/** Alipay lets the buyer confirm for about 60 s (UX.md §5) before the platform cancels. */
const BUYER_WINDOW_S = 60;

export interface ResultActions {
  onRescan: () => void;
  onOtherMethod: () => void;
  onContinue: () => void;
  onReceipt: (payment: Payment) => void;
  onQuery: () => Promise<unknown>;
  /** 取消收款: stop waiting for the buyer (final query, then cancel). */
  onStop: () => void;
  /** 顾客扫码: a QR order for the same amount. */
  onCustomerScans: () => void;
  /** Shown under a failure: the diagnosis of this payment (一键诊断). */
  diagnose?: (payment: Payment) => ReactNode;
}

export function PayScreen({ view, autoContinueSeconds, ...actions }: { view: PayView; autoContinueSeconds: number } & ResultActions) {
  switch (view.stage) {
    case 'sending':
      return <Busy yuan={view.amount} title={view.kind === 'qr' ? 'qrPreparing' : 'charging'} />;
    case 'processing':
      return <Busy yuan={view.amount} title="charging" />;
    case 'qr':
      return (
        <QrScreen
          yuan={view.amount}
          merchant={view.payment.merchant.name}
          outTradeNo={view.payment.outTradeNo}
          qrCode={view.qrCode}
          expiresAt={view.expiresAt}
          onQuery={actions.onQuery}
          onStop={actions.onStop}
        />
      );
    case 'stopping':
      return <Busy yuan={view.amount} title="stopping" hint="stoppingHint" testId="pay-stopping" />;
    case 'waiting_buyer':
      return <WaitingBuyer yuan={view.amount} since={view.since} onQuery={actions.onQuery} onStop={actions.onStop} />;
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
  return { code: p.status.toUpperCase(), message: p.display, remedy: TEXT.cancelledRemedy, action: 'rescan' };
}

function Busy({ yuan, title, hint, testId }: { yuan: string; title: TextKey; hint?: TextKey; testId?: string }) {
  return (
    <main className="screen pay-screen busy" data-testid={testId ?? 'pay-busy'}>
      <Amount yuan={yuan} size="large" />
      <div className="spinner" aria-hidden />
      <h1>
        <Bi text={title} />
      </h1>
      {hint && (
        <p className="lead">
          <Bi text={hint} />
        </p>
      )}
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

function WaitingBuyer({ yuan, since, onQuery, onStop }: { yuan: string; since: number; onQuery: () => Promise<unknown>; onStop: () => void }) {
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
        <StopControl onStop={onStop} />
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
  onCustomerScans,
  diagnose,
}: { yuan: string; payment?: Payment; refusal: Refusal } & ResultActions) {
  const t = useT();
  const buttons = buttonsFor(refusal, payment?.kind);
  const run = { rescan: onRescan, other_method: onOtherMethod, back: onContinue, new_order: onRescan, customer_scans: onCustomerScans };
  useEnterKey(() => run[buttons[0]!.id]());
  // A stopped or auto-cancelled payment is not a refusal: say what happened to the money.
  const title: TextKey = payment?.status === 'cancelled' ? 'cancelledTitle' : payment?.status === 'reversed' ? 'reversedTitle' : 'payFailed';
  return (
    <main className="screen pay-screen result failure" data-testid="pay-failure" data-code={refusal.code} data-status={payment?.status ?? 'refused'}>
      <div className="cross" aria-hidden>
        ✕
      </div>
      <h1>
        <Bi text={title} />
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

type ButtonId = 'rescan' | 'other_method' | 'back' | 'new_order' | 'customer_scans';

/**
 * Buttons by cause (UX.md §2 step 8): 重新扫码, 换其他付款方式, 顾客扫码 where the customer can still
 * pay; only 返回 for a configuration or account problem, which a QR would meet too. After a QR
 * order, a new QR comes first.
 */
export function buttonsFor(r: Pick<Refusal, 'action' | 'code'>, kind: Payment['kind'] = 'code'): { id: ButtonId; label: Text }[] {
  const rescan = { id: 'rescan' as const, label: TEXT.rescan };
  const other = { id: 'other_method' as const, label: TEXT.otherMethod };
  const back = { id: 'back' as const, label: TEXT.back };
  const qr = { id: 'customer_scans' as const, label: TEXT.customerScans };
  const byCause = (): { id: ButtonId; label: Text }[] => {
    switch (r.action) {
      case 'rescan':
        return [rescan, other, qr];
      case 'other_method':
        return [other, qr, rescan];
      case 'new_order':
        return [{ id: 'new_order', label: TEXT.newOrder }, other, qr];
      case 'stop':
      case 'contact_channel':
        return [back];
    }
    // Refusals before any charge (no action given): the request's own code tells.
    if (r.code === 'PAY_QR_UNAVAILABLE') return [rescan, other];
    if (r.code.startsWith('REQ_PAYCODE') || r.code.startsWith('CHN_PAYCODE')) return [rescan, other, qr];
    if (r.code.startsWith('TRM_') || r.code.startsWith('SYS_')) return [back];
    return [rescan, other, qr];
  };
  const buttons = byCause();
  const qrAt = buttons.findIndex((b) => b.id === 'customer_scans');
  return kind === 'qr' && qrAt > 0 ? [qr, ...buttons.filter((b) => b.id !== 'customer_scans')] : buttons;
}
