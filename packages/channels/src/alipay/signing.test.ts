import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAnswer, type GatewayConfig } from './client.ts';
import {
  beijingTimestamp,
  extractResponse,
  loadPrivateKey,
  loadPublicKey,
  notificationSignContent,
  parseBeijingTimestamp,
  rsaSign,
  rsaVerify,
  signContent,
  topLevelMembers,
  verifyResponseContent,
} from './signing.ts';
import { nodeName, sharedKeys, signedBody } from './test-support.ts';

const keys = sharedKeys();

describe('string to sign (brief §1.3)', () => {
  it('reproduces the brief’s example byte for byte', () => {
    const biz = '{"out_trade_no":"T2","scene":"bar_code","auth_code":"287634438256643946","subject":"x","total_amount":"88.88"}';
    const params = {
      timestamp: '2026-11-27 22:35:22',
      method: 'alipay.trade.pay',
      app_id: '2021000000000001',
      sign_type: 'RSA2',
      version: '1.0',
      charset: 'utf-8',
      notify_url: 'http://example.invalid/n',
      biz_content: biz,
      sign: 'ignored',
    };
    expect(signContent(params)).toBe(
      `app_id=2021000000000001&biz_content=${biz}&charset=utf-8&method=alipay.trade.pay&notify_url=http://example.invalid/n&sign_type=RSA2&timestamp=2026-11-27 22:35:22&version=1.0`,
    );
  });

  it('drops sign and empty values, keeps sign_type, sorts by code unit and does not URL-encode', () => {
    const content = signContent({ b: '2', a: '1', sign: 'x', empty: '', nil: undefined, Z: 'upper', sign_type: 'RSA2', q: 'a b&c=d/中' });
    expect(content).toBe('Z=upper&a=1&b=2&q=a b&c=d/中&sign_type=RSA2');
  });

  it('leaves out sign and sign_type for notifications (V1)', () => {
    expect(notificationSignContent({ sign: 's', sign_type: 'RSA2', b: '2', a: '1' })).toBe('a=1&b=2');
  });

  const paramKey = fc.stringMatching(/^[a-z_]{1,12}$/);
  const paramValue = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((v) => !v.includes('&'));

  it('does not depend on the order the parameters were added in', () => {
    fc.assert(
      fc.property(fc.dictionary(paramKey, paramValue), fc.func(fc.integer()), (params, rank) => {
        const shuffled = Object.fromEntries(Object.entries(params).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1)));
        expect(signContent(shuffled)).toBe(signContent(params));
      }),
    );
  });

  it('lists every non-empty parameter exactly once, sorted, and round-trips', () => {
    fc.assert(
      fc.property(fc.dictionary(paramKey, paramValue), (params) => {
        const content = signContent(params);
        const expected = Object.entries(params).filter(([k, v]) => v !== '' && k !== 'sign').sort(([a], [b]) => (a < b ? -1 : 1));
        const parsed = content === '' ? [] : content.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]);
        expect(parsed).toEqual(expected);
      }),
    );
  });

  it('ignores empty values whatever they are added to', () => {
    fc.assert(
      fc.property(fc.dictionary(paramKey, paramValue), fc.array(paramKey), (params, empties) => {
        const withEmpties = { ...Object.fromEntries(empties.map((k) => [`${k}_e`, ''])), ...params };
        expect(signContent(withEmpties)).toBe(signContent(params));
      }),
    );
  });
});

describe('keys and RSA signatures', () => {
  it('loads the private key from PKCS#8 or PKCS#1 PEM and from bare base64', () => {
    const message = 'a=1&b=2';
    for (const text of [keys.app.privatePkcs8Pem, keys.app.privatePkcs1Pem, keys.app.privatePkcs8Base64]) {
      const signature = rsaSign(message, loadPrivateKey(text), 'RSA2');
      expect(rsaVerify(message, signature, loadPublicKey(keys.app.publicSpkiBase64), 'RSA2')).toBe(true);
    }
  });

  it('refuses a wrong key, a tampered message, a mangled signature and the other algorithm', () => {
    const signature = rsaSign('a=1', keys.app.privateKey, 'RSA2');
    expect(rsaVerify('a=1', signature, keys.alipay.publicKey, 'RSA2')).toBe(false);
    expect(rsaVerify('a=2', signature, keys.app.publicKey, 'RSA2')).toBe(false);
    expect(rsaVerify('a=1', `!${signature}`, keys.app.publicKey, 'RSA2')).toBe(false);
    expect(rsaVerify('a=1', signature, keys.app.publicKey, 'RSA')).toBe(false);
    expect(rsaVerify('a=1', rsaSign('a=1', keys.app.privateKey, 'RSA'), keys.app.publicKey, 'RSA')).toBe(true);
  });

  it('throws on text that is not a key', () => {
    expect(() => loadPrivateKey('not a key')).toThrow(TypeError);
    expect(() => loadPublicKey(keys.app.privatePkcs8Base64)).toThrow(TypeError);
  });
});

