/**
 * Every rule of the cause catalogue, table-driven: each row names a cause, one of its patterns
 * (as `describePattern` renders it), evidence that must trigger it and, where the rule has a
 * threshold, evidence just on the other side that must not. The last test fails if any pattern
 * in the catalogue has no row.
 */
import { catalogue, errorCodes } from '@scanpay/errors';
import { describe, expect, it } from 'vitest';
import { describePattern } from './cause.ts';
import { causeById, causes } from './causes/index.ts';
import { diagnose } from './engine.ts';
import type { Evidence } from './evidence.ts';
import { ev } from './test-evidence.ts';

type Row = [cause: string, pattern: string, evidence: Evidence[], nearMiss?: Evidence[]];

const noRead = { decoded: 0 };
const readOk = 'scan: decoded ≥ 1, collectionCodes = 0, nonPaymentCodes = 0, unknownFormatCodes = 0';

function frameRows(cause: string, field: 'tooDark' | 'glare' | 'blur' | 'tooSmall' | 'tilt' | 'partlyOutOfView', ratio: string): Row[] {
  return [
    [cause, `scan: input = camera, ${ratio} ≥ 0.3`, [ev.scan({ [field]: 6 })], [ev.scan({ [field]: 5 })]],
    [cause, `scan: input = camera, ${ratio} ≥ 0.6`, [ev.scan({ [field]: 12 })], [ev.scan({ [field]: 11 })]],
    [cause, readOk, [ev.scan({ [field]: 12, decoded: 1 })], [ev.scan({ [field]: 12, decoded: 1, collectionCodes: 1 })]],
  ];
}

