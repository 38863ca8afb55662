/**
 * Evidence → flat facts that patterns test. Derived values (ratios, absolute clock offset,
 * "below the policy minimum") are computed here once, so a pattern stays plain data.
 */
import { catalogue, isErrorCode } from '@scanpay/errors';
import type {
  CameraCheck,
  Evidence,
  MerchantCheck,
  MerchantStatus,
  ScanEvidence,
  ScanHeadCheck,
  TlsFailure,
  TransportFailure,
  VersionComponent,
} from './evidence.ts';
import { compareVersions } from './version.ts';

/** Ratios over fewer frames than this say too little to count. */
export const MIN_FRAMES_FOR_RATIOS = 5;

interface Reachability {
  ok: boolean;
  latencyMs?: number;
  failure?: TransportFailure;
  code?: string;
}

export interface FactsBySource {
  error: { code: string; catalogueCause?: string; reportedCause?: string; channel?: string; operation?: string };
  transport: { target: 'platform' | 'channel'; failure: TransportFailure; httpStatus?: number; notSent: boolean };
  'self_check.link': { online: boolean; network?: string; signalDbm?: number };
  'self_check.platform': Reachability;
  'self_check.channel': Reachability;
  'self_check.dns': { ok: boolean };
  'self_check.tls': { ok: boolean; failure?: TlsFailure };
  'self_check.clock': { offsetMs: number; absOffsetMs: number };
  'self_check.version': { component: VersionComponent; belowMinimum: boolean };
  'self_check.device_auth': { ok: boolean; code?: string };
  'self_check.merchant': {
    status: MerchantStatus;
    contract?: NonNullable<MerchantCheck['contract']>;
    productSigned?: boolean;
  };
  'self_check.camera': { result: CameraCheck['result']; decodedKnownPattern?: boolean; sharpness?: number };
  'self_check.scan_head': { result: ScanHeadCheck['result'] };
  'self_check.scan_profile': {
    ok: boolean;
    resolutionLow: boolean;
    scanRegionSmall: boolean;
    illuminationOff: boolean;
    invalid: boolean;
  };
  scan: {
    input: ScanEvidence['input'];
    frames: number;
    darkRatio?: number;
    glareRatio?: number;
    blurRatio?: number;
    smallRatio?: number;
    tiltRatio?: number;
    outOfViewRatio?: number;
    decodeAttempts: number;
    decoded: number;
    collectionCodes: number;
    nonPaymentCodes: number;
    unknownFormatCodes: number;
    permissionDenied: boolean;
    noCamera: boolean;
    frameShortSide?: number;
    scanRegion?: number;
    illumination?: 'on' | 'off' | 'auto';
  };
  telemetry: {
    batteryPercent?: number;
    charging?: boolean;
    powerSource?: 'mains' | 'battery' | 'power_bank' | 'usb';
    voltageDips?: number;
    /** Voltage dips and link drops in the same window: the seed's power-bank case (五.2). */
    dipsWithDisconnects?: boolean;
    signalDbm?: number;
    latencyP95Ms?: number;
    lossPercent?: number;
    disconnects?: number;
    scannerDisconnects?: number;
    scanAttempts?: number;
    /** This device's scan success rate divided by the fleet's. */
    successVsFleet?: number;
  };
  ticket: { open: boolean; slaUsed: number };
  update: { component: VersionComponent; daysBehind: number; forced: boolean };
}

export type Source = keyof FactsBySource;

export const sources = [
  'error', 'transport',
  'self_check.link', 'self_check.platform', 'self_check.channel', 'self_check.dns', 'self_check.tls',
  'self_check.clock', 'self_check.version', 'self_check.device_auth', 'self_check.merchant',
  'self_check.camera', 'self_check.scan_head', 'self_check.scan_profile',
  'scan', 'telemetry', 'ticket', 'update',
] as const satisfies readonly Source[];

export interface ExtractedFacts<S extends Source = Source> {
  source: S;
  facts: FactsBySource[S];
}

export function sourceOf(e: Evidence): Source {
  return e.kind === 'self_check' ? `self_check.${e.check}` : e.kind;
}

const ratio = (count: number | undefined, frames: number) =>
  frames >= MIN_FRAMES_FOR_RATIOS ? (count ?? 0) / frames : undefined;

function scanFacts(e: ScanEvidence): FactsBySource['scan'] {
  const frames = e.frames ?? 0;
  const shortSide =
    e.frameWidth !== undefined && e.frameHeight !== undefined ? Math.min(e.frameWidth, e.frameHeight) : undefined;
  return {
    input: e.input,
    frames,
    darkRatio: ratio(e.tooDark, frames),
    glareRatio: ratio(e.glare, frames),
    blurRatio: ratio(e.blur, frames),
    smallRatio: ratio(e.tooSmall, frames),
    tiltRatio: ratio(e.tilt, frames),
    outOfViewRatio: ratio(e.partlyOutOfView, frames),
    decodeAttempts: e.decodeAttempts ?? 0,
    decoded: e.decoded ?? 0,
    collectionCodes: e.collectionCodes ?? 0,
    nonPaymentCodes: e.nonPaymentCodes ?? 0,
    unknownFormatCodes: e.unknownFormatCodes ?? 0,
    permissionDenied: e.cameraPermissionDenied ?? false,
    noCamera: e.noCamera ?? false,
    frameShortSide: shortSide,
    scanRegion: e.profile?.scanRegion,
    illumination: e.profile?.illumination,
  };
}