describe('raw response extraction (brief §1.5)', () => {
  const method = 'alipay.trade.query';
  const inner = '{"code":"10000","msg":"Success","qr_code":"https:\\/\\/qr.alipay.com\\/bax0","subject":"\\u4e2d\\u6587 {\\"}","trade_status":"TRADE_SUCCESS"}';

  it('keeps the inner text byte for byte, with \\/ and \\uXXXX escapes and braces inside strings', () => {
    const body = signedBody(nodeName(method), inner, keys.alipay.privateKey);
    const envelope = extractResponse(body, method);
    expect(envelope?.content).toBe(inner);
    expect(verifyResponseContent(envelope?.content ?? '', envelope?.sign ?? '', keys.alipay.publicKey, 'RSA2')).toBe(true);
  });

  it('finds sign and alipay_cert_sn whether the cert SN comes before or after sign', () => {
    for (const certSnFirst of [true, false]) {
      const body = signedBody(nodeName(method), inner, keys.alipay.privateKey, { certSn: 'abc123', certSnFirst });
      const envelope = extractResponse(body, method);
      expect(envelope).toMatchObject({ content: inner, certSn: 'abc123' });
      expect(verifyResponseContent(inner, envelope?.sign ?? '', keys.alipay.publicKey, 'RSA2')).toBe(true);
    }
  });

  it('verifies a body signed over unescaped slashes by retrying without \\/', () => {
    const sign = rsaSign(inner.replaceAll('\\/', '/'), keys.alipay.privateKey, 'RSA2');
    expect(verifyResponseContent(inner, sign, keys.alipay.publicKey, 'RSA2')).toBe(true);
  });

  it('fails a tampered body', () => {
    const body = signedBody(nodeName(method), inner, keys.alipay.privateKey);
    const tampered = body.replace('TRADE_SUCCESS', 'TRADE_CLOSED');
    const envelope = extractResponse(tampered, method);
    expect(verifyResponseContent(envelope?.content ?? '', envelope?.sign ?? '', keys.alipay.publicKey, 'RSA2')).toBe(false);
  });

  it('falls back to error_response and accepts whitespace between members', () => {
    const envelope = extractResponse('{ "error_response" : {"code":"40001"} , "sign" : "c2ln" }', method);
    expect(envelope).toEqual({ node: 'error_response', content: '{"code":"40001"}', sign: 'c2ln' });
  });

  it('rejects a body that repeats a key, so the verifier and the parser cannot see different nodes', () => {
    const body = signedBody(nodeName(method), inner, keys.alipay.privateKey);
    const injected = body.replace(/}$/, `,"${nodeName(method)}":{"code":"10000","trade_status":"TRADE_SUCCESS"}}`);
    expect(topLevelMembers(injected)).toBeNull();
    expect(extractResponse(injected, method)).toBeNull();
  });

  it('rejects what is not one JSON object', () => {
    for (const raw of ['', 'null', '[]', '{"a":1', '{"a":1}x', '<html>', '{"a" 1}', '{"alipay_trade_query_response":"enc"}']) {
      expect(extractResponse(raw, method)).toBeNull();
    }
  });
});

describe('reading a verified answer', () => {
  const config: GatewayConfig = {
    appId: 'a',
    privateKey: keys.app.privateKey,
    alipayPublicKey: keys.alipay.publicKey,
    gatewayUrl: new URL('http://127.0.0.1/gateway.do'),
    signType: 'RSA2',
    now: () => new Date(),
    fetch: globalThis.fetch,
  };
  const method = 'alipay.trade.pay';
  const node = nodeName(method);

  it('treats a success without a signature as unknown', () => {
    expect(readAnswer(config, method, `{"${node}":{"code":"10000"}}`)).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  });

  it('passes an unsigned error on, marked unauthenticated', () => {
    expect(readAnswer(config, method, '{"error_response":{"code":"40002","sub_code":"isv.invalid-app-id"}}')).toMatchObject({
      kind: 'answer', signed: false, code: '40002',
    });
  });

  it('chooses the verifying key by alipay_cert_sn in certificate mode and refuses an unknown SN', () => {
    const certConfig = { ...config, alipayPublicKey: keys.app.publicKey, cert: { appCertSn: 'x', alipayRootCertSn: 'y', keysBySn: new Map([['sn1', keys.alipay.publicKey]]) } };
    const inner = '{"code":"10000","msg":"Success"}';
    expect(readAnswer(certConfig, method, signedBody(node, inner, keys.alipay.privateKey, { certSn: 'sn1' }))).toMatchObject({ kind: 'answer', signed: true });
    expect(readAnswer(certConfig, method, signedBody(node, inner, keys.alipay.privateKey, { certSn: 'sn2' }))).toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  });
});

describe('Beijing timestamps', () => {
  it('formats in UTC+8 whatever the process time zone', () => {
    expect(beijingTimestamp(new Date('2026-11-27T14:35:22Z'))).toBe('2026-11-27 22:35:22');
    expect(beijingTimestamp(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00:00');
  });

  it('parses back, and refuses impossible dates', () => {
    expect(parseBeijingTimestamp('2026-11-27 22:35:22')?.toISOString()).toBe('2026-11-27T14:35:22.000Z');
    expect(parseBeijingTimestamp('2026-02-30 00:00:00')).toBeUndefined();
    expect(parseBeijingTimestamp('2026-11-27T22:35:22')).toBeUndefined();
  });
});
