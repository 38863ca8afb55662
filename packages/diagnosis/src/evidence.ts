/**
 * What the system can observe about a failure. The terminal, the platform and the CLI produce
 * these values directly (no translation layer): a refusal as its catalogue code, a self-check
 * result per check, one summary per scan session from the frame analysis, a telemetry window,
 * and support / update facts. Everything is plain JSON, so evidence travels in tickets as is.
 */
import type { ErrorCode } from '@scanpay/errors';

/** Kept for the explanation and the ticket; the engine never scores on these. */
export interface EvidenceMeta {
  /** ISO 8601 time the observation was made. */
  at?: string;
  deviceId?: string;
  origin?: 'terminal' | 'platform' | 'cli' | 'fleet';
}

/**
 * Why a request got no answer. The last six are the channel contract's `UnknownReason` values
 * (`@scanpay/channels`), so the platform can pass a `ChannelUnknown.reason` through unchanged.
 */
export type TransportFailure =
  | 'offline' // no link at all (navigator.onLine false, no route)
  | 'dns'
  | 'tls'
  | 'refused' // connection refused: nothing listens
  | 'reset'
  | 'timeout'
  | 'network'
  | 'http_status' // 5xx or another unexpected status
  | 'system_error' // the far side said it does not know
  | 'bad_signature' // the answer did not verify
  | 'unparsable';

/** A refusal with a catalogue code (the `code` of a problem body, or a channel decline). */
export interface ErrorEvidence extends EvidenceMeta {
  kind: 'error';
  code: ErrorCode | (string & {});
  /** A finer cause id than the catalogue's, e.g. `ChannelDecline.cause` from a channel's error map. */
  cause?: string;
  channel?: string;
  /** The channel's own codes, kept for support; the engine does not read them. */
  rawCode?: string;
  rawSubCode?: string;
  rawMessage?: string;
  operation?: 'pay' | 'query' | 'cancel' | 'refund' | 'activate' | 'self_check' | (string & {});
  httpStatus?: number;
}

/** A request that got no business answer at all. */
export interface TransportEvidence extends EvidenceMeta {
  kind: 'transport';
  /** Who we tried to reach: the terminal reaching the platform, or the platform reaching the channel. */
  target: 'platform' | 'channel';
  failure: TransportFailure;
  httpStatus?: number;
  /** True when the request provably never left the sender. */
  notSent?: boolean;
  detail?: string;
}

// ── 一键自检: one evidence per check ──────────────────────────────────────────────────────────

/** The device's own network link. */
export interface LinkCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'link';
  online: boolean;
  network?: 'wifi' | 'cellular' | 'ethernet' | 'unknown';
  signalDbm?: number;
}

/** A signed health request to the platform (or, for `channel`, the platform probing the channel). */
export interface ReachabilityCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'platform' | 'channel';
  ok: boolean;
  latencyMs?: number;
  failure?: TransportFailure;
  /** The catalogue code of the refusal, when the far side answered with one (e.g. SYS_NOT_READY). */
  code?: string;
  /** A finer cause id reported with `code` (a channel decline's `cause`), as on `ErrorEvidence`. */
  cause?: string;
  httpStatus?: number;
}

export interface DnsCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'dns';
  ok: boolean;
  host?: string;
}

export type TlsFailure = 'handshake' | 'cert_expired' | 'cert_not_yet_valid' | 'cert_untrusted' | 'hostname_mismatch';

export interface TlsCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'tls';
  ok: boolean;
  host?: string;
  failure?: TlsFailure;
}

/** Device clock minus the reference clock (the platform's `Date` header or NTP), in ms. */
export interface ClockCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'clock';
  offsetMs: number;
  reference?: 'platform' | 'ntp';
}

export type VersionComponent = 'app' | 'os' | 'paycode_rules' | 'channel_protocol' | 'scan_profile';

/** A version against the compatibility policy's minimum (dotted numbers: `2.4.1`, `2024.6.1`). */
export interface VersionCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'version';
  component: VersionComponent;
  current: string;
  minimum: string;
  latest?: string;
}

/** A signed request with the device key: ok, or the TRM_* code the platform refused it with. */
export interface DeviceAuthCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'device_auth';
  ok: boolean;
  code?: string;
}

export type MerchantStatus = 'active' | 'under_review' | 'frozen' | 'suspended' | 'closed';

