/**
 * 设置: language, the scan profile (resolution, scan region, torch), calibrating the scanner gun,
 * and this terminal's identity. The profile shows where it came from (the operator's, on the
 * platform, or changed here); 恢复推荐配置 fetches the operator's again. A profile is checked before
 * it is saved; one the camera later refuses is explained on the scan screen and replaced by the
 * defaults there, and the self-check reports it.
 */
import { useEffect, useState } from 'react';
import type { TerminalClient } from '@scanpay/terminal-sdk';
import type { DeviceRecord } from '../device/stores.ts';
import { Bi, useT, type Lang } from '../i18n.tsx';
import { CENTER_REGION, checkProfile, FULL_FRAME, RESOLUTIONS, type ScanProfile, type ScanRegion } from '../scan/profile.ts';
import { scanProfileEvidence, withLocalProfile } from '../scan/profile-sync.ts';
import { calibrateWedge, createWedgeDetector, DEFAULT_WEDGE_SETTINGS } from '../scan/wedge.ts';
import type { TerminalSettings } from '../settings.ts';
import { Actions, Button } from './chrome.tsx';
import { DiagnosisPanel } from './DiagnosisPanel.tsx';

export function SettingsScreen(props: {
  settings: TerminalSettings;
  device: DeviceRecord;
  client: TerminalClient;
  onSave: (s: TerminalSettings) => Promise<void>;
  /** Fetches the operator's profile and applies it over a local change; the new settings, or null. */
  onRestoreProfile: () => Promise<TerminalSettings | null>;
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
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const problems = checkProfile(profile);
  const regionIs = (r: ScanRegion) => JSON.stringify(profile.region) === JSON.stringify(r);
  const resolutions = RESOLUTIONS.some((r) => r.width === profile.width && r.height === profile.height)
    ? RESOLUTIONS
    : [...RESOLUTIONS, { width: profile.width, height: profile.height }];
  const origin = props.settings.profileOrigin;
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

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
    await props.onSave(withLocalProfile({ ...props.settings, lang, wedge }, profile));
    setSaved(true);
  };

  const restore = async () => {
    setRestoreError(null);
    try {
      const next = await props.onRestoreProfile();
      if (next) setProfile(next.profile);
    } catch (err) {
      setRestoreError(String(err));
    }
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
        <p className="small" data-testid="profile-source" data-source={origin.source} data-version={origin.platformVersion ?? ''}>
          {origin.source === 'platform'
            ? lang === 'zh'
              ? `来源：平台下发（${SCOPE_ZH[origin.platformScope ?? 'builtin']}，版本 ${origin.platformVersion}）`
              : `From the platform (${origin.platformScope ?? 'builtin'} profile, version ${origin.platformVersion})`
            : lang === 'zh'
              ? `来源：本机设置${origin.platformVersion !== null ? `（平台版本 ${origin.platformVersion} 之后修改）` : ''}`
              : `Set on this terminal${origin.platformVersion !== null ? ` (changed after platform version ${origin.platformVersion})` : ''}`}
        </p>
        {origin.rejected && (
          <p className="hint bad" data-testid="profile-rejected">
            {lang === 'zh' ? `平台下发的配置（版本 ${origin.rejected.version}）无效，未使用：` : `The platform's profile (version ${origin.rejected.version}) is invalid and was not used: `}
            {origin.rejected.fields.join(', ')}
          </p>
        )}
        {props.settings.cameraRefusedProfile && (
          <p className="hint warn" data-testid="profile-camera-refused">
            {lang === 'zh' ? '摄像头无法使用此配置，扫码时已改用默认配置' : 'The camera cannot use this profile; scanning ran with the defaults'}
            {props.settings.cameraRefusedProfile.constraint ? ` (${props.settings.cameraRefusedProfile.constraint})` : ''}
          </p>
        )}
        <dl className="facts small" data-testid="profile-facts">
          <dt>{lang === 'zh' ? '配置名称' : 'Profile'}</dt>
          <dd data-testid="profile-name">{profile.name}</dd>
          <dt>{t('scanRegion')}</dt>
          <dd data-testid="profile-region">
            {pct(profile.region.x)}, {pct(profile.region.y)} · {pct(profile.region.width)} × {pct(profile.region.height)}
          </dd>
          <dt>{lang === 'zh' ? '帧间隔' : 'Between frames'}</dt>
          <dd data-testid="profile-frame-interval">{profile.frameIntervalMs} ms</dd>
          <dt>{lang === 'zh' ? '摄像头' : 'Camera'}</dt>
          <dd>{profile.facingMode === 'environment' ? (lang === 'zh' ? '后置' : 'back') : lang === 'zh' ? '前置' : 'front'}</dd>
        </dl>
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
            {resolutions.map((r) => (
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
          <button type="button" aria-pressed={regionIs(FULL_FRAME)} onClick={() => setProfile({ ...profile, region: FULL_FRAME })}>
            {t('regionFull')}
          </button>
          <button type="button" aria-pressed={regionIs(CENTER_REGION)} onClick={() => setProfile({ ...profile, region: CENTER_REGION })}>
            {t('regionCenter')}
          </button>
          {!regionIs(FULL_FRAME) && !regionIs(CENTER_REGION) && (
            <button type="button" aria-pressed={true} disabled>
              {lang === 'zh' ? '自定义区域' : 'Custom area'}
            </button>
          )}
        </div>
        <label className="check">
          <input type="checkbox" checked={profile.torch} onChange={(e) => setProfile({ ...profile, torch: e.target.checked })} />
          <span>
            {t('torchMode')} ({lang === 'zh' ? '设备有补光灯时' : 'where the device has one'})
          </span>
        </label>
        {problems.map((p) => (
          <p key={p.field} className="hint bad">
            <Bi text={p.message} />
          </p>
        ))}
        <Button onClick={() => void restore()} testId="profile-restore">
          {lang === 'zh' ? '恢复推荐配置（从平台获取）' : 'Restore recommended profile (from the platform)'}
        </Button>
        {restoreError && <p className="hint bad">{restoreError}</p>}
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
        <DiagnosisPanel client={props.client} evidence={() => [scanProfileEvidence(props.settings)]} label={{ zh: '开始自检（网络、时钟、设备密钥、版本）', en: 'Run the self-check (network, clock, device key, versions)' }} />
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

const SCOPE_ZH = { terminal: '本终端', merchant: '本商户', fleet: '全部终端', builtin: '内置默认' } as const;