/** The facts one piece of evidence offers to the patterns. Pure. */
export function factsOf(e: Evidence): ExtractedFacts {
  switch (e.kind) {
    case 'error':
      return {
        source: 'error',
        facts: {
          code: e.code,
          catalogueCause: isErrorCode(e.code) ? catalogue[e.code].cause : undefined,
          reportedCause: e.cause,
          channel: e.channel,
          operation: e.operation,
        },
      };
    case 'transport':
      return {
        source: 'transport',
        facts: { target: e.target, failure: e.failure, httpStatus: e.httpStatus, notSent: e.notSent ?? false },
      };
    case 'scan':
      return { source: 'scan', facts: scanFacts(e) };
    case 'telemetry': {
      const successVsFleet =
        e.scanSuccessRate !== undefined && e.fleetScanSuccessRate !== undefined && e.fleetScanSuccessRate > 0
          ? e.scanSuccessRate / e.fleetScanSuccessRate
          : undefined;
      const dipsWithDisconnects =
        e.voltageDips !== undefined && e.disconnects !== undefined
          ? e.voltageDips > 0 && e.disconnects > 0
          : undefined;
      return {
        source: 'telemetry',
        facts: {
          batteryPercent: e.batteryPercent,
          charging: e.charging,
          powerSource: e.powerSource,
          voltageDips: e.voltageDips,
          dipsWithDisconnects,
          signalDbm: e.signalDbm,
          latencyP95Ms: e.latencyP95Ms,
          lossPercent: e.lossPercent,
          disconnects: e.disconnects,
          scannerDisconnects: e.scannerDisconnects,
          scanAttempts: e.scanAttempts,
          successVsFleet,
        },
      };
    }
    case 'ticket':
      return {
        source: 'ticket',
        facts: { open: e.status !== 'resolved', slaUsed: e.slaMinutes > 0 ? e.ageMinutes / e.slaMinutes : Infinity },
      };
    case 'update':
      return {
        source: 'update',
        facts: { component: e.component, daysBehind: e.daysBehind, forced: e.forced ?? false },
      };
    case 'self_check':
      return selfCheckFacts(e);
  }
}

function selfCheckFacts(e: Extract<Evidence, { kind: 'self_check' }>): ExtractedFacts {
  switch (e.check) {
    case 'link':
      return { source: 'self_check.link', facts: { online: e.online, network: e.network, signalDbm: e.signalDbm } };
    case 'platform':
    case 'channel':
      return {
        source: `self_check.${e.check}`,
        facts: { ok: e.ok, latencyMs: e.latencyMs, failure: e.failure, code: e.code },
      };
    case 'dns':
      return { source: 'self_check.dns', facts: { ok: e.ok } };
    case 'tls':
      return { source: 'self_check.tls', facts: { ok: e.ok, failure: e.failure } };
    case 'clock':
      return { source: 'self_check.clock', facts: { offsetMs: e.offsetMs, absOffsetMs: Math.abs(e.offsetMs) } };
    case 'version':
      return {
        source: 'self_check.version',
        facts: { component: e.component, belowMinimum: compareVersions(e.current, e.minimum) < 0 },
      };
    case 'device_auth':
      return { source: 'self_check.device_auth', facts: { ok: e.ok, code: e.code } };
    case 'merchant':
      return {
        source: 'self_check.merchant',
        facts: { status: e.status, contract: e.contract, productSigned: e.productSigned },
      };
    case 'camera':
      return {
        source: 'self_check.camera',
        facts: { result: e.result, decodedKnownPattern: e.decodedKnownPattern, sharpness: e.sharpness },
      };
    case 'scan_head':
      return { source: 'self_check.scan_head', facts: { result: e.result } };
    case 'scan_profile':
      return {
        source: 'self_check.scan_profile',
        facts: {
          ok: e.ok,
          resolutionLow: e.problems.includes('resolution_low'),
          scanRegionSmall: e.problems.includes('scan_region_small'),
          illuminationOff: e.problems.includes('illumination_off'),
          invalid: e.problems.includes('invalid'),
        },
      };
  }
}

/**
 * The catalogue code an evidence carries, if any: a refusal, or a self-check that the far side
 * answered with a problem body. Such a code points straight at its cause.
 */
/** A finer cause id reported with the code: a channel decline's, on a refusal or a channel self-check. */
export function reportedCauseOf(e: Evidence): string | undefined {
  if (e.kind === 'error') return e.cause;
  if (e.kind === 'self_check' && (e.check === 'platform' || e.check === 'channel') && !e.ok) return e.cause;
  return undefined;
}

export function catalogueCodeOf(e: Evidence): string | undefined {
  if (e.kind === 'error') return e.code;
  if (e.kind === 'self_check' && (e.check === 'platform' || e.check === 'channel' || e.check === 'device_auth')) {
    return e.ok ? undefined : e.code;
  }
  return undefined;
}