export interface MerchantCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'merchant';
  status: MerchantStatus;
  contract?: 'valid' | 'expired' | 'missing';
  /** Whether the channel product (当面付) is signed for this merchant. */
  productSigned?: boolean;
}

/** The camera pointed at a known test pattern. */
export interface CameraCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'camera';
  result: 'pass' | 'degraded' | 'fail' | 'no_camera' | 'permission_denied';
  decodedKnownPattern?: boolean;
  /** 0..1, from the frame analysis of the test frames. */
  sharpness?: number;
}

/** A dedicated scan head (keyboard wedge or vendor service). */
export interface ScanHeadCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'scan_head';
  result: 'pass' | 'fail' | 'absent';
}

export type ScanProfileProblem = 'resolution_low' | 'scan_region_small' | 'illumination_off' | 'invalid';

/** The device's scan profile validated against the centrally managed one. */
export interface ScanProfileCheck extends EvidenceMeta {
  kind: 'self_check';
  check: 'scan_profile';
  ok: boolean;
  problems: ScanProfileProblem[];
  profileId?: string;
}

export type SelfCheckEvidence =
  | LinkCheck
  | ReachabilityCheck
  | DnsCheck
  | TlsCheck
  | ClockCheck
  | VersionCheck
  | DeviceAuthCheck
  | MerchantCheck
  | CameraCheck
  | ScanHeadCheck
  | ScanProfileCheck;

export type SelfCheckName = SelfCheckEvidence['check'];

// ── Scanning ────────────────────────────────────────────────────────────────────────────────────

/**
 * One scan session summarised by the frame analysis (`@scanpay/paycode`): how many analysed
 * frames had each defect, and what the decoder saw. Missing counts mean 0.
 */
export interface ScanEvidence extends EvidenceMeta {
  kind: 'scan';
  input: 'camera' | 'scan_head';
  durationMs?: number;
  frames?: number;
  tooDark?: number;
  glare?: number;
  blur?: number;
  /** Code too small in the frame: held too far away. */
  tooSmall?: number;
  tilt?: number;
  partlyOutOfView?: number;
  decodeAttempts?: number;
  decoded?: number;
  collectionCodes?: number;
  /** Decoded, but not a payment code (a URL, a product barcode…). */
  nonPaymentCodes?: number;
  /** Looks like a payment code, but no payment-code rule knows its format. */
  unknownFormatCodes?: number;
  cameraPermissionDenied?: boolean;
  noCamera?: boolean;
  frameWidth?: number;
  frameHeight?: number;
  /** The scan profile in force during the session. */
  profile?: {
    /** Fraction of the frame area the decoder looks at, 0..1. */
    scanRegion?: number;
    illumination?: 'on' | 'off' | 'auto';
  };
}

// ── Telemetry ───────────────────────────────────────────────────────────────────────────────────

/** One device's telemetry over a window (the fleet rate is for the same window and model). */
export interface TelemetryEvidence extends EvidenceMeta {
  kind: 'telemetry';
  windowMinutes?: number;
  batteryPercent?: number;
  charging?: boolean;
  powerSource?: 'mains' | 'battery' | 'power_bank' | 'usb';
  voltageDips?: number;
  network?: 'wifi' | 'cellular' | 'ethernet' | 'unknown';
  signalDbm?: number;
  latencyP95Ms?: number;
  lossPercent?: number;
  disconnects?: number;
  scannerDisconnects?: number;
  scanAttempts?: number;
  /** 0..1 */
  scanSuccessRate?: number;
  /** 0..1, the fleet's rate for comparison */
  fleetScanSuccessRate?: number;
}

// ── Support and updates ─────────────────────────────────────────────────────────────────────────

export interface TicketEvidence extends EvidenceMeta {
  kind: 'ticket';
  ticketId?: string;
  status: 'open' | 'pending' | 'resolved';
  ageMinutes: number;
  slaMinutes: number;
}

/** The device against the rollout meant for it. */
export interface UpdateEvidence extends EvidenceMeta {
  kind: 'update';
  component: VersionComponent;
  current: string;
  target: string;
  /** Days since the target became available to this device. */
  daysBehind: number;
  /** The policy forces this version (the current one is below the minimum). */
  forced?: boolean;
}

export type Evidence =
  | ErrorEvidence
  | TransportEvidence
  | SelfCheckEvidence
  | ScanEvidence
  | TelemetryEvidence
  | TicketEvidence
  | UpdateEvidence;

export type EvidenceKind = Evidence['kind'];
