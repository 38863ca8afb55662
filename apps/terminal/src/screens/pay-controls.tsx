/** Controls shared by the waiting screens: 查询结果, 取消收款 (with its confirmation), countdowns. */
import { useEffect, useState } from 'react';
import { Bi, useT } from '../i18n.tsx';
import { Button } from './chrome.tsx';

export function useSecondsLeft(since: number, windowS: number): number {
  return useSecondsUntil(since + windowS * 1000);
}

/** Whole seconds until `deadline` (local ms), refreshed twice a second; never below 0. */
export function useSecondsUntil(deadline: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function QueryButton({ onQuery }: { onQuery: () => Promise<unknown> }) {
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

/**
 * 取消收款 behind a confirmation (UX.md §2 step 5): a stop cancels the order unless the customer
 * has just paid, so one stray tap must not do it.
 */
export function StopControl({ onStop }: { onStop: () => void }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button kind="danger" onClick={() => setAsking(true)} testId="stop-payment" wide>
        {t('stopPayment')}
      </Button>
    );
  }
  return (
    <div className="stop-confirm" role="alertdialog" aria-label={t('stopPayment')} data-testid="stop-dialog">
      <p className="lead">
        <Bi text="stopConfirm" />
      </p>
      <div className="row">
        <Button onClick={() => setAsking(false)} testId="stop-keep" wide>
          {t('stopNo')}
        </Button>
        <Button kind="danger" onClick={onStop} testId="stop-confirm" wide>
          {t('stopYes')}
        </Button>
      </div>
    </div>
  );
}
