import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadOrCreateAlipayKeys, notifySignString, pemBody, requestSignString, rsaSign, rsaVerify, toRsaPublicKey,
} from './crypto.ts';
import { tempDir } from './testing.ts';
import { compactJson, parseBeijingTime, parseTradeAmount, beijingTime, yuan } from './wire.ts';

// The example of brief §1.3, values and all.
const BRIEF_EXAMPLE =
  'app_id=2021000000000001&biz_content={"out_trade_no":"T2","scene":"bar_code","auth_code":"287634438256643946","subject":"x","total_amount":"88.88"}&charset=utf-8&method=alipay.trade.pay&notify_url=http://example.invalid/n&sign_type=RSA2&timestamp=2026-11-27 22:35:22&version=1.0';

describe('string to sign', () => {
  it('rebuilds the brief §1.3 example from unordered parameters, dropping sign and empty values', () => {
    const params = {
      version: '1.0',
      timestamp: '2026-11-27 22:35:22',
      sign: 'ignored',
      method: 'alipay.trade.pay',
      biz_content: '{"out_trade_no":"T2","scene":"bar_code","auth_code":"287634438256643946","subject":"x","total_amount":"88.88"}',
      app_auth_token: '',
      charset: 'utf-8',
      notify_url: 'http://example.invalid/n',
      sign_type: 'RSA2',
      app_id: '2021000000000001',
    };
    expect(requestSignString(params)).toBe(BRIEF_EXAMPLE);
  });

  it('sorts keys by byte order, not locale (uppercase before lowercase, underscore between)', () => {
    expect(requestSignString({ b: '1', B: '2', a_b: '3', ab: '4', a: '5' })).toBe('B=2&a=5&a_b=3&ab=4&b=1');
  });

  it('keeps raw values: no URL-encoding of spaces, ampersands or unicode', () => {
    expect(requestSignString({ subject: '咖啡 & 茶', url: 'http://x/?a=1&b=2' })).toBe('subject=咖啡 & 茶&url=http://x/?a=1&b=2');
  });

  it('excludes sign_type from the notification (V1) string but keeps it in the request string', () => {
    const fields = { sign_type: 'RSA2', sign: 's', trade_status: 'TRADE_SUCCESS', app_id: '1' };
    expect(notifySignString(fields)).toBe('app_id=1&trade_status=TRADE_SUCCESS');
    expect(requestSignString(fields)).toBe('app_id=1&sign_type=RSA2&trade_status=TRADE_SUCCESS');
  });
});

describe('RSA signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('round-trips RSA2 and RSA over the brief example, and a changed byte fails', () => {
    for (const type of ['RSA2', 'RSA'] as const) {
      const sig = rsaSign(BRIEF_EXAMPLE, privateKey, type);
      expect(rsaVerify(BRIEF_EXAMPLE, sig, publicPem, type)).toBe(true);
      expect(rsaVerify(BRIEF_EXAMPLE.replace('88.88', '88.89'), sig, publicPem, type)).toBe(false);
    }
    const rsa2 = rsaSign(BRIEF_EXAMPLE, privateKey, 'RSA2');
    expect(rsaVerify(BRIEF_EXAMPLE, rsa2, publicPem, 'RSA')).toBe(false);
  });

  it('answers false (not throws) for garbage signatures', () => {
    expect(rsaVerify('x', 'not base64 at all!!', publicPem, 'RSA2')).toBe(false);
  });

  it('accepts the bare base64 public key the Alipay console hands out, and PKCS#1 PEM', () => {
    const bare = pemBody(publicPem);
    const fromBare = toRsaPublicKey(bare);
    const sig = rsaSign('abc', privateKey, 'RSA2');
    expect(rsaVerify('abc', sig, fromBare, 'RSA2')).toBe(true);
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(rsaVerify('abc', sig, toRsaPublicKey(pkcs1), 'RSA2')).toBe(true);
  });

  it('refuses a non-RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => toRsaPublicKey(ec)).toThrow(/not an RSA key/);
  });
});

describe('simulator keys', () => {
  it('writes PKCS8 private (0600) and SPKI public PEM once per dataDir, then reuses them', () => {
    const dir = tempDir();
    const first = loadOrCreateAlipayKeys(dir);
    const privateFile = path.join(dir, 'keys', 'alipay_private_key.pem');
    const text = fs.readFileSync(privateFile, 'utf8');
    expect(text).toContain('-----BEGIN PRIVATE KEY-----');
    expect(fs.statSync(privateFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, 'keys', 'alipay_public_key.pem'), 'utf8')).toBe(first.publicKeyPem);
    expect(createPrivateKey(text).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(loadOrCreateAlipayKeys(dir).publicKeyPem).toBe(first.publicKeyPem);
  });
});

describe('wire helpers', () => {
  it('escapes every slash as \\/ and keeps unicode raw', () => {
    expect(compactJson({ qr_code: 'https://qr.alipay.com/bax0', s: '中' })).toBe('{"qr_code":"https:\\/\\/qr.alipay.com\\/bax0","s":"中"}');
    expect(JSON.parse(compactJson({ a: 'x\\/y' })).a).toBe('x\\/y');
  });

  it('parses amounts strictly to fen in [0.01, 100000000]', () => {
    expect(parseTradeAmount('88.88')).toBe(8888);
    expect(parseTradeAmount('88.8')).toBe(8880);
    expect(parseTradeAmount('100000000')).toBe(10_000_000_000);
    for (const bad of ['0', '0.00', '100000000.01', '1.234', '-1', '1e3', ' 1.00', '01.00', '１.00', '']) {
      expect(parseTradeAmount(bad), bad).toBeUndefined();
    }
    expect(yuan(5)).toBe('0.05');
    expect(yuan(-12345)).toBe('-123.45');
  });

  it('reads and writes Beijing timestamps and refuses impossible dates', () => {
    const ms = Date.UTC(2026, 10, 27, 14, 35, 22);
    expect(beijingTime(ms)).toBe('2026-11-27 22:35:22');
    expect(parseBeijingTime('2026-11-27 22:35:22')).toBe(ms);
    for (const bad of ['2026-11-27T22:35:22', '2026-02-30 10:00:00', '2026-11-27 24:00:00', '2026/11/27 22:35:22', '1764254122']) {
      expect(parseBeijingTime(bad), bad).toBeUndefined();
    }
  });
});
