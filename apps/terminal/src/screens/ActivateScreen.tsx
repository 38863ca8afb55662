/**
 * Activation, once per device: the activation code binds this browser to its serial and merchant.
 * The key pair is made here by WebCrypto, non-extractable; the private key goes to IndexedDB as a
 * CryptoKey and is never exported (terminal-sdk `activate()`).
 */
import { useState } from 'react';
import { activate, ApiError, NetworkError } from '@scanpay/terminal-sdk';
import type { DeviceRecord } from '../device/stores.ts';
import { Bi, TEXT, useT, type Text } from '../i18n.tsx';
import { Actions } from './chrome.tsx';

/** The app's version as the compatibility policy compares it (semver; apps/terminal/package.json). */
export const APP_VERSION = '0.1.0';

export function ActivateScreen(props: {
  baseUrl: string;
  initialSerial: string;
  serialFromHost: boolean;
  onActivated: (device: DeviceRecord) => Promise<void>;
}) {
  const t = useT();
  const [code, setCode] = useState('');
  const [serial, setSerial] = useState(props.initialSerial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: Text; remedy?: Text; code?: string } | null>(null);
  const ready = code.replace(/[\s-]/g, '').length >= 6 && serial.trim().length > 0 && !busy;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await activate({
        baseUrl: props.baseUrl,
        activationCode: code.trim(),
        serial: serial.trim(),
        appVersion: APP_VERSION,
        osVersion: navigator.userAgent.slice(0, 64),
      });
      await props.onActivated({
        terminalId: result.response.terminalId,
        serial: result.response.serial,
        merchant: result.response.merchant,
        store: result.response.store,
        privateKey: result.keyPair.privateKey,
        activatedAt: new Date().toISOString(),
      });
    } catch (err) {
      if (err instanceof ApiError) setError({ message: err.problem.message, remedy: err.problem.remedy, code: err.code });
      else if (err instanceof NetworkError) setError({ message: TEXT.networkUnavailable });
      else setError({ message: { zh: '激活失败', en: 'Activation failed' }, remedy: { zh: String(err), en: String(err) } });
      setBusy(false);
    }
  };

  return (
    <main className="screen activate-screen" data-testid="activate-screen">
      <h1>
        <Bi text="activateTitle" />
      </h1>
      <p className="small muted">{t('activationHint')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void submit();
        }}
      >
        <label>
          <span>{t('activationCode')}</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            placeholder="1234-5678-9012"
            data-testid="activation-code"
            autoFocus
          />
        </label>
        <label>
          <span>{t('serial')}</span>
          <input
            value={serial}
            onChange={(e) => setSerial(e.target.value)}
            readOnly={props.serialFromHost}
            autoComplete="off"
            data-testid="serial"
          />
          {props.serialFromHost && <span className="small muted">{t('serialFromHost')}</span>}
        </label>
        {error && (
          <div className="rejection" role="alert" data-testid="activation-error">
            <Bi text={error.message} className="strong" />
            {error.remedy && <Bi text={error.remedy} className="small" />}
            {error.code && <code className="small">{error.code}</code>}
          </div>
        )}
        <Actions>
          <button type="submit" className="btn primary wide" disabled={!ready} data-testid="activate">
            {busy ? t('activating') : t('activate')}
          </button>
        </Actions>
      </form>
    </main>
  );
}
