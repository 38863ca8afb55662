/**
 * The home screen (UX.md §2 step 2): the amount first, on the on-screen keypad or a keyboard
 * (digits, Backspace, Enter = 收款, Esc = 清空). 收款 is enabled only for a valid amount and while
 * the network is up. A scanner-gun burst here is not an amount: its keys are taken back.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { applyAmountKey, checkAmount, displayAmount, keyboardToAmountKey, type AmountKey } from '../amount/keypad.ts';
import { Bi, useT } from '../i18n.tsx';
import { paymentCodeInBurst } from '../scan/read-decision.ts';
import { createWedgeDetector, type WedgeSettings } from '../scan/wedge.ts';
import { Amount } from './chrome.tsx';

export interface Charge {
  fen: number;
  yuan: string;
}

/** Four columns, the POS layout: ⌫ and 清空 on the right, a tall 收款 key bottom right. */
const LAYOUT: (AmountKey | 'charge')[] = ['1', '2', '3', 'back', '4', '5', '6', 'clear', '7', '8', '9', 'charge', '00', '0', '.'];

export function AmountScreen(props: {
  typed: string;
  setTyped: (next: string) => void;
  online: boolean;
  wedge: WedgeSettings;
  onCharge: (charge: Charge) => void;
  /** 顾客扫码: the customer cannot show a payment code, so they scan a QR of this amount. */
  onCustomerScans: (charge: Charge) => void;
  side?: ReactNode;
}) {
  const t = useT();
  const check = checkAmount(props.typed);
  const canCharge = check.ok && props.online;
  const [hint, setHint] = useState<'amountFirst' | null>(null);
  const latest = useRef({ check, canCharge, onCharge: props.onCharge });
  latest.current = { check, canCharge, onCharge: props.onCharge };
  const snapshots = useRef<string[]>([]);
  // Keys of a burst arrive faster than React renders: the latest amount lives here, synchronously.
  const typedRef = useRef(props.typed);
  typedRef.current = props.typed;
  const setTyped = (next: string) => {
    typedRef.current = next;
    props.setTyped(next);
  };

  useEffect(() => {
    const detector = createWedgeDetector(props.wedge);
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target instanceof HTMLInputElement) return;
      const verdict = detector.key(e.key, e.timeStamp);
      if (verdict?.kind === 'scan') {
        // A gun fired on the amount screen: undo the digits it typed and say what to do first.
        e.preventDefault();
        const keys = paymentCodeInBurst(verdict)?.keys ?? verdict.length;
        const restoreTo = snapshots.current[Math.max(0, snapshots.current.length - keys)] ?? '';
        snapshots.current = [];
        setTyped(restoreTo);
        setHint('amountFirst');
        return;
      }
      if (e.key === 'Enter') {
        e.preventDefault();
        const { check: c, canCharge: ok, onCharge } = latest.current;
        if (ok && c.ok) onCharge({ fen: c.fen, yuan: c.yuan });
        return;
      }
      if (e.key === 'Escape') {
        setTyped('');
        snapshots.current = [];
        return;
      }
      const key = keyboardToAmountKey(e.key);
      if (!key) return;
      e.preventDefault();
      setHint(null);
      snapshots.current.push(typedRef.current);
      if (snapshots.current.length > 64) snapshots.current.shift();
      setTyped(applyAmountKey(typedRef.current, key));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props.wedge]);

  const press = (key: AmountKey) => {
    setHint(null);
    setTyped(applyAmountKey(typedRef.current, key));
  };

  return (
    <main className="screen amount-screen">
      <section className="amount-pane">
        <div className="prompt">
          <Bi text="enterAmount" />
        </div>
        <Amount yuan={displayAmount(props.typed)} size="huge" />
        {!check.ok && check.reason === 'too_large' && (
          <p className="hint bad" role="status">
            <Bi text="amountTooLarge" />
          </p>
        )}
        {hint && (
          <p className="hint warn" role="status" data-testid="amount-hint">
            <Bi text={hint} />
          </p>
        )}
        <div className="keypad" role="group" aria-label={t('enterAmount')}>
          {LAYOUT.map((k) =>
            k === 'charge' ? (
              <button
                key="charge"
                type="button"
                className="key charge"
                disabled={!canCharge}
                onClick={() => check.ok && props.onCharge({ fen: check.fen, yuan: check.yuan })}
                data-testid="charge"
              >
                {t('charge')}
              </button>
            ) : (
              <button
                key={k}
                type="button"
                className={`key ${k === 'back' || k === 'clear' ? 'fn' : ''}`}
                onClick={() => press(k)}
                data-testid={`key-${k}`}
              >
                {k === 'back' ? '⌫' : k === 'clear' ? t('clear') : k}
              </button>
            ),
          )}
        </div>
        <button
          type="button"
          className="btn secondary customer-scans"
          disabled={!canCharge}
          onClick={() => check.ok && props.onCustomerScans({ fen: check.fen, yuan: check.yuan })}
          data-testid="customer-scans"
        >
          {t('customerScans')}
        </button>
        <p className="keyboard-hint">{t('keyboardHint')}</p>
      </section>
      {props.side && <aside className="side-pane">{props.side}</aside>}
    </main>
  );
}
