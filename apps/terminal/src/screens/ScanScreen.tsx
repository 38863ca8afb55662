/**
 * 请出示付款码 (UX.md §2 step 3): three inputs live at once — the camera with coaching under the
 * viewfinder, a scanner gun (keyboard wedge) and typing or pasting (手动输入). Each read is
 * classified before anything is sent; the first payment code locks all three (one code per order).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Bi, useT, type Text } from '../i18n.tsx';
import { feedback } from '../feedback.ts';
import { openCamera, type CameraSession } from '../scan/camera.ts';
import type { CameraProblem } from '../scan/camera-errors.ts';
import { startCameraScanner } from '../scan/camera-scanner.ts';
import type { ScanProfile } from '../scan/profile.ts';
import { decideRead, paymentCodeInBurst, type ReadDecision, type ReadSource } from '../scan/read-decision.ts';
import { createWedgeDetector, type WedgeSettings } from '../scan/wedge.ts';
import type { DiagnoseFailureInput, TerminalClient } from '@scanpay/terminal-sdk';
import { frameDefectsOf, newScanSession } from '../scan/session.ts';
import { Actions, Amount, Button } from './chrome.tsx';
import { DiagnosisPanel } from './DiagnosisPanel.tsx';

type CameraState =
  | { state: 'starting' }
  | { state: 'on'; session: CameraSession; warning?: CameraProblem }
  | { state: 'problem'; problem: CameraProblem };

export function ScanScreen(props: {
  yuan: string;
  profile: ScanProfile;
  wedge: WedgeSettings;
  online: boolean;
  onCode: (code: string, source: ReadSource) => void;
  onCancel: () => void;
  /** For "扫不出来？": the self-check plus what this screen saw. */
  client?: TerminalClient;
  /** How the camera took the profile: a refusal (the defaults run instead) or null when it was honoured. */
  onCameraOutcome?: (warning: CameraProblem | null) => void;
  /** The scan profile as self-check evidence, read when the diagnosis runs (after the camera's outcome). */
  profileEvidence?: () => NonNullable<DiagnoseFailureInput['evidence']>[number];
}) {
  const t = useT();
  const [camera, setCamera] = useState<CameraState>({ state: 'starting' });
  const [rejection, setRejection] = useState<Extract<ReadDecision, { kind: 'reject' }> | null>(null);
  const [hint, setHint] = useState<Text | null>(null);
  const [locked, setLocked] = useState(false);
  const [manual, setManual] = useState('');
  const [torchOn, setTorchOn] = useState(props.profile.torch);
  const [decoderProblem, setDecoderProblem] = useState<string | null>(null);
  const lockedRef = useRef(false);
  const lastRejected = useRef<{ text: string; at: number } | null>(null);
  const scanSession = useRef(newScanSession(props.profile));
  const [showDiagnosis, setShowDiagnosis] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);
  // Callbacks through refs: the listeners below must not be re-made on every render (a burst of
  // scanner-gun keys would lose its timing state half-way).
  const onCodeRef = useRef(props.onCode);
  onCodeRef.current = props.onCode;
  const onCancelRef = useRef(props.onCancel);
  onCancelRef.current = props.onCancel;
  const onlineRef = useRef(props.online);
  onlineRef.current = props.online;
  const onCameraOutcomeRef = useRef(props.onCameraOutcome);
  onCameraOutcomeRef.current = props.onCameraOutcome;

  const handleRead = useCallback((raw: string, source: ReadSource) => {
    if (lockedRef.current) return;
    // Offline, nothing is charged (UX.md §2 step 14); the banner says why.
    if (!onlineRef.current) return;
    const decision = decideRead(raw, source);
    if (decision.kind === 'ignore') return;
    if (decision.kind === 'reject') {
      // The camera sees the same wrong code many times a second: say it once, keep it on screen.
      const now = performance.now();
      const again = lastRejected.current?.text === raw && now - lastRejected.current.at < 3000;
      lastRejected.current = { text: raw, at: now };
      setRejection(decision);
      if (!again) feedback.failure();
      return;
    }
    lockedRef.current = true;
    setLocked(true);
    setRejection(null);
    feedback.read();
    onCodeRef.current(decision.code, source);
  }, []);

  // The camera and its decoding worker.
  useEffect(() => {
    let cancelled = false;
    let session: CameraSession | undefined;
    let scanner: ReturnType<typeof startCameraScanner> | undefined;
    void openCamera(props.profile).then((result) => {
      if (cancelled) {
        if (result.ok) result.session.stop();
        return;
      }
      if (!result.ok) {
        setCamera({ state: 'problem', problem: result.problem });
        if (result.problem.kind === 'permission_denied') scanSession.current.cameraUnavailable('permission_denied');
        if (result.problem.kind === 'no_camera') scanSession.current.cameraUnavailable('no_camera');
        return;
      }
      session = result.session;
      const video = videoRef.current!;
      video.srcObject = session.stream;
      void video.play().catch(() => {});
      setCamera({ state: 'on', session, ...(result.warning ? { warning: result.warning } : {}) });
      onCameraOutcomeRef.current?.(result.warning ?? null);
      scanner = startCameraScanner(video, session.profile, {
        onText: (text) => handleRead(text, 'camera'),
        onHint: setHint,
        onFrame: (text, defects, size) => {
          if (scanSession.current.evidence().frames === 0) scanSession.current = newScanSession(props.profile, size);
          scanSession.current.frame(frameDefectsOf(defects));
          scanSession.current.read(text);
        },
        onDecoderProblem: setDecoderProblem,
      });
    });
    return () => {
      cancelled = true;
      scanner?.stop();
      session?.stop();
    };
  }, [props.profile, handleRead]);

  // The scanner gun: a window-wide listener, whatever has the focus. A layout effect, so it is
  // listening before the screen is first painted: a gun fired as the screen opens loses no key.
  useLayoutEffect(() => {
    const detector = createWedgeDetector(props.wedge);
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape' && !lockedRef.current) return onCancelRef.current();
      const verdict = detector.key(e.key, e.timeStamp);
      if (verdict?.kind === 'scan') {
        e.preventDefault();
        setManual('');
        // The fast run is the code, unless a stall split the burst (then its code-shaped tail is).
        handleRead(paymentCodeInBurst(verdict)?.text ?? verdict.text, 'wedge');
      } else if (verdict?.kind === 'typed' && e.key === 'Enter' && !(e.target instanceof HTMLInputElement)) {
        handleRead(verdict.text, 'manual');
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [props.wedge, handleRead]);

  const toggleTorch = async () => {
    if (camera.state !== 'on') return;
    if (await camera.session.setTorch(!torchOn)) setTorchOn(!torchOn);
  };

  // What the camera and the decoder really run with: the defaults when the profile was refused.
  const inForce = camera.state === 'on' ? camera.session.profile : props.profile;
  const region = inForce.region;
  return (
    <main className="screen scan-screen" data-testid="scan-screen" data-locked={locked ? 'true' : 'false'}>
      <div className="scan-head">
        <Amount yuan={props.yuan} size="large" />
        <h1 className="prompt">
          <Bi text={locked ? 'codeLocked' : 'showCode'} />
        </h1>
      </div>
      <div
        className="viewfinder"
        data-testid="viewfinder"
        data-camera={camera.state}
        data-profile={inForce.name}
        data-region={`${region.x},${region.y},${region.width},${region.height}`}
        data-frame-interval={inForce.frameIntervalMs}
      >
        <video ref={videoRef} muted playsInline autoPlay />
        {camera.state === 'on' && (
          <div
            className="scan-region"
            style={{ left: `${region.x * 100}%`, top: `${region.y * 100}%`, width: `${region.width * 100}%`, height: `${region.height * 100}%` }}
          />
        )}
        {camera.state === 'starting' && <p className="camera-note">{t('cameraStarting')}</p>}
        {camera.state === 'problem' && (
          <div className="camera-problem" role="alert" data-testid="camera-problem" data-kind={camera.problem.kind}>
            <Bi text={camera.problem.message} className="strong" />
            <Bi text={camera.problem.remedy} className="small" />
          </div>
        )}
        {camera.state === 'on' && camera.session.hasTorch && (
          <button type="button" className="torch" onClick={() => void toggleTorch()} aria-pressed={torchOn}>
            🔦 {t('torch')}
          </button>
        )}
      </div>
      <div className="coaching" aria-live="polite" data-testid="coaching">
        {hint && !locked ? <Bi text={hint} /> : <span className="muted">{t('holdCode')}</span>}
      </div>
      {camera.state === 'on' && camera.warning && (
        <p className="hint warn" data-testid="camera-warning">
          <Bi text={camera.warning.message} /> <Bi text={camera.warning.remedy} className="small" />
        </p>
      )}
      {decoderProblem && <p className="hint bad">{decoderProblem}</p>}
      {rejection && (
        <div className="rejection" role="alert" data-testid="scan-rejection" data-reason={rejection.reason}>
          <Bi text={rejection.message} className="strong" />
          <Bi text={rejection.remedy} className="small" />
        </div>
      )}
      <form
        className="manual"
        onSubmit={(e) => {
          e.preventDefault();
          handleRead(manual, 'manual');
        }}
      >
        <label>
          <span>{t('manualEntry')}</span>
          <input
            value={manual}
            onChange={(e) => setManual(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            disabled={locked}
            data-testid="manual-code"
            placeholder="28…"
          />
        </label>
        <button type="submit" className="btn secondary" disabled={locked || manual.trim() === ''} data-testid="manual-submit">
          {t('confirmCode')}
        </button>
        <p className="small muted">{t('manualHint')}</p>
      </form>
      <p className="small muted wedge-ready">⌨ {t('scanGunReady')}</p>
      {props.client && !locked && (
        <div className="scan-diagnosis">
          {showDiagnosis ? (
            <DiagnosisPanel
              client={props.client}
              evidence={() => [scanSession.current.evidence(), ...(props.profileEvidence ? [props.profileEvidence()] : [])]}
              label={{ zh: '诊断：为什么扫不出来', en: 'Diagnose: why does it not scan' }}
            />
          ) : (
            <button type="button" className="link" onClick={() => setShowDiagnosis(true)} data-testid="cannot-scan">
              {t('cannotScan')}
            </button>
          )}
        </div>
      )}
      <Actions>
        <Button onClick={props.onCancel} disabled={locked} testId="scan-cancel" wide>
          {t('cancel')}
        </Button>
      </Actions>
    </main>
  );
}
