import { describe, expect, it } from 'vitest';
import { diagnose } from './engine.ts';
import { describeEvidence, formatDiagnosis } from './format.ts';
import { ev } from './test-evidence.ts';

const CJK = /[\u4e00-\u9fff]/;
const skew = diagnose([ev.error('TRM_TIMESTAMP_SKEW'), ev.clock(420_000), ev.telemetry({ latencyP95Ms: 1800 }), ev.dns(true)]);

describe('formatDiagnosis', () => {
  it('gives the cashier the best cause and its steps in Chinese only', () => {
    const text = formatDiagnosis(skew, { lang: 'zh', audience: 'cashier', max: 1 });
    expect(text).toBe(
      [
        '最可能的原因：设备时间不准（把握 99%）',
        '  1. 在终端系统设置中打开「自动设置日期和时间」',
        '  2. 无法自动对时的，手动把时间调到北京时间后重试',
        '  3. 平台服务器时间不准时（通道拒绝时间戳），运维开启 NTP 校时',
        '  可自动修复：自动校准时间 [resync_clock]',
        '',
      ].join('\n'),
    );
  });

  it('writes English only in en, and Chinese first then English in both', () => {
    const en = formatDiagnosis(skew, { lang: 'en', audience: 'cashier' });
    expect(en).not.toMatch(CJK);
    expect(en).toContain('Most likely cause: The clock is wrong (confidence 99%)');
    expect(en).toContain('Also possible:\n  - The network is slow or losing packets 40% [network.latency_loss]');
    const both = formatDiagnosis(skew, { lang: 'both', audience: 'cashier' });
    expect(both.split('\n')[0]).toBe('最可能的原因 / Most likely cause: 设备时间不准 / The clock is wrong (把握 / confidence 99%)');
  });

  it('shows operators the evidence for and against each cause, and what it could not explain', () => {
    const d = diagnose([ev.transport('platform', 'refused'), ev.platform(true), ev.telemetry({ disconnects: 5 }), ev.dns(true)], { minConfidence: 0 });
    const text = formatDiagnosis(d, { lang: 'en', audience: 'operator' });
    expect(text).toContain('for #2 telemetry windowMinutes=60 disconnects=5  [+0.40 telemetry: disconnects ≥ 3]');
    expect(text).toContain('against #1 self_check.platform ok=true  [−0.90 self_check.platform: ok = true]');
    expect(text).toContain('2 observations could not be explained: contact support');
    expect(formatDiagnosis(d, { lang: 'en', audience: 'cashier' })).not.toContain('#1');
  });

  it('hands causes a cashier cannot act on to the manager or support', () => {
    const d = diagnose([ev.error('CHN_SIGNATURE_CONFIG')]);
    expect(formatDiagnosis(d, { lang: 'zh', audience: 'cashier' })).toBe('最可能的原因：支付通道密钥配置错误（把握 90%）\n  1. 请联系店长或服务商处理\n');
    expect(formatDiagnosis(d, { lang: 'en', audience: 'merchant' })).toContain('1. Contact support to handle this');
    expect(formatDiagnosis(d, { lang: 'en', audience: 'operator' })).toContain('1. On the Alipay open platform, check that the uploaded app public key');
    const cashierCause = diagnose([ev.scan({ glare: 15 })]);
    expect(formatDiagnosis(cashierCause, { lang: 'en', audience: 'merchant' })).toContain('tilt the phone slightly');
  });

  it('says when there is nothing to diagnose, or nothing clear', () => {
    expect(formatDiagnosis(diagnose([]), { lang: 'both', audience: 'cashier' })).toBe('没有可诊断的信息 / Nothing to diagnose\n');
    expect(formatDiagnosis(diagnose([ev.dns(true)]), { lang: 'zh', audience: 'cashier' })).toBe('未发现明确原因\n');
  });
});

describe('describeEvidence', () => {
  it.each([
    [ev.error('CHN_PAYMENT_FAILED', { cause: 'buyer.payment_failed', rawSubCode: 'ACQ.PAYMENT_FAIL' }), 'error CHN_PAYMENT_FAILED cause=buyer.payment_failed (ACQ.PAYMENT_FAIL)'],
    [ev.clock(-9000), 'self_check.clock offsetMs=-9000 reference=platform'],
    [ev.transport('channel', 'timeout'), 'transport target=channel failure=timeout'],
    [ev.scan({ frames: 10, tooDark: 4, profile: { illumination: 'off' } }), 'scan input=camera frames=10 decodeAttempts=20 decoded=0 frameWidth=1280 frameHeight=720 tooDark=4 profile={"illumination":"off"}'],
  ])('%#: %s', (evidence, text) => {
    expect(describeEvidence(evidence)).toBe(text);
  });
});
