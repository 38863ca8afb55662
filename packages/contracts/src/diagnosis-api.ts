/**
 * The diagnosis part of the terminal API: the platform's time (clock check), the terminal's own
 * status as the platform sees it (self-check), and incidents (evidence in, ranked causes out).
 *
 * `Evidence` mirrors `@scanpay/diagnosis`'s evidence types field for field (that package sits
 * above this one, so it cannot be imported here); the platform assigns the parsed value to the
 * diagnosis types, so the compiler catches any drift.
 */
import { z } from 'zod';

const Text = z.object({ zh: z.string(), en: z.string() });
const str = (max = 128) => z.string().max(max);
const count = z.number().int().min(0).max(1_000_000).optional();
const ratio = z.number().min(0).max(1).optional();

const meta = {
  at: str(40).optional(),
  deviceId: str(64).optional(),
  origin: z.enum(['terminal', 'platform', 'cli', 'fleet']).optional(),
};

export const TransportFailure = z.enum([
  'offline', 'dns', 'tls', 'refused', 'reset', 'timeout', 'network', 'http_status', 'system_error', 'bad_signature', 'unparsable',
]);
export const MerchantStatus = z.enum(['active', 'under_review', 'frozen', 'suspended', 'closed']);
export const VersionComponent = z.enum(['app', 'os', 'paycode_rules', 'channel_protocol', 'scan_profile']);
const version = str(32);
const network = z.enum(['wifi', 'cellular', 'ethernet', 'unknown']).optional();

const check = <C extends string, S extends z.ZodRawShape>(name: C, shape: S) =>
  z.object({ kind: z.literal('self_check'), check: z.literal(name), ...meta, ...shape });

const reachability = {
  ok: z.boolean(),
  latencyMs: z.number().min(0).max(600_000).optional(),
  failure: TransportFailure.optional(),
  code: str(64).optional(),
  cause: str(64).optional(),
  httpStatus: z.number().int().optional(),
};

export const Evidence = z.union([
  z.object({
    kind: z.literal('error'),
    ...meta,
    code: str(64),
    cause: str(64).optional(),
    channel: str(32).optional(),
    rawCode: str(64).optional(),
    rawSubCode: str(128).optional(),
    rawMessage: str(256).optional(),
    operation: str(32).optional(),
    httpStatus: z.number().int().optional(),
  }),
  z.object({
    kind: z.literal('transport'),
    ...meta,
    target: z.enum(['platform', 'channel']),
    failure: TransportFailure,
    httpStatus: z.number().int().optional(),
    notSent: z.boolean().optional(),
    detail: str(256).optional(),
  }),
  check('link', { online: z.boolean(), network, signalDbm: z.number().min(-200).max(0).optional() }),
  check('platform', reachability),
  check('channel', reachability),
  check('dns', { ok: z.boolean(), host: str(253).optional() }),
  check('tls', {
    ok: z.boolean(),
    host: str(253).optional(),
    failure: z.enum(['handshake', 'cert_expired', 'cert_not_yet_valid', 'cert_untrusted', 'hostname_mismatch']).optional(),
  }),
  check('clock', { offsetMs: z.number().int().min(-1e13).max(1e13), reference: z.enum(['platform', 'ntp']).optional() }),
  check('version', { component: VersionComponent, current: version, minimum: version, latest: version.optional() }),
  check('device_auth', { ok: z.boolean(), code: str(64).optional() }),
  check('merchant', {
    status: MerchantStatus,
    contract: z.enum(['valid', 'expired', 'missing']).optional(),
    productSigned: z.boolean().optional(),
  }),
  check('camera', {
    result: z.enum(['pass', 'degraded', 'fail', 'no_camera', 'permission_denied']),
    decodedKnownPattern: z.boolean().optional(),
    sharpness: ratio,
  }),
  check('scan_head', { result: z.enum(['pass', 'fail', 'absent']) }),
  check('scan_profile', {
    ok: z.boolean(),
    problems: z.array(z.enum(['resolution_low', 'scan_region_small', 'illumination_off', 'invalid'])).max(4),
    profileId: str(64).optional(),
  }),
  z.object({
    kind: z.literal('scan'),
    ...meta,
    input: z.enum(['camera', 'scan_head']),
    durationMs: count,
    frames: count,
    tooDark: count,
    glare: count,
    blur: count,
    tooSmall: count,
    tilt: count,
    partlyOutOfView: count,
    decodeAttempts: count,
    decoded: count,
    collectionCodes: count,
    nonPaymentCodes: count,
    unknownFormatCodes: count,
    cameraPermissionDenied: z.boolean().optional(),
    noCamera: z.boolean().optional(),
    frameWidth: count,
    frameHeight: count,
    profile: z
      .object({ scanRegion: ratio, illumination: z.enum(['on', 'off', 'auto']).optional() })
      .optional(),
  }),
  z.object({
    kind: z.literal('telemetry'),
    ...meta,
    windowMinutes: count,
    batteryPercent: z.number().min(0).max(100).optional(),
    charging: z.boolean().optional(),
    powerSource: z.enum(['mains', 'battery', 'power_bank', 'usb']).optional(),
    voltageDips: count,
    network,
    signalDbm: z.number().min(-200).max(0).optional(),
    latencyP95Ms: count,
    lossPercent: z.number().min(0).max(100).optional(),
    disconnects: count,
    scannerDisconnects: count,
    scanAttempts: count,
    scanSuccessRate: ratio,
    fleetScanSuccessRate: ratio,
  }),
  z.object({
    kind: z.literal('ticket'),
    ...meta,
    ticketId: str(64).optional(),
    status: z.enum(['open', 'pending', 'resolved']),
    ageMinutes: z.number().min(0),
    slaMinutes: z.number().min(0),
  }),
  z.object({
    kind: z.literal('update'),
    ...meta,
    component: VersionComponent,
    current: version,
    target: version,
    daysBehind: z.number().min(0),
    forced: z.boolean().optional(),
  }),
]);
export type EvidenceInput = z.infer<typeof Evidence>;

