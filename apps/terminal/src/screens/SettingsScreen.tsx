/**
 * 设置: language, the scan profile (resolution, scan region, torch), calibrating the scanner gun,
 * and this terminal's identity. A profile is checked before it is saved; one the camera later
 * refuses is explained on the scan screen and replaced by the defaults there.
 */
import { useEffect, useState } from 'react';
import type { TerminalClient } from '@scanpay/terminal-sdk';
import type { DeviceRecord } from '../device/stores.ts';
import { Bi, useT, type Lang } from '../i18n.tsx';
import { CENTER_REGION, checkProfile, FULL_FRAME, RESOLUTIONS, type ScanProfile } from '../scan/profile.ts';
import { calibrateWedge, createWedgeDetector, DEFAULT_WEDGE_SETTINGS } from '../scan/wedge.ts';
import type { TerminalSettings } from '../settings.ts';
import { Actions, Button } from './chrome.tsx';
import { DiagnosisPanel } from './DiagnosisPanel.tsx';

export function SettingsScreen(props: {
  settings: TerminalSettings;
  device: DeviceRecord;
  client: TerminalClient;
  onSave: (s: TerminalSettings) => Promise<void>;
  onForgetDevice: () => Promise<void>;
  onBack: () => void;
}) {
  const t = useT();
  const [profile, setProfile] = useState<ScanProfile>(props.settings.profile);
  const [lang, setLang] = useState<Lang>(props.settings.lang);
  const [wedge, setWedge] = useState(props.settings.wedge);
  const [calibrating, setCalibrating] = useState<number[][] | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirmForget, setConfirmForget] = useState(false);
  const problems = checkProfile(profile);
  const isCenter = profile.region.width < 1;

  const isCalibrating = calibrating !== null;
  // Calibration: record the key gaps of three Enter-terminated runs from the gun.
  useEffect(() => {
    if (!isCalibrating) return;
    const lax = createWedgeDetector({ ...DEFAULT_WEDGE_SETTINGS, maxAverageGapMs: 10_000, maxGapMs: 1000 });
    const samples: number[][] = [];
    const onKey = (e: KeyboardEvent) => {
      const gaps = lax.currentGaps();
      const verdict = lax.key(e.key, e.timeStamp);
      if (verdict?.kind === 'scan') {
        e.preventDefault();
        samples.push(gaps);
        setCalibrating([...samples]);
        if (samples.length >= 3) {
          setWedge(calibrateWedge(samples));
          setCalibrating(null);
        }
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [isCalibrating]);

  const save = async () => {
    await props.onSave({ ...props.settings, lang, profile, wedge });
    setSaved(true);
  };

  return (
    <main className="screen settings-screen" data-testid="settings-screen">
      <h1>
        <Bi text="settings" />
      </h1>
      <section>
        <h2>{t('language')}</h2>
        <div className="segmented">
          <button type="button" aria-pressed={lang === 'zh'} onClick={() => setLang('zh')}>
            中文
          </button>
          <button type="button" aria-pressed={lang === 'en'} onClick={() => setLang('en')}>
            English
          </button>
        </div>
      </section>
      <section>
        <h2>{t('scanProfile')}</h2>
        <label>
          <span>{t('resolution')}</span>
          <select
            value={`${profile.width}x${profile.height}`}
            onChange={(e) => {
              const [w, h] = e.target.value.split('x').map(Number);
              setProfile({ ...profile, width: w!, height: h! });
            }}
            data-testid="profile-resolution"
          >
            {RESOLUTIONS.map((r) => (
              <option key={`${r.width}x${r.height}`} value={`${r.width}x${r.height}`}>
                {r.width}×{r.height}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={profile.strictResolution} onChange={(e) => setProfile({ ...profile, strictResolution: e.target.checked })} />
          <span>{lang === 'zh' ? '必须使用此分辨率' : 'Require exactly this resolution'}</span>
        </label>
        <div className="segmented" role="group" aria-label={t('scanRegion')}>
          <button type="button" aria-pressed={!isCenter} onClick={() => setProfile({ ...profile, region: FULL_FRAME })}>
            {t('regionFull')}
          </button>
          <button type="button" aria-pressed={isCenter} onClick={() => setProfile({ ...profile, region: CENTER_REGION })}>
            {t('regionCenter')}
          </button>
        </div>
        <label className="check">
          <input type="checkbox" checked={profile.torch} onChange={(e) => setProfile({ ...profile, torch: e.target.checked })} />
          <span>
            {t('torchMode')} ({lang === 'zh' ? '设备有补光灯时' : 'where the device has one'})
          </span>
        </label>
        {problems.map((p) => (
          <p key={p.field} className="hint bad">
            {p.detail}
          </p>
        ))}
      </section>
      <section>
        <h2>{t('wedgeCalibrate')}</h2>
        <p className="small muted">
          {wedge.maxAverageGapMs} ms / {wedge.maxGapMs} ms
        </p>
        {calibrating ? (
          <p className="hint warn">
            {t('wedgeCalibrateHint')} ({calibrating.length}/3)
          </p>
        ) : (
          <Button onClick={() => setCalibrating([])}>{t('wedgeCalibrate')}</Button>
        )}
      </section>
      <section>
        <h2>{lang === 'zh' ? '一键自检' : 'Self-check'}</h2>
        <DiagnosisPanel client={props.client} label={{ zh: '开始自检（网络、时钟、设备密钥、版本）', en: 'Run the self-check (network, clock, device key, versions)' }} />
      </section>
      <section>
        <h2>{t('terminalInfo')}</h2>
        <dl className="facts small">
          <dt>终端 Terminal</dt>
          <dd data-testid="terminal-id">{props.device.terminalId}</dd>
          <dt>序列号 Serial</dt>
          <dd>{props.device.serial}</dd>
          <dt>商户 Merchant</dt>
          <dd>{props.device.merchant.name}</dd>
          <dt>门店 Store</dt>
          <dd>{props.device.store.name}</dd>
        </dl>
        {confirmForget ? (
          <Button kind="danger" onClick={() => void props.onForgetDevice()}>
            {lang === 'zh' ? '确认删除设备密钥并重新激活' : 'Delete the device key and activate again'}
          </Button>
        ) : (
          <Button onClick={() => setConfirmForget(true)}>{lang === 'zh' ? '重新激活' : 'Activate again'}</Button>
        )}
      </section>
      {saved && <p className="hint ok">{t('saved')}</p>}
      <Actions>
        <Button onClick={props.onBack} testId="settings-back">
          {t('back')}
        </Button>
        <Button kind="primary" onClick={() => void save()} disabled={problems.length > 0} testId="settings-save" wide>
          {t('save')}
        </Button>
      </Actions>
    </main>
  );
}
