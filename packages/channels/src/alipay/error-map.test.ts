import { catalogue, isErrorCode } from '@scanpay/errors';
import { describe, expect, it } from 'vitest';
import type { CashierAction } from '../channel.ts';
import { DECLINE_RULES, PUBLIC_CODE_RULES, UNKNOWN_SUB_CODES, findRule, mapGatewayError, redact, type AlipayApi } from './error-map.ts';
import { ALIPAY_TRADE_STATUSES, isAlipayTradeStatus, tradeState } from './status-map.ts';

const ACTIONS: readonly CashierAction[] = ['rescan', 'other_method', 'stop', 'contact_channel', 'new_order'];
const CAUSE_ID = /^[a-z]+\.[a-z][a-z0-9_]*$/;
const HAS_CHINESE = /[\u4e00-\u9fff]/;

describe('the Alipay error map', () => {
  it('covers every sub_code of the brief’s §3 (about 75 rows)', () => {
    expect(DECLINE_RULES.length).toBeGreaterThanOrEqual(75);
  });

  it.each(DECLINE_RULES.map((r) => [`${r.subCode}${r.api ? ` (${r.api})` : ''}`, r] as const))(
    '%s maps to a channel catalogue code, a cause id, an action and zh/en remedies',
    (_name, rule) => {
      expect(isErrorCode(rule.code)).toBe(true);
      expect(rule.code.startsWith('CHN_')).toBe(true);
      expect(rule.cause).toMatch(CAUSE_ID);
      expect(ACTIONS).toContain(rule.action);
      expect(rule.remedy.zh).toMatch(HAS_CHINESE);
      expect(rule.remedy.en.length).toBeGreaterThan(10);
      expect(rule.rawCodes.length).toBeGreaterThan(0);

      const subCode = rule.subCode.endsWith('*') ? `${rule.subCode.slice(0, -1)}example` : rule.subCode;
      const api: AlipayApi = rule.api ?? (rule.subCode === 'ACQ.TRADE_HAS_SUCCESS' ? 'query' : 'pay');
      const mapped = mapGatewayError(api, { code: rule.rawCodes[0] as string, subCode, message: 'm' });
      expect(mapped).toEqual({
        kind: 'declined',
        decline: { code: rule.code, cause: rule.cause, action: rule.action, rawCode: rule.rawCodes[0], rawSubCode: subCode, rawMessage: 'm' },
        remedy: rule.remedy,
      });
    },
  );

  it('has no sub_code listed twice for the same API', () => {
    const keys = DECLINE_RULES.map((r) => `${r.api ?? '*'}:${r.subCode}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(Object.entries(PUBLIC_CODE_RULES))('public code %s without a known sub_code still maps to the catalogue', (code, rule) => {
    expect(isErrorCode(rule.code)).toBe(true);
    expect(rule.cause).toMatch(CAUSE_ID);
    expect(mapGatewayError('query', { code, subCode: 'isv.something-new' })).toMatchObject({ kind: 'declined', decline: { code: rule.code, rawCode: code } });
  });

  const unknownCases: Array<[string, string | undefined]> = [
    ...UNKNOWN_SUB_CODES.map((s): [string, string] => ['40004', s]),
    ['20000', 'isp.unknow-error'],
    ['20000', undefined],
    ['20000', 'ACQ.PAYMENT_AUTH_CODE_INVALID'],
  ];
  it.each(unknownCases)(
    'code %s / %s is unknown (system error), never a decline',
    (code, subCode) => {
      for (const api of ['pay', 'query', 'cancel', 'refund'] as const) {
        expect(mapGatewayError(api, { code, subCode })).toMatchObject({ kind: 'unknown', reason: 'system_error' });
      }
    },
  );

  it('treats ACQ.TRADE_HAS_SUCCESS on pay as unknown so the platform queries', () => {
    expect(mapGatewayError('pay', { code: '40004', subCode: 'ACQ.TRADE_HAS_SUCCESS' })).toMatchObject({ kind: 'unknown', reason: 'system_error' });
  });

  it('treats an unrecognised public code as unknown', () => {
    expect(mapGatewayError('pay', { code: '99999' })).toMatchObject({ kind: 'unknown' });
  });

  it('declines an unknown 40004 sub_code by the API that refused it', () => {
    expect(mapGatewayError('pay', { code: '40004', subCode: 'ACQ.NEW_THING' })).toMatchObject({ decline: { code: 'CHN_PAYMENT_FAILED', action: 'rescan' } });
    expect(mapGatewayError('refund', { code: '40004', subCode: 'ACQ.NEW_THING' })).toMatchObject({ decline: { code: 'CHN_REFUND_REJECTED' } });
    expect(mapGatewayError('close', { code: '40004', subCode: 'ACQ.NEW_THING' })).toMatchObject({ decline: { code: 'CHN_INVALID_PARAMETER' } });
  });

  it('prefers an API-specific row', () => {
    expect(findRule('refund', 'ACQ.TRADE_STATUS_ERROR')?.code).toBe('CHN_REFUND_REJECTED');
    expect(findRule('close', 'ACQ.TRADE_STATUS_ERROR')?.code).toBe('CHN_ORDER_CONFLICT');
  });

  it('keeps payment codes and authorisation tokens out of raw messages', () => {
    const message = '验签出错，网关生成的验签字符串为：app_auth_token=202611BBsecret&biz_content={"auth_code":"287634438256643946"}&x=286634438256643946';
    const clean = redact(message);
    expect(clean).not.toContain('287634438256643946');
    expect(clean).not.toContain('286634438256643946');
    expect(clean).not.toContain('202611BBsecret');
  });

  it('uses only causes that look like the catalogue’s (category names already in use)', () => {
    const categories = new Set(Object.values(catalogue).map((d) => d.cause.split('.')[0]));
    for (const rule of [...DECLINE_RULES, ...Object.values(PUBLIC_CODE_RULES)]) {
      expect(categories).toContain(rule.cause.split('.')[0]);
    }
  });
});

describe('the trade status map', () => {
  it.each([
    ['WAIT_BUYER_PAY', 'waiting_buyer'],
    ['TRADE_SUCCESS', 'paid'],
    ['TRADE_FINISHED', 'finished'],
    ['TRADE_CLOSED', 'closed'],
  ] as const)('%s → %s', (status, state) => {
    expect(tradeState(status)).toBe(state);
  });

  it('knows exactly the four documented statuses', () => {
    expect(ALIPAY_TRADE_STATUSES).toHaveLength(4);
    expect(isAlipayTradeStatus('TRADE_PENDING')).toBe(false);
    expect(isAlipayTradeStatus(undefined)).toBe(false);
  });
});
