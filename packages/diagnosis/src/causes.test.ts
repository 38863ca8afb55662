import { existsSync, readFileSync } from 'node:fs';
import { catalogue, errorCodes } from '@scanpay/errors';
import { describe, expect, it } from 'vitest';
import { categories, categoryOfPrefix, type Text } from './cause.ts';
import { causeIds, causes, isCauseId } from './causes/index.ts';
import { renderDiagnosisMarkdown } from './docs.ts';

const repo = (path: string) => new URL(`../../../${path}`, import.meta.url);
const errorMapPath = repo('packages/channels/src/alipay/error-map.ts');

/** The cause ids a channel error map names, read as text: diagnosis may not import channels. */
function causeIdsInErrorMap(): string[] {
  const source = readFileSync(errorMapPath, 'utf8');
  const ids = [...source.matchAll(/\bcause:\s*'([a-z]+\.[a-z0-9_]+)'/g), ...source.matchAll(/'([a-z]+\.[a-z0-9_]+)',\s*'(?:rescan|other_method|stop|contact_channel|new_order)'/g)];
  return [...new Set(ids.map((m) => m[1]!))].sort();
}

const CJK = /[\u4e00-\u9fff]/;

/** zh must be Chinese; en must be English (letters, no Chinese characters). */
function bilingualProblems(where: string, text: Text): string[] {
  const problems: string[] = [];
  if (!CJK.test(text.zh ?? '')) problems.push(`${where}: zh is missing or not Chinese`);
  if (!/[A-Za-z]{2}/.test(text.en ?? '') || CJK.test(text.en ?? '')) problems.push(`${where}: en is missing or not English`);
  return problems;
}

describe('cause catalogue', () => {
  it('names every cause `category.name`, once, in the category its prefix says', () => {
    expect(new Set(causeIds).size).toBe(causeIds.length);
    for (const cause of causes) {
      expect(cause.id).toMatch(/^[a-z]+\.[a-z0-9_]+$/);
      expect(cause.category, cause.id).toBe(categoryOfPrefix(cause.id.split('.')[0]!));
    }
  });

  it('has every cause id the error catalogue points to', () => {
    const missing = errorCodes.map((c) => catalogue[c].cause).filter((id) => !isCauseId(id));
    expect(missing).toEqual([]);
  });

  it('has every cause id the Alipay error map uses', () => {
    if (!existsSync(errorMapPath)) {
      console.log('skipped: packages/channels/src/alipay/error-map.ts is not there yet');
      return;
    }
    const ids = causeIdsInErrorMap();
    expect(ids.length).toBeGreaterThan(10);
    expect(ids.filter((id) => !isCauseId(id))).toEqual([]);
  });

  it('covers every cause of the source document', () => {
    const seed = [
      'compatibility.app_outdated', 'compatibility.os_outdated', 'compatibility.rules_outdated',
      'compatibility.protocol_outdated', 'compatibility.unknown_code_format', 'compatibility.channel_not_enabled',
      'compatibility.channel_config_invalid', 'compatibility.channel_protocol',
      'hardware.camera_degraded', 'hardware.scan_head_fault',
      'configuration.resolution_low', 'configuration.scan_region', 'configuration.illumination_off',
      'configuration.camera_permission_blocked', 'configuration.scan_profile_invalid',
      'network.offline', 'network.dns', 'network.tls', 'network.latency_loss', 'network.clock_skew',
      'network.channel_unreachable', 'network.platform_unreachable',
      'power.voltage_dips', 'power.battery_low',
      'security.device_not_activated', 'security.device_unknown', 'security.device_disabled',
      'security.wrong_device_key', 'security.replay', 'security.request_unsigned',
      'security.activation_code_invalid', 'security.channel_keys_misconfigured', 'security.risk_control',
      'account.merchant_frozen', 'account.merchant_under_review', 'account.merchant_quota',
      'account.merchant_contract', 'account.product_not_signed', 'account.permission_missing',
      'account.merchant_balance_low',
      'buyer.balance_insufficient', 'buyer.limit_exceeded', 'buyer.code_expired_or_used',
      'buyer.account_restricted', 'buyer.payment_switch_off', 'buyer.payment_failed',
      'operation.collection_code_scanned', 'operation.not_a_payment_code', 'operation.amount_not_entered',
      'operation.amount_invalid', 'operation.too_far', 'operation.glare', 'operation.movement',
      'operation.too_dark', 'operation.invalid_request', 'operation.order_conflict', 'operation.refund_amount_invalid',
      'support.update_overdue', 'support.ticket_overdue',
      'system.internal_error', 'system.database_unavailable', 'system.starting',
    ];
    expect(seed.filter((id) => !isCauseId(id))).toEqual([]);
    expect(new Set(causes.map((c) => c.category))).toEqual(new Set(categories.map((c) => c.zh)));
  });

  it('gives every title and remedy step both Chinese and English (cashier-facing text first)', () => {
    const cashierFacing = causes.filter((c) => c.audience.includes('cashier'));
    expect(cashierFacing.length).toBeGreaterThan(40);
    const problems = [...cashierFacing, ...causes.filter((c) => !c.audience.includes('cashier'))].flatMap((c) => [
      ...bilingualProblems(`${c.id} title`, c.title),
      ...c.remedy.flatMap((r, i) => bilingualProblems(`${c.id} remedy ${i + 1}`, r)),
    ]);
    expect(problems).toEqual([]);
  });

  it('catches a remedy step without English, or with Chinese in its place', () => {
    expect(bilingualProblems('x', { zh: '刷新付款码', en: '' })).toHaveLength(1);
    expect(bilingualProblems('x', { zh: '刷新付款码', en: '刷新付款码' })).toHaveLength(1);
    expect(bilingualProblems('x', { zh: 'Refresh the code', en: 'Refresh the code' })).toHaveLength(1);
    expect(bilingualProblems('x', { zh: '刷新付款码', en: 'Refresh the code' })).toEqual([]);
  });

  it('gives every cause an audience, concrete remedy steps and a way to be recognised', () => {
    const reported = existsSync(errorMapPath) ? new Set(causeIdsInErrorMap()) : new Set<string>();
    const byCode = new Set(errorCodes.map((c) => catalogue[c].cause));
    for (const cause of causes) {
      expect(cause.audience.length, cause.id).toBeGreaterThan(0);
      expect(cause.remedy.length, cause.id).toBeGreaterThan(0);
      for (const step of cause.remedy) expect(step.zh.length, cause.id).toBeGreaterThanOrEqual(4);
      const recognisable =
        byCode.has(cause.id) || reported.has(cause.id) || cause.patterns.some((p) => p.weight > 0);
      expect(recognisable, `${cause.id} has no code, no error-map row and no supporting pattern`).toBe(true);
    }
  });

  it('keeps every pattern weight within −1..1 and not zero', () => {
    for (const cause of causes) {
      for (const p of cause.patterns) {
        expect(Math.abs(p.weight), cause.id).toBeGreaterThan(0);
        expect(Math.abs(p.weight), cause.id).toBeLessThanOrEqual(1);
        expect(Object.keys(p.where).length, cause.id).toBeGreaterThan(0);
      }
    }
  });

  it('matches docs/diagnosis.md (run `npm run docs:diagnosis` after changing the catalogue)', () => {
    expect(readFileSync(repo('docs/diagnosis.md'), 'utf8')).toBe(renderDiagnosisMarkdown());
  });
});
