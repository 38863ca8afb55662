/**
 * 一键自检 and "why did it fail": the terminal SDK's `diagnoseFailure` runs the self-check (network,
 * clock, device key, versions), adds the failure's evidence, and asks the platform to diagnose — or
 * diagnoses on the device when the platform cannot be reached. The cashier sees the likely causes
 * with what to do, Chinese first.
 */
import { useState } from 'react';
import type { Payment } from '@scanpay/contracts';
import { diagnoseFailure, type DiagnoseFailureInput, type DiagnoseFailureResult, type TerminalClient } from '@scanpay/terminal-sdk';
import { Bi, useLang } from '../i18n.tsx';
import { Button } from './chrome.tsx';
import { APP_VERSION } from './ActivateScreen.tsx';

export function DiagnosisPanel(props: {
  client: TerminalClient;
  failure?: Payment;
  /** Evidence the screen holds, e.g. the scan session (read when the button is pressed). */
  evidence?: () => NonNullable<DiagnoseFailureInput['evidence']>;
  label: { zh: string; en: string };
}) {
  const lang = useLang();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DiagnoseFailureResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(
        await diagnoseFailure(props.client, {
          ...(props.failure ? { failure: props.failure } : {}),
          ...(props.evidence ? { evidence: props.evidence() } : {}),
          selfCheck: { online: navigator.onLine, appVersion: APP_VERSION, osVersion: navigator.userAgent.slice(0, 64) },
        }),
      );
    } catch (err) {
      setError(String(err));
    } finally {
      setBusy(false);
    }
  };

  const causes = result?.diagnosis.causes.slice(0, 3) ?? [];
  return (
    <div className="diagnosis" data-testid="diagnosis">
      <Button onClick={() => void run()} disabled={busy} testId="run-diagnosis">
        {busy ? '…' : props.label[lang]}
      </Button>
      {error && <p className="hint bad">{error}</p>}
      {result && causes.length === 0 && (
        <p className="hint ok" data-testid="diagnosis-clear">
          <Bi text={{ zh: '未发现问题', en: 'No problem found' }} />
        </p>
      )}
      {causes.map((c) => (
        <div key={c.cause} className="cause" data-testid="diagnosis-cause" data-cause={c.cause}>
          <Bi text={c.title} className="strong" />
          <ol className="small">
            {c.remedy.map((r, i) => (
              <li key={i}>
                {r.zh} <span className="muted">{r.en}</span>
              </li>
            ))}
          </ol>
          <span className="small muted">
            {Math.round(c.confidence * 100)}% · {c.cause}
          </span>
        </div>
      ))}
      {result && (
        <p className="small muted">
          {result.diagnosedBy === 'platform' ? '平台诊断 diagnosed by the platform' : '本机诊断 diagnosed on this device'}
          {result.incident ? ` · ${result.incident.id}` : ''}
          {result.report ? ` · ${result.report.skipped.length} skipped` : ''}
        </p>
      )}
    </div>
  );
}
