/**
 * The cashier app: boot (device, settings, an undecided payment to resume), then one screen at a
 * time. The flow is enforced: amount → scanner (or 顾客扫码: a QR) → paying → result; while a payment is undecided
 * the only screen is its own, and 收款 is off while the network is down.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Payment, Refund } from '@scanpay/contracts';
import { TerminalClient } from '@scanpay/terminal-sdk';
import { checkAmount } from './amount/keypad.ts';
import { serialFromHost } from './device/host-bridge.ts';
import { openKv, type Kv } from './device/idb.ts';
import { forgetDevice, idbPendingStore, loadDevice, loadSerial, loadStored, saveDevice, saveSerial, saveStored, type DeviceRecord } from './device/stores.ts';
import { feedback } from './feedback.ts';
import { Bi, LangContext, type Lang, type Text } from './i18n.tsx';
import { PayRunner, type PayView } from './pay/runner.ts';
import { listRefunds } from './refund/api.ts';
import { profileIsStale, scanProfileEvidence, withCameraOutcome, withPlatformProfile } from './scan/profile-sync.ts';
import { completeSettings, DEFAULT_SETTINGS, type TerminalSettings } from './settings.ts';
import { ActivateScreen } from './screens/ActivateScreen.tsx';
import { DiagnosisPanel } from './screens/DiagnosisPanel.tsx';
import { AmountScreen, type Charge } from './screens/AmountScreen.tsx';
import { Button, MerchantBar, OfflineBanner } from './screens/chrome.tsx';
import { HistoryScreen, PaymentList, useRecentPayments } from './screens/HistoryScreen.tsx';
import { PayScreen } from './screens/PayScreen.tsx';
import { ReceiptScreen } from './screens/ReceiptScreen.tsx';
import { RefundScreen } from './screens/RefundScreen.tsx';
import { ScanScreen } from './screens/ScanScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';
import { useConnectivity } from './use-connectivity.ts';

type Screen =
  | { name: 'boot' }
  | { name: 'fatal'; message: Text }
  | { name: 'activate'; serial: string; fromHost: boolean }
  | { name: 'amount' }
  | { name: 'scan'; charge: Charge }
  | { name: 'pay' }
  | { name: 'receipt'; payment: Payment; back: Screen }
  | { name: 'history' }
  | { name: 'detail'; payment: Payment }
  | { name: 'refund'; payment: Payment }
  | { name: 'settings' };

const BASE_URL = globalThis.location?.origin ?? '';

export function App() {
  const [kv, setKv] = useState<Kv | null>(null);
  const [settings, setSettings] = useState<TerminalSettings>(DEFAULT_SETTINGS);
  const [device, setDevice] = useState<DeviceRecord | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: 'boot' });
  const [payView, setPayView] = useState<PayView | null>(null);
  const [typed, setTyped] = useState('');
  const { online, setReachable } = useConnectivity(BASE_URL);
  // The latest settings for async work (a fetch that lands later must not undo a change made meanwhile).
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  // Boot: the device store, the settings, the device identity.
  useEffect(() => {
    (async () => {
      const store = await openKv();
      const loaded = completeSettings(await loadStored<Partial<TerminalSettings>>(store, {}));
      setKv(store);
      setSettings(loaded);
      const record = await loadDevice(store);
      if (record) {
        setDevice(record);
        return;
      }
      const hostSerial = serialFromHost();
      const serial = hostSerial ?? (await loadSerial(store)) ?? '';
      setScreen({ name: 'activate', serial, fromHost: hostSerial !== null });
    })().catch((err: unknown) =>
      setScreen({ name: 'fatal', message: { zh: `无法打开本机存储：${String(err)}`, en: `Cannot open this device's storage: ${String(err)}` } }),
    );
  }, []);

  const client = useMemo(
    () => (device ? new TerminalClient({ baseUrl: BASE_URL, terminalId: device.terminalId, privateKey: device.privateKey }) : null),
    [device],
  );

  const runner = useMemo(() => {
    if (!client || !kv) return null;
    return new PayRunner(client, idbPendingStore(kv), {
      onView: (view) => {
        setPayView(view);
        if (view.stage === 'done') {
          if (view.payment.status === 'succeeded') {
            feedback.success();
            feedback.announce(view.payment.amount);
          } else feedback.failure();
        } else if (view.stage === 'refused') feedback.failure();
        // A late answer never pulls the cashier away from a receipt they opened.
        setScreen((s) => (s.name === 'pay' || view.stage !== 'done' ? { name: 'pay' } : s));
      },
      onReachable: setReachable,
    });
  }, [client, kv, setReachable]);

  // On start: an undecided payment from before a reload or a crash is resumed and its outcome shown.
  useEffect(() => {
    if (!runner) return;
    void runner.resume().then((resumed) => {
      if (!resumed) setScreen((s) => (s.name === 'boot' ? { name: 'amount' } : s));
    });
  }, [runner]);

  const saveSettings = useCallback(
    async (next: TerminalSettings) => {
      if (next === settingsRef.current) return;
      settingsRef.current = next;
      setSettings(next);
      if (kv) await saveStored(kv, next);
    },
    [kv],
  );

  /** The operator's scan profile for this terminal, fetched and applied (`force`: over a local change too). */
  const syncProfile = useCallback(
    async (force = false) => {
      if (!client) return null;
      const { scanProfile } = await client.getConfig();
      const next = withPlatformProfile(settingsRef.current, scanProfile, new Date().toISOString(), { force });
      await saveSettings(next);
      return next;
    },
    [client, saveSettings],
  );

  // At start and right after activation (a new client): offline or refused, the stored profile stays
  // in force and the self-check says why the platform could not be asked.
  useEffect(() => {
    void syncProfile().catch(() => undefined);
  }, [syncProfile]);

  const onCameraOutcome = useCallback(
    (warning: Parameters<typeof withCameraOutcome>[1]) => void saveSettings(withCameraOutcome(settingsRef.current, warning, new Date().toISOString())),
    [saveSettings],
  );

  const lang = settings.lang;
  const setLang = useCallback((next: Lang) => void saveSettings({ ...settingsRef.current, lang: next }), [saveSettings]);

  const toAmount = useCallback((clear: boolean) => {
    if (clear) setTyped('');
    setPayView(null);
    setScreen({ name: 'amount' });
    // Between sales (never mid-scan), a profile the operator changed since reaches this till.
    if (profileIsStale(settingsRef.current, Date.now())) void syncProfile().catch(() => undefined);
  }, [syncProfile]);

  const startScan = useCallback(
    async (charge: Charge) => {
      if (!runner) return;
      // Never a new scan while a payment is undecided: that one is resumed instead.
      await runner.idle();
      if (await runner.resume()) return;
      setScreen({ name: 'scan', charge });
    },
    [runner],
  );

  // 顾客扫码: a QR order for the same amount; never a second one while a payment is undecided.
  const startQr = useCallback(
    async (charge: Charge) => {
      if (!runner) return;
      await runner.idle();
      if (await runner.resume()) return;
      if (await runner.startQr({ amount: charge.yuan })) setScreen({ name: 'pay' });
    },
    [runner],
  );

  const onCode = useCallback(
    (charge: Charge) => (code: string) => {
      if (!runner) return;
      void runner.start({ amount: charge.yuan, authCode: code }).then((started) => {
        if (started) setScreen({ name: 'pay' });
      });
    },
    [runner],
  );

  if (screen.name === 'boot') return <div className="boot spinner" aria-label="loading" />;
  if (screen.name === 'fatal') {
    return (
      <LangContext.Provider value={lang}>
        <main className="screen">
          <Bi text={screen.message} />
        </main>
      </LangContext.Provider>
    );
  }

  if (screen.name === 'activate') {
    return (
      <LangContext.Provider value={lang}>
        <div className="app" data-screen="activate">
          {!online && <OfflineBanner />}
          <ActivateScreen
            baseUrl={BASE_URL}
            initialSerial={screen.serial}
            serialFromHost={screen.fromHost}
            onActivated={async (record) => {
              await saveSerial(kv!, record.serial);
              await saveDevice(kv!, record);
              setDevice(record);
              setScreen({ name: 'boot' }); // the runner comes up next and opens the amount screen
            }}
          />
        </div>
      </LangContext.Provider>
    );
  }

  if (!device || !client || !runner) return <div className="boot spinner" aria-label="loading" />;
  const chargeOf = (yuan: string): Charge => {
    const c = checkAmount(yuan);
    return c.ok ? { yuan: c.yuan, fen: c.fen } : { yuan, fen: 0 };
  };
  const homeNav = screen.name === 'amount';

  let body;
  switch (screen.name) {
    case 'amount':
      body = (
        <AmountScreen
          typed={typed}
          setTyped={setTyped}
          online={online}
          wedge={settings.wedge}
          onCharge={(c) => void startScan(c)}
          onCustomerScans={(c) => void startQr(c)}
          side={<RecentSide client={client} online={online} onOpen={(p) => setScreen({ name: 'detail', payment: p })} />}
        />
      );
      break;
    case 'scan':
      body = (
        <ScanScreen
          yuan={screen.charge.yuan}
          profile={settings.profile}
          wedge={settings.wedge}
          online={online}
          onCode={onCode(screen.charge)}
          client={client}
          onCameraOutcome={onCameraOutcome}
          profileEvidence={() => scanProfileEvidence(settingsRef.current)}
          onCancel={() => toAmount(false)}
        />
      );
      break;
    case 'pay':
      body = payView ? (
        <PayScreen
          view={payView}
          autoContinueSeconds={settings.autoContinueSeconds}
          onRescan={() => void startScan(chargeOf(payView.amount))}
          onOtherMethod={() => toAmount(true)}
          onContinue={() => toAmount(true)}
          onReceipt={(payment) => setScreen({ name: 'receipt', payment, back: { name: 'pay' } })}
          onQuery={() => runner.queryNow()}
          onStop={() => void runner.stop()}
          onCustomerScans={() => void startQr(chargeOf(payView.amount))}
          diagnose={(payment) => <DiagnosisPanel client={client} failure={payment} label={{ zh: '诊断原因', en: 'Why did it fail?' }} />}
        />
      ) : null;
      break;
    case 'receipt':
      body = <ReceiptScreen payment={screen.payment} device={device} onBack={() => setScreen(screen.back)} />;
      break;
    case 'history':
      body = <HistoryScreen client={client} online={online} onOpen={(p) => setScreen({ name: 'detail', payment: p })} onBack={() => toAmount(false)} />;
      break;
    case 'detail': {
      const p = screen.payment;
      const refundable = (p.status === 'succeeded' || p.status === 'partially_refunded') && online;
      body = (
        <PaymentDetail
          key={p.id}
          client={client}
          payment={p}
          device={device}
          onBack={() => setScreen({ name: 'history' })}
          actions={
            <>
              {p.pending && (
                <Button onClick={() => void client.getPayment(p.id).then((fresh) => setScreen({ name: 'detail', payment: fresh }))}>
                  {lang === 'zh' ? '查询' : 'Query'}
                </Button>
              )}
              {refundable && (
                <Button kind="danger" onClick={() => setScreen({ name: 'refund', payment: p })} testId="open-refund">
                  {lang === 'zh' ? '退款' : 'Refund'}
                </Button>
              )}
            </>
          }
        />
      );
      break;
    }
    case 'refund':
      body = <RefundScreen client={client} payment={screen.payment} online={online} onDone={() => setScreen({ name: 'history' })} />;
      break;
    case 'settings':
      body = (
        <SettingsScreen
          settings={settings}
          device={device}
          client={client}
          onSave={saveSettings}
          onRestoreProfile={() => syncProfile(true)}
          onForgetDevice={async () => {
            await forgetDevice(kv!);
            location.reload();
          }}
          onBack={() => toAmount(false)}
        />
      );
      break;
  }

  return (
    <LangContext.Provider value={lang}>
      <div className="app" data-screen={screen.name} data-online={online ? 'true' : 'false'}>
        {!online && <OfflineBanner />}
        <MerchantBar
          merchant={device.merchant.name}
          store={device.store.name}
          lang={lang}
          onLang={setLang}
          {...(homeNav ? { onHistory: () => setScreen({ name: 'history' }), onSettings: () => setScreen({ name: 'settings' }) } : {})}
        />
        {body}
      </div>
    </LangContext.Provider>
  );
}

/** A payment's receipt with its refunds (退款单号, 退款金额), loaded when the detail opens. */
function PaymentDetail(props: Omit<Parameters<typeof ReceiptScreen>[0], 'refunds'> & { client: TerminalClient }) {
  const { client, ...receipt } = props;
  const [refunds, setRefunds] = useState<Refund[]>([]);
  useEffect(() => {
    if (receipt.payment.refundedAmount === '0.00') return;
    listRefunds(client, receipt.payment.id).then(setRefunds, () => setRefunds([]));
  }, [client, receipt.payment.id, receipt.payment.refundedAmount]);
  return <ReceiptScreen {...receipt} refunds={refunds} />;
}

/** On a laptop the amount screen has a second pane: the latest payments (UX.md §5). */
function RecentSide({ client, online, onOpen }: { client: TerminalClient; online: boolean; onOpen: (p: Payment) => void }) {
  const { payments } = useRecentPayments(client, 8, online);
  return (
    <>
      <h2 className="small">
        <Bi text="history" />
      </h2>
      {payments && <PaymentList payments={payments} onOpen={onOpen} />}
    </>
  );
}