const rows: Row[] = [
  // compatibility
  ['compatibility.app_outdated', 'self_check.version: component = app, belowMinimum = true', [ev.version('app', '2.3.9', '2.4.0')], [ev.version('app', '2.4.0', '2.4.0')]],
  ['compatibility.app_outdated', 'update: component = app, forced = true', [ev.update('app', 1, { forced: true })], [ev.update('app', 1)]],
  ['compatibility.app_outdated', 'self_check.version: component = app, belowMinimum = false', [ev.update('app', 1, { forced: true }), ev.version('app', '2.10.0', '2.9.0')]],
  ['compatibility.os_outdated', 'self_check.version: component = os, belowMinimum = true', [ev.version('os', '8.1', '9')], [ev.version('app', '8.1', '9')]],
  ['compatibility.os_outdated', 'update: component = os, forced = true', [ev.update('os', 0, { forced: true })]],
  ['compatibility.os_outdated', 'self_check.version: component = os, belowMinimum = false', [ev.update('os', 0, { forced: true }), ev.version('os', '11', '9')]],
  ['compatibility.rules_outdated', 'self_check.version: component = paycode_rules, belowMinimum = true', [ev.version('paycode_rules', '2024.5.30', '2024.6.1')]],
  ['compatibility.rules_outdated', 'update: component = paycode_rules, forced = true', [ev.update('paycode_rules', 2, { forced: true })]],
  ['compatibility.rules_outdated', 'scan: unknownFormatCodes ≥ 1', [ev.scan({ unknownFormatCodes: 1 })], [ev.scan()]],
  ['compatibility.rules_outdated', 'self_check.version: component = paycode_rules, belowMinimum = false', [ev.scan({ unknownFormatCodes: 2 }), ev.version('paycode_rules', '2024.6.1', '2024.6.1')]],
  ['compatibility.protocol_outdated', 'self_check.version: component = channel_protocol, belowMinimum = true', [ev.version('channel_protocol', '1.0', '1.1')]],
  ['compatibility.protocol_outdated', 'update: component = channel_protocol, forced = true', [ev.update('channel_protocol', 3, { forced: true })]],
  ['compatibility.protocol_outdated', 'self_check.version: component = channel_protocol, belowMinimum = false', [ev.update('channel_protocol', 3, { forced: true }), ev.version('channel_protocol', '1.1', '1.1')]],
  ['compatibility.unknown_code_format', 'scan: unknownFormatCodes ≥ 1', [ev.scan({ unknownFormatCodes: 1 })], [ev.scan({ nonPaymentCodes: 1 })]],
  ['compatibility.channel_protocol', 'transport: target = channel, failure = unparsable', [ev.transport('channel', 'unparsable')], [ev.transport('platform', 'unparsable')]],
  // hardware
  ['hardware.camera_degraded', 'self_check.camera: result = fail', [ev.camera('fail')], [ev.camera('pass')]],
  ['hardware.camera_degraded', 'self_check.camera: result = degraded', [ev.camera('degraded')]],
  ['hardware.camera_degraded', 'self_check.camera: decodedKnownPattern = false', [ev.camera('degraded', { decodedKnownPattern: false })], [ev.camera('pass', { decodedKnownPattern: true })]],
  ['hardware.camera_degraded', 'self_check.camera: sharpness ≤ 0.3', [ev.camera('degraded', { sharpness: 0.3 })], [ev.camera('pass', { sharpness: 0.31 })]],
  ['hardware.camera_degraded', 'telemetry: successVsFleet ≤ 0.6, scanAttempts ≥ 20', [ev.telemetry({ scanSuccessRate: 0.54, fleetScanSuccessRate: 0.9, scanAttempts: 20 })], [ev.telemetry({ scanSuccessRate: 0.54, fleetScanSuccessRate: 0.9, scanAttempts: 19 })]],
  ['hardware.camera_degraded', 'telemetry: successVsFleet ≤ 0.3, scanAttempts ≥ 20', [ev.telemetry({ scanSuccessRate: 0.27, fleetScanSuccessRate: 0.9, scanAttempts: 80 })], [ev.telemetry({ scanSuccessRate: 0.28, fleetScanSuccessRate: 0.9, scanAttempts: 80 })]],
  ['hardware.camera_degraded', 'scan: input = camera, blurRatio ≥ 0.6', [ev.scan({ blur: 12 })], [ev.scan({ input: 'scan_head', blur: 12 })]],
  ['hardware.camera_degraded', 'self_check.camera: result = pass', [ev.scan({ blur: 15 }), ev.camera('pass')]],
  ['hardware.camera_missing', 'scan: noCamera = true', [ev.scan({ frames: 0, noCamera: true })]],
  ['hardware.camera_missing', 'self_check.camera: result = no_camera', [ev.camera('no_camera')]],
  ['hardware.camera_missing', 'self_check.camera: result ∈ {pass, degraded}', [ev.scan({ noCamera: true }), ev.camera('degraded')], [ev.camera('fail')]],
  ['hardware.scan_head_fault', 'self_check.scan_head: result = fail', [ev.scanHead('fail')], [ev.scanHead('absent')]],
  ['hardware.scan_head_fault', 'telemetry: scannerDisconnects ≥ 3', [ev.telemetry({ scannerDisconnects: 3 })], [ev.telemetry({ scannerDisconnects: 2 })]],
  ['hardware.scan_head_fault', 'telemetry: scannerDisconnects ≥ 1', [ev.telemetry({ scannerDisconnects: 1 })], [ev.telemetry({ scannerDisconnects: 0 })]],
  ['hardware.scan_head_fault', 'self_check.scan_head: result = pass', [ev.telemetry({ scannerDisconnects: 4 }), ev.scanHead('pass')]],
  // configuration
  ['configuration.resolution_low', 'self_check.scan_profile: resolutionLow = true', [ev.scanProfile('resolution_low')], [ev.scanProfile('scan_region_small')]],
  ['configuration.resolution_low', 'scan: input = camera, frameShortSide < 480', [ev.scan({ frameWidth: 640, frameHeight: 479 })], [ev.scan({ frameWidth: 640, frameHeight: 480 })]],
  ['configuration.resolution_low', 'scan: input = camera, frameShortSide < 480, smallRatio ≥ 0.3', [ev.scan({ frameWidth: 320, frameHeight: 240, tooSmall: 8 })], [ev.scan({ frameWidth: 320, frameHeight: 240, tooSmall: 2 })]],
  ['configuration.resolution_low', 'self_check.scan_profile: ok = true', [ev.scan({ frameWidth: 320, frameHeight: 240 }), ev.scanProfile()]],
  ['configuration.scan_region', 'self_check.scan_profile: scanRegionSmall = true', [ev.scanProfile('scan_region_small')]],
  ['configuration.scan_region', 'scan: scanRegion < 0.25', [ev.scan({ profile: { scanRegion: 0.2 } })], [ev.scan({ profile: { scanRegion: 0.25 } })]],
  ['configuration.scan_region', 'scan: scanRegion < 0.25, outOfViewRatio ≥ 0.3', [ev.scan({ profile: { scanRegion: 0.1 }, partlyOutOfView: 10 })], [ev.scan({ profile: { scanRegion: 0.5 }, partlyOutOfView: 10 })]],
  ['configuration.scan_region', 'self_check.scan_profile: ok = true', [ev.scan({ profile: { scanRegion: 0.2 } }), ev.scanProfile()]],
  ['configuration.illumination_off', 'self_check.scan_profile: illuminationOff = true', [ev.scanProfile('illumination_off')]],
  ['configuration.illumination_off', 'scan: illumination = off, darkRatio ≥ 0.3', [ev.scan({ profile: { illumination: 'off' }, tooDark: 10 })], [ev.scan({ profile: { illumination: 'auto' }, tooDark: 10 })]],
  ['configuration.illumination_off', 'self_check.scan_profile: ok = true', [ev.scan({ profile: { illumination: 'off' }, tooDark: 10 }), ev.scanProfile()]],
  ['configuration.camera_permission_blocked', 'scan: permissionDenied = true', [ev.scan({ frames: 0, cameraPermissionDenied: true })], [ev.scan({ frames: 0 })]],
  ['configuration.camera_permission_blocked', 'self_check.camera: result = permission_denied', [ev.camera('permission_denied')]],
  ['configuration.camera_permission_blocked', 'self_check.camera: result ∈ {pass, degraded}', [ev.scan({ cameraPermissionDenied: true }), ev.camera('pass')]],
  ['configuration.scan_profile_invalid', 'self_check.scan_profile: invalid = true', [ev.scanProfile('invalid')], [ev.scanProfile('illumination_off')]],
  ['configuration.scan_profile_invalid', 'self_check.scan_profile: ok = false', [ev.scanProfile('resolution_low')], [ev.scanProfile()]],
  ['configuration.scan_profile_invalid', 'self_check.version: component = scan_profile, belowMinimum = true', [ev.version('scan_profile', '3', '4')]],
  ['configuration.scan_profile_invalid', 'self_check.scan_profile: ok = true', [ev.version('scan_profile', '3', '4'), ev.scanProfile()]],
  // network
  ['network.offline', 'transport: target = platform, failure = offline', [ev.transport('platform', 'offline')], [ev.transport('channel', 'offline')]],
  ['network.offline', 'self_check.link: online = false', [ev.link(false)], [ev.link(true)]],
  ['network.offline', 'self_check.platform: ok = false, failure = offline', [ev.platform(false, { failure: 'offline' })], [ev.platform(false, { failure: 'refused' })]],
  ['network.offline', 'self_check.link: online = true', [ev.transport('platform', 'offline'), ev.link(true)]],
  ['network.offline', 'self_check.platform: ok = true', [ev.transport('platform', 'offline'), ev.platform(true)]],
  ['network.dns', 'transport: failure = dns', [ev.transport('platform', 'dns')], [ev.transport('platform', 'tls')]],
  ['network.dns', 'self_check.dns: ok = false', [ev.dns(false)], [ev.dns(true)]],
  ['network.dns', 'self_check.platform: ok = false, failure = dns', [ev.platform(false, { failure: 'dns' })]],
  ['network.dns', 'self_check.dns: ok = true', [ev.transport('platform', 'dns'), ev.dns(true)]],
  ['network.dns', 'self_check.platform: ok = true', [ev.transport('platform', 'dns'), ev.platform(true)]],
  ['network.tls', 'transport: failure = tls', [ev.transport('platform', 'tls')]],
  ['network.tls', 'self_check.tls: ok = false', [ev.tls(false, 'handshake')], [ev.tls(true)]],
  ['network.tls', 'self_check.platform: ok = false, failure = tls', [ev.platform(false, { failure: 'tls' })]],
  ['network.tls', 'self_check.tls: ok = true', [ev.transport('platform', 'tls'), ev.tls(true)]],
  ['network.latency_loss', 'telemetry: latencyP95Ms ≥ 1500', [ev.telemetry({ latencyP95Ms: 1500 })], [ev.telemetry({ latencyP95Ms: 1499 })]],
  ['network.latency_loss', 'telemetry: lossPercent ≥ 5', [ev.telemetry({ lossPercent: 5 })], [ev.telemetry({ lossPercent: 4.9 })]],
  ['network.latency_loss', 'telemetry: disconnects ≥ 3', [ev.telemetry({ disconnects: 3 })], [ev.telemetry({ disconnects: 2 })]],
  ['network.latency_loss', 'telemetry: signalDbm ≤ -80', [ev.telemetry({ signalDbm: -80 })], [ev.telemetry({ signalDbm: -79 })]],
  ['network.latency_loss', 'self_check.link: online = true, signalDbm ≤ -80', [ev.link(true, -85)], [ev.link(true, -60)]],
  ['network.latency_loss', 'self_check.platform: ok = true, latencyMs ≥ 1500', [ev.platform(true, { latencyMs: 2100 })], [ev.platform(true, { latencyMs: 120 })]],
  ['network.latency_loss', 'transport: target = platform, failure ∈ {timeout, reset}', [ev.transport('platform', 'reset')], [ev.transport('platform', 'refused')]],
  ['network.latency_loss', 'telemetry: latencyP95Ms ≤ 300', [ev.telemetry({ disconnects: 5 }), ev.telemetry({ latencyP95Ms: 300 })], [ev.telemetry({ disconnects: 5, latencyP95Ms: 301 })]],
  ['network.latency_loss', 'telemetry: lossPercent ≤ 0.5', [ev.telemetry({ disconnects: 5, lossPercent: 0 })], [ev.telemetry({ disconnects: 5, lossPercent: 0.6 })]],
  ['network.clock_skew', 'self_check.clock: absOffsetMs ≥ 300000', [ev.clock(-300_000)], [ev.clock(299_999)]],
  ['network.clock_skew', 'self_check.clock: absOffsetMs ≥ 60000', [ev.clock(60_000)], [ev.clock(59_999)]],
  ['network.clock_skew', 'self_check.tls: ok = false, failure = cert_not_yet_valid', [ev.tls(false, 'cert_not_yet_valid')], [ev.tls(false, 'cert_untrusted')]],
  ['network.clock_skew', 'self_check.tls: ok = false, failure = cert_expired', [ev.tls(false, 'cert_expired')]],
  ['network.clock_skew', 'self_check.clock: absOffsetMs ≤ 30000', [ev.error('TRM_TIMESTAMP_SKEW'), ev.clock(-30_000)], [ev.error('TRM_TIMESTAMP_SKEW'), ev.clock(30_001)]],
  ['network.channel_unreachable', 'transport: target = channel, failure ∈ {refused, reset, timeout, network, http_status, dns, tls}', [ev.transport('channel', 'timeout')], [ev.transport('platform', 'timeout')]],
  ['network.channel_unreachable', 'transport: target = channel, failure = system_error', [ev.transport('channel', 'system_error')]],
  ['network.channel_unreachable', 'self_check.channel: ok = false, failure ∈ {refused, reset, timeout, network, http_status, dns, tls, system_error}', [ev.channel(false, { failure: 'http_status' })], [ev.channel(false, { failure: 'bad_signature' })]],
  ['network.channel_unreachable', 'self_check.channel: ok = true', [ev.error('CHN_UNAVAILABLE'), ev.channel(true)]],
  ['network.platform_unreachable', 'transport: target = platform, failure ∈ {refused, http_status, network}', [ev.transport('platform', 'refused')], [ev.transport('platform', 'offline')]],
  ['network.platform_unreachable', 'transport: target = platform, failure = timeout', [ev.transport('platform', 'timeout')]],
  ['network.platform_unreachable', 'self_check.platform: ok = false, failure ∈ {refused, reset, timeout, network, http_status}', [ev.platform(false, { failure: 'refused' })], [ev.platform(false, { code: 'SYS_NOT_READY' })]],
  ['network.platform_unreachable', 'self_check.platform: ok = true', [ev.transport('platform', 'refused'), ev.platform(true)]],
  ['network.platform_unreachable', 'self_check.link: online = false', [ev.transport('platform', 'refused'), ev.link(false)]],
  // power
  ['power.voltage_dips', 'telemetry: voltageDips ≥ 3', [ev.telemetry({ voltageDips: 3 })], [ev.telemetry({ voltageDips: 2 })]],
  ['power.voltage_dips', 'telemetry: voltageDips ≥ 1', [ev.telemetry({ voltageDips: 1 })], [ev.telemetry({ voltageDips: 0 })]],
  ['power.voltage_dips', 'telemetry: dipsWithDisconnects = true', [ev.telemetry({ voltageDips: 1, disconnects: 2 })], [ev.telemetry({ voltageDips: 1, disconnects: 0 })]],
  ['power.voltage_dips', 'telemetry: powerSource = power_bank, voltageDips ≥ 1', [ev.telemetry({ powerSource: 'power_bank', voltageDips: 2 })], [ev.telemetry({ powerSource: 'power_bank', voltageDips: 0 })]],
  ['power.voltage_dips', 'telemetry: voltageDips = 0', [ev.telemetry({ voltageDips: 4 }), ev.telemetry({ voltageDips: 0 })]],
  ['power.battery_low', 'telemetry: batteryPercent ≤ 10, charging = false', [ev.telemetry({ batteryPercent: 10, charging: false })], [ev.telemetry({ batteryPercent: 10, charging: true })]],
  ['power.battery_low', 'telemetry: batteryPercent ≤ 5', [ev.telemetry({ batteryPercent: 5 })], [ev.telemetry({ batteryPercent: 6 })]],
  ['power.battery_low', 'telemetry: batteryPercent ≤ 20, charging = false', [ev.telemetry({ batteryPercent: 20, charging: false })], [ev.telemetry({ batteryPercent: 21, charging: false })]],
  ['power.battery_low', 'telemetry: charging = true', [ev.telemetry({ batteryPercent: 4, charging: true })]],
  ['power.battery_low', 'telemetry: batteryPercent ≥ 50', [ev.telemetry({ batteryPercent: 8, charging: false }), ev.telemetry({ batteryPercent: 50 })]],
  // security
  ...(['TRM_NOT_ACTIVATED', 'TRM_UNKNOWN_DEVICE', 'TRM_DEVICE_DISABLED', 'TRM_SIGNATURE_INVALID', 'TRM_SIGNATURE_MISSING'] as const).map(
    (code): Row => [catalogue[code].cause, 'self_check.device_auth: ok = true', [ev.error(code), ev.deviceAuth(true)], [ev.error(code), ev.deviceAuth(false, code)]],
  ),
  ['security.channel_keys_misconfigured', 'transport: target = channel, failure = bad_signature', [ev.transport('channel', 'bad_signature')], [ev.transport('platform', 'bad_signature')]],
  ['security.channel_keys_misconfigured', 'self_check.channel: ok = false, failure = bad_signature', [ev.channel(false, { failure: 'bad_signature' })]],
  ['security.channel_keys_misconfigured', 'self_check.channel: ok = true', [ev.error('CHN_SIGNATURE_CONFIG'), ev.channel(true)]],
  // account
  ['account.merchant_frozen', 'self_check.merchant: status ∈ {frozen, suspended}', [ev.merchant('suspended')], [ev.merchant('under_review')]],
  ['account.merchant_frozen', 'self_check.merchant: status = closed', [ev.merchant('closed')]],
  ['account.merchant_frozen', 'self_check.merchant: status = active', [ev.error('PAY_MERCHANT_INACTIVE'), ev.merchant('active')]],
  ['account.merchant_under_review', 'self_check.merchant: status = under_review', [ev.merchant('under_review')], [ev.merchant('frozen')]],
  ['account.merchant_under_review', 'self_check.merchant: status = active', [ev.merchant('under_review'), ev.merchant('active')]],
  ['account.merchant_contract', 'self_check.merchant: contract ∈ {expired, missing}', [ev.merchant('active', { contract: 'expired' })], [ev.merchant('active', { contract: 'valid' })]],
  ['account.merchant_contract', 'self_check.merchant: contract = valid', [ev.error('CHN_MERCHANT_CONTRACT_INVALID'), ev.merchant('active', { contract: 'valid' })]],
  ['account.product_not_signed', 'self_check.merchant: productSigned = false', [ev.merchant('active', { productSigned: false })], [ev.merchant('active')]],
  ['account.product_not_signed', 'self_check.merchant: productSigned = true', [ev.error('CHN_PRODUCT_NOT_SIGNED'), ev.merchant('active', { productSigned: true })]],
  // operation
  ['operation.collection_code_scanned', 'scan: collectionCodes ≥ 1', [ev.scan({ decoded: 1, collectionCodes: 1 })], [ev.scan({ decoded: 1, nonPaymentCodes: 1 })]],
  ['operation.not_a_payment_code', 'scan: nonPaymentCodes ≥ 1', [ev.scan({ decoded: 1, nonPaymentCodes: 1 })], [ev.scan({ ...noRead })]],
  ...frameRows('operation.too_far', 'tooSmall', 'smallRatio'),
  ...frameRows('operation.glare', 'glare', 'glareRatio'),
  ...frameRows('operation.movement', 'blur', 'blurRatio'),
  ['operation.movement', 'self_check.camera: result = fail', [ev.scan({ blur: 12 }), ev.camera('fail')], [ev.scan({ blur: 12 }), ev.camera('pass')]],
  ...frameRows('operation.too_dark', 'tooDark', 'darkRatio'),
  ...frameRows('operation.bad_angle', 'tilt', 'tiltRatio'),
  ...frameRows('operation.out_of_view', 'partlyOutOfView', 'outOfViewRatio'),
  // support
  ['support.update_overdue', 'update: daysBehind ≥ 7', [ev.update('app', 7)], [ev.update('app', 6)]],
  ['support.update_overdue', 'update: daysBehind ≥ 14', [ev.update('paycode_rules', 14)], [ev.update('paycode_rules', 13)]],
  ['support.update_overdue', 'update: forced = true', [ev.update('os', 0, { forced: true })], [ev.update('os', 0)]],
  ['support.ticket_overdue', 'ticket: open = true, slaUsed ≥ 1', [ev.ticket(241, 240)], [ev.ticket(241, 240, 'resolved')]],
  ['support.ticket_overdue', 'ticket: open = true, slaUsed ≥ 0.8', [ev.ticket(200, 240, 'pending')], [ev.ticket(100, 240)]],
  // system
  ['system.starting', 'self_check.platform: ok = true', [ev.error('SYS_NOT_READY'), ev.platform(true)]],
];