/** `GET /v1/time`: unsigned, so a terminal whose clock is refused can still learn the time. */
export const TimeResponse = z.object({
  serverTime: z.string(),
  epochMs: z.number().int(),
});
export type TimeResponse = z.infer<typeof TimeResponse>;

export const ChannelReachability = z.object({
  id: z.string(),
  ok: z.boolean(),
  latencyMs: z.number().optional(),
  failure: TransportFailure.optional(),
  code: z.string().optional(),
  cause: z.string().optional(),
  /** `call`: the outcome of the platform's last real call; `probe`: a query made for this check. */
  source: z.enum(['call', 'probe']),
  observedAt: z.string(),
});
export type ChannelReachability = z.infer<typeof ChannelReachability>;

export const VersionPolicy = z.object({ minimum: z.string(), latest: z.string().optional() });

/** `GET /v1/terminals/self/status` (device-signed): what the platform knows about this terminal. */
export const TerminalSelfStatus = z.object({
  serverTime: z.string(),
  terminal: z.object({
    id: z.string(),
    serial: z.string().nullable(),
    status: z.enum(['pending', 'active', 'disabled']),
    appVersion: z.string().nullable(),
  }),
  merchant: z.object({
    id: z.string(),
    name: z.string(),
    /** The platform's record, overridden by what the channel last said about this merchant. */
    status: MerchantStatus,
    productSigned: z.boolean().optional(),
    contract: z.enum(['valid', 'expired', 'missing']).optional(),
  }),
  /** The compatibility policy: minimum (and latest) version per component. */
  compatibility: z.partialRecord(VersionComponent, VersionPolicy),
  channels: z.array(ChannelReachability),
});
export type TerminalSelfStatus = z.infer<typeof TerminalSelfStatus>;

export const DiagnosisRequest = z.object({
  evidence: z.array(Evidence).max(50),
  /** The failed payment this diagnosis is about, if any: the platform adds what it knows of it. */
  paymentId: z.string().regex(/^pay_[0-9a-z]{26}$/).optional(),
});
export type DiagnosisRequest = z.infer<typeof DiagnosisRequest>;

const EvidenceMatch = z.object({
  evidenceIndex: z.number().int(),
  evidence: z.record(z.string(), z.unknown()),
  rule: z.string(),
  weight: z.number(),
  why: z.string(),
});

export const RankedCause = z.object({
  cause: z.string(),
  category: z.string(),
  title: Text,
  audience: z.array(z.string()),
  confidence: z.number(),
  supportingEvidence: z.array(EvidenceMatch),
  contradictingEvidence: z.array(EvidenceMatch),
  remedy: z.array(Text),
  autoFix: z.string().optional(),
});

/** An incident: the evidence (the terminal's and the platform's) and the ranked diagnosis. */
export const Incident = z.object({
  id: z.string(),
  terminalId: z.string(),
  merchantId: z.string(),
  createdAt: z.string(),
  topCause: z.string().nullable(),
  evidence: z.array(z.record(z.string(), z.unknown())),
  diagnosis: z.object({
    causes: z.array(RankedCause),
    unexplained: z.array(z.number().int()),
    evidenceCount: z.number().int(),
  }),
});
export type Incident = z.infer<typeof Incident>;
