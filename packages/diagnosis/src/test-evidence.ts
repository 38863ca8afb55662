/**
 * Short builders for evidence in tests (and in examples): each fills in the fields a real
 * producer always sends, so a test states only what matters to it.
 */
import type {
  CameraCheck,
  Evidence,
  MerchantCheck,
  ScanEvidence,
  ScanProfileProblem,
  TelemetryEvidence,
  TlsFailure,
  TransportFailure,
  UpdateEvidence,
  VersionComponent,
} from './evidence.ts';

export const ev = {
  error: (code: string, more: { cause?: string; rawSubCode?: string } = {}): Evidence => ({ kind: 'error', code, ...more }),
  transport: (target: 'platform' | 'channel', failure: TransportFailure): Evidence => ({ kind: 'transport', target, failure }),
  link: (online: boolean, signalDbm?: number): Evidence => ({ kind: 'self_check', check: 'link', online, signalDbm }),
  platform: (ok: boolean, more: { failure?: TransportFailure; latencyMs?: number; code?: string; httpStatus?: number } = {}): Evidence => ({
    kind: 'self_check', check: 'platform', ok, ...more,
  }),
  channel: (ok: boolean, more: { failure?: TransportFailure; code?: string; cause?: string } = {}): Evidence => ({
    kind: 'self_check', check: 'channel', ok, ...more,
  }),
  dns: (ok: boolean): Evidence => ({ kind: 'self_check', check: 'dns', ok, host: 'platform.test' }),
  tls: (ok: boolean, failure?: TlsFailure): Evidence => ({ kind: 'self_check', check: 'tls', ok, failure }),
  clock: (offsetMs: number): Evidence => ({ kind: 'self_check', check: 'clock', offsetMs, reference: 'platform' }),
  version: (component: VersionComponent, current: string, minimum: string): Evidence => ({
    kind: 'self_check', check: 'version', component, current, minimum,
  }),
  deviceAuth: (ok: boolean, code?: string): Evidence => ({ kind: 'self_check', check: 'device_auth', ok, code }),
  merchant: (status: MerchantCheck['status'], more: Omit<Partial<MerchantCheck>, 'status'> = {}): Evidence => ({
    kind: 'self_check', check: 'merchant', status, ...more,
  }),
  camera: (result: CameraCheck['result'], more: Partial<CameraCheck> = {}): Evidence => ({
    kind: 'self_check', check: 'camera', result, ...more,
  }),
  scanHead: (result: 'pass' | 'fail' | 'absent'): Evidence => ({ kind: 'self_check', check: 'scan_head', result }),
  scanProfile: (...problems: ScanProfileProblem[]): Evidence => ({
    kind: 'self_check', check: 'scan_profile', ok: problems.length === 0, problems,
  }),
  /** A camera session of 20 analysed frames that read nothing, plus the given counts. */
  scan: (more: Partial<ScanEvidence> = {}): Evidence => ({
    kind: 'scan', input: 'camera', frames: 20, decodeAttempts: 20, decoded: 0, frameWidth: 1280, frameHeight: 720, ...more,
  }),
  telemetry: (more: Partial<TelemetryEvidence>): Evidence => ({ kind: 'telemetry', windowMinutes: 60, ...more }),
  ticket: (ageMinutes: number, slaMinutes: number, status: 'open' | 'pending' | 'resolved' = 'open'): Evidence => ({
    kind: 'ticket', ticketId: 'T-1', status, ageMinutes, slaMinutes,
  }),
  update: (component: VersionComponent, daysBehind: number, more: Partial<UpdateEvidence> = {}): Evidence => ({
    kind: 'update', component, current: '1.0.0', target: '1.1.0', daysBehind, ...more,
  }),
};