function patternIndex(cause: string, text: string): number {
  const c = causeById(cause);
  if (!c) throw new Error(`no cause ${cause}`);
  const n = c.patterns.findIndex((p) => describePattern(p) === text);
  if (n < 0) throw new Error(`${cause} has no pattern "${text}"`);
  return n;
}

function rulesHit(evidence: Evidence[], cause: string) {
  const found = diagnose(evidence, { minConfidence: 0 }).causes.find((c) => c.cause === cause);
  return found ? [...found.supportingEvidence, ...found.contradictingEvidence].map((m) => m.rule) : [];
}

describe('every pattern of the catalogue', () => {
  it.each(rows.map((r) => [`${r[0]} ← ${r[1]}`, ...r] as const))('%s', (_name, cause, text, evidence, nearMiss) => {
    const rule = `pattern:${cause}#${patternIndex(cause, text)}`;
    expect(rulesHit(evidence, cause)).toContain(rule);
    if (nearMiss) expect(rulesHit(nearMiss, cause)).not.toContain(rule);
  });

  it('has a row for each pattern (add one when you add a pattern)', () => {
    const covered = new Set(rows.map(([cause, text]) => `${cause}#${patternIndex(cause, text)}`));
    const missing = causes.flatMap((c) =>
      c.patterns.map((p, n) => ({ key: `${c.id}#${n}`, text: describePattern(p) })).filter(({ key }) => !covered.has(key)),
    );
    expect(missing).toEqual([]);
  });
});

describe('every catalogue error code', () => {
  it.each(errorCodes.map((code) => [code, catalogue[code].cause]))('%s points straight at %s', (code, cause) => {
    const [top] = diagnose([ev.error(code)]).causes;
    expect(top?.cause).toBe(cause);
    expect(top?.confidence).toBe(0.9);
    expect(top?.supportingEvidence.map((m) => m.rule)).toEqual([`code:${code}`]);
  });
});
