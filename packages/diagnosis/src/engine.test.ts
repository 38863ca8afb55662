import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { causes } from './causes/index.ts';
import { diagnose } from './engine.ts';
import type { Evidence } from './evidence.ts';
import { ev } from './test-evidence.ts';

const confidenceOf = (evidence: Evidence[], cause: string) =>
  diagnose(evidence, { minConfidence: 0 }).causes.find((c) => c.cause === cause)?.confidence ?? 0;
const ranking = (evidence: Evidence[]) => diagnose(evidence).causes.map((c) => c.cause);

describe('diagnose: calibration', () => {
  it('treats a catalogue error code as strong evidence, above weak signals', () => {
    const d = diagnose([ev.telemetry({ latencyP95Ms: 1800 }), ev.error('CHN_PAYCODE_INVALID')]);
    expect(d.causes.map((c) => [c.cause, c.confidence])).toEqual([
      ['buyer.code_expired_or_used', 0.9],
      ['network.latency_loss', 0.4],
    ]);
  });

  it('combines several weak network signals into a strong one', () => {
    const signals = [
      ev.telemetry({ latencyP95Ms: 1800 }),
      ev.telemetry({ lossPercent: 7 }),
      ev.telemetry({ disconnects: 4 }),
      ev.link(true, -86),
    ];
    for (const s of signals) expect(confidenceOf([s], 'network.latency_loss')).toBeLessThan(0.5);
    const together = diagnose(signals).causes[0]!;
    expect(together.cause).toBe('network.latency_loss');
    expect(together.confidence).toBeGreaterThan(0.8);
    expect(together.confidence).toBeLessThan(1);
    expect(together.supportingEvidence.map((m) => m.evidenceIndex)).toEqual([0, 1, 2, 3]);
  });

  it('lowers network causes when a self-check finds the platform reachable', () => {
    const refused = ev.transport('platform', 'refused');
    expect(confidenceOf([refused], 'network.platform_unreachable')).toBe(0.6);
    const checked = diagnose([refused, ev.platform(true, { latencyMs: 60 })], { minConfidence: 0 });
    const unreachable = checked.causes.find((c) => c.cause === 'network.platform_unreachable')!;
    expect(unreachable.confidence).toBeCloseTo(0.06, 3);
    expect(unreachable.contradictingEvidence.map((m) => m.evidenceIndex)).toEqual([1]);
    expect(ranking([refused, ev.platform(true)])).not.toContain('network.platform_unreachable');
    expect(confidenceOf([ev.transport('platform', 'offline'), ev.platform(true)], 'network.offline')).toBeLessThan(0.1);
  });

  it('lets a reported finer cause outrank the code’s own cause, and ignores one it does not know', () => {
    const d = diagnose([ev.error('CHN_PAYMENT_FAILED', { cause: 'buyer.no_payment_instrument', rawSubCode: 'X' })]);
    expect(d.causes.map((c) => [c.cause, c.confidence])).toEqual([
      ['buyer.no_payment_instrument', 0.92],
      ['buyer.payment_failed', 0.5],
    ]);
    const unknown = diagnose([ev.error('CHN_PAYMENT_FAILED', { cause: 'buyer.not_in_catalogue' })]);
    expect(unknown.causes.map((c) => [c.cause, c.confidence])).toEqual([['buyer.payment_failed', 0.9]]);
  });

  it('reads a finer cause reported with a failed channel self-check like one reported with a refusal', () => {
    const probe = ev.channel(false, { code: 'CHN_PERMISSION_MISSING', cause: 'account.app_auth_token_invalid' });
    expect(diagnose([probe]).causes.map((c) => [c.cause, c.confidence])).toEqual([
      ['account.app_auth_token_invalid', 0.92],
      ['account.permission_missing', 0.5],
    ]);
    const refusal = ev.error('CHN_PERMISSION_MISSING', { cause: 'account.app_auth_token_invalid' });
    expect(diagnose([refusal, probe]).causes[0]).toMatchObject({ cause: 'account.app_auth_token_invalid', confidence: 0.92 });
    // A passing check carries no refusal, so a stray cause on it counts for nothing.
    expect(diagnose([{ ...(ev.channel(true) as object), cause: 'account.app_auth_token_invalid' } as never]).causes).toEqual([]);
  });

  it('counts a rule once however often the same evidence repeats', () => {
    const once = diagnose([ev.error('CHN_UNAVAILABLE')]).causes[0]!;
    const many = diagnose(Array.from({ length: 5 }, () => ev.error('CHN_UNAVAILABLE'))).causes[0]!;
    expect(many.confidence).toBe(once.confidence);
    expect(many.supportingEvidence).toHaveLength(5);
  });

  it('gives the same answer whatever the order of the evidence, within 0..1, best first', () => {
    const pool: Evidence[] = [
      ev.error('CHN_UNAVAILABLE'), ev.error('TRM_TIMESTAMP_SKEW'), ev.transport('platform', 'timeout'),
      ev.platform(true, { latencyMs: 1900 }), ev.clock(400_000), ev.clock(5_000), ev.link(false),
      ev.scan({ tooDark: 12, glare: 7 }), ev.scan({ decoded: 1 }), ev.camera('pass'), ev.camera('fail'),
      ev.telemetry({ voltageDips: 4, disconnects: 2, batteryPercent: 7, charging: false }),
      ev.merchant('frozen', { contract: 'expired' }), ev.update('app', 20, { forced: true }), ev.ticket(300, 240),
      ev.error('CHN_PAYMENT_FAILED', { cause: 'buyer.no_payment_instrument' }), ev.error('NOT_A_CODE'),
    ];
    const byCause = (evidence: Evidence[]) =>
      Object.fromEntries(diagnose(evidence, { minConfidence: 0 }).causes.map((c) => [c.cause, c.confidence]));
    fc.assert(
      fc.property(fc.shuffledSubarray(pool), fc.infiniteStream(fc.integer()), (subset, seeds) => {
        const shuffled = [...subset].sort(() => (seeds.next().value % 2 === 0 ? -1 : 1));
        expect(byCause(shuffled)).toEqual(byCause(subset));
        const ranked = diagnose(subset, { minConfidence: 0 }).causes;
        for (const [i, c] of ranked.entries()) {
          expect(c.confidence).toBeGreaterThan(0);
          expect(c.confidence).toBeLessThanOrEqual(1);
          if (i > 0) expect(c.confidence).toBeLessThanOrEqual(ranked[i - 1]!.confidence);
        }
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('is deterministic: the same evidence twice gives equal diagnoses', () => {
    const evidence = [ev.scan({ tooDark: 9, blur: 8 }), ev.telemetry({ signalDbm: -90 })];
    expect(diagnose(evidence)).toEqual(diagnose(evidence));
  });
});

describe('diagnose: explanation and options', () => {
  it('says which evidence matched which rule', () => {
    const [top] = diagnose([ev.scanHead('pass'), ev.clock(-420_000)]).causes;
    expect(top?.supportingEvidence.map((m) => [m.evidenceIndex, m.rule, m.why])).toEqual([
      [1, 'pattern:network.clock_skew#0', '+0.90 self_check.clock: absOffsetMs ≥ 300000'],
      [1, 'pattern:network.clock_skew#1', '+0.40 self_check.clock: absOffsetMs ≥ 60000'],
    ]);
    expect(top?.autoFix).toBe('resync_clock');
    expect(top?.remedy[0]?.zh).toContain('自动设置日期和时间');
  });

  it('lists the evidence that supported no cause', () => {
    const d = diagnose([ev.dns(true), ev.error('NOT_A_CODE'), ev.error('SYS_INTERNAL'), ev.scan({ frames: 3, tooDark: 3 })]);
    expect(d.unexplained).toEqual([0, 1, 3]);
    expect(d.evidenceCount).toBe(4);
  });

  it('returns nothing for no evidence', () => {
    expect(diagnose([])).toEqual({ causes: [], unexplained: [], evidenceCount: 0 });
  });

  it('honours minConfidence, limit and audience', () => {
    const evidence = [ev.error('CHN_SIGNATURE_CONFIG'), ev.telemetry({ batteryPercent: 15, charging: false }), ev.scan({ glare: 7 })];
    expect(ranking(evidence)).toEqual(['security.channel_keys_misconfigured', 'operation.glare', 'power.battery_low']);
    expect(diagnose(evidence, { minConfidence: 0.3 }).causes.map((c) => c.cause)).toEqual([
      'security.channel_keys_misconfigured', 'operation.glare',
    ]);
    expect(diagnose(evidence, { limit: 1 }).causes).toHaveLength(1);
    expect(diagnose(evidence, { audience: 'cashier' }).causes.map((c) => c.cause)).toEqual(['operation.glare', 'power.battery_low']);
  });

  it('accepts another catalogue', () => {
    const only = causes.filter((c) => c.id === 'power.battery_low');
    expect(diagnose([ev.error('SYS_INTERNAL'), ev.telemetry({ batteryPercent: 3 })], { causes: only }).causes.map((c) => c.cause)).toEqual([
      'power.battery_low',
    ]);
  });
});

describe('diagnose: the failures of the source document, as the system observes them', () => {
  it.each<[string, Evidence[], string]>([
    ['the cashier scanned the shop’s 收款码', [ev.scan({ decoded: 1, collectionCodes: 1 }), ev.error('REQ_PAYCODE_COLLECTION_CODE')], 'operation.collection_code_scanned'],
    ['dark frames with the illumination switched off', [ev.scan({ tooDark: 14, profile: { illumination: 'off' } })], 'configuration.illumination_off'],
    ['dark frames with the illumination on', [ev.scan({ tooDark: 14, profile: { illumination: 'auto' } })], 'operation.too_dark'],
    ['glaring frames', [ev.scan({ glare: 15 })], 'operation.glare'],
    ['a camera that fails the test pattern and trails the fleet', [ev.camera('fail', { decodedKnownPattern: false }), ev.telemetry({ scanSuccessRate: 0.3, fleetScanSuccessRate: 0.95, scanAttempts: 120 }), ev.scan({ blur: 14 })], 'hardware.camera_degraded'],
    ['a power bank with voltage dips and dropped links', [ev.telemetry({ powerSource: 'power_bank', voltageDips: 6, disconnects: 3 }), ev.transport('platform', 'timeout')], 'power.voltage_dips'],
    ['a skewed terminal clock', [ev.error('TRM_TIMESTAMP_SKEW'), ev.clock(-360_000)], 'network.clock_skew'],
    ['a wrong device key', [ev.error('TRM_SIGNATURE_INVALID'), ev.deviceAuth(false, 'TRM_SIGNATURE_INVALID'), ev.clock(2_000)], 'security.wrong_device_key'],
    ['a stopped platform', [ev.transport('platform', 'refused'), ev.link(true), ev.platform(false, { failure: 'refused' })], 'network.platform_unreachable'],
    ['no network at all', [ev.transport('platform', 'offline'), ev.link(false), ev.platform(false, { failure: 'offline' })], 'network.offline'],
    ['a channel down behind a reachable platform', [ev.transport('channel', 'timeout'), ev.error('CHN_UNAVAILABLE'), ev.platform(true)], 'network.channel_unreachable'],
    ['an app below the policy minimum', [ev.version('app', '1.9.4', '2.0.0'), ev.update('app', 12, { forced: true })], 'compatibility.app_outdated'],
    ['a frozen merchant', [ev.error('PAY_MERCHANT_INACTIVE'), ev.merchant('frozen')], 'account.merchant_frozen'],
    ['a ticket past its SLA', [ev.ticket(500, 240)], 'support.ticket_overdue'],
    ['a platform still starting', [ev.platform(false, { code: 'SYS_NOT_READY', httpStatus: 503 })], 'system.starting'],
  ])('%s', (_name, evidence, expected) => {
    expect(ranking(evidence)[0]).toBe(expected);
  });
});
