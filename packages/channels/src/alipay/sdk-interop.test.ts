/**
 * Interop with the official `alipay-sdk` (v4.14.0, the v2 `exec` path): our request signatures are
 * the SDK's, the SDK's requests verify under our rules, and both sides agree on notifications.
 *
 * SDK traps (protocol brief §7.4; each one that bit us is pinned by a test below):
 * - `exec` checks response signatures only with `{ validateSign: true }`; without it a tampered
 *   answer is accepted silently.
 * - Its timestamp is the process's local time (8 h off on a UTC server): pass `timestamp`.
 * - `keyType` defaults to PKCS1; the Alipay key tool emits PKCS8, so set `keyType: 'PKCS8'` (the brief
 *   saw a DECODER error without it; Node 20.20's OpenSSL here happens to accept the mislabelled PEM).
 * - `camelcase` defaults to true (`sub_code` arrives as `subCode`).
 * - It signs empty values (`notify_url=`) and crashes on `undefined` top-level params.
 * - `checkNotifySign` URL-decodes again (use `checkNotifySignV2`), and it also accepts a
 *   notification signed WITH sign_type (V2); ours accepts only the V1 form trade notifications use.
 */
import { Secret } from '@scanpay/contracts';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlipayChannel } from './index.ts';
import { beijingTimestamp, notificationSignContent, rsaSign, rsaVerify, signContent } from './signing.ts';
import { APP_ID, channelConfig, sharedKeys, startFakeGateway, type FakeGateway } from './test-support.ts';

const keys = sharedKeys();
let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway((req) => ({
    node: { code: '10000', msg: 'Success', out_trade_no: String(req.biz.out_trade_no ?? ''), trade_no: '2026112722001400000000000009', trade_status: 'TRADE_SUCCESS', total_amount: '88.88', qr_code: 'https://qr.alipay.com/bax0' },
  }));
});
afterAll(() => gateway.close());

/** The SDK as a merchant would configure it, pointed at our fake gateway. */
const merchantSdk = (over: Record<string, unknown> = {}) =>
  new AlipaySdk({
    appId: APP_ID,
    privateKey: keys.app.privatePkcs8Base64,
    keyType: 'PKCS8',
    alipayPublicKey: keys.alipay.publicSpkiBase64,
    gateway: gateway.url,
    camelcase: false,
    ...over,
  });

describe('our requests under the SDK’s rules', () => {
  it('produce exactly the signature the SDK computes for the same parameters', async () => {
    const channel = createAlipayChannel(channelConfig(gateway.url, { notifyUrl: 'http://127.0.0.1:1/notify' }));
    gateway.requests.length = 0;
    await channel.pay({ outTradeNo: 'SDK_1', authCode: new Secret('287634438256643946'), amountFen: 8888, subject: '咖啡 Coffee', storeId: 'S1', terminalId: 'T1', merchant: {} });
    const ours = gateway.requests[0]!.params;
    const { app_id: _a, method, charset: _c, sign_type: _s, version: _v, sign, biz_content, ...rest } = ours;
    const signed = merchantSdk().sdkExecute(method!, { ...rest, bizContent: JSON.parse(biz_content!) }, { bizContentAutoSnakeCase: false });
    const sdkParams = Object.fromEntries(new URLSearchParams(signed));
    expect(sdkParams.biz_content).toBe(biz_content);
    expect(sdkParams.sign).toBe(sign);
  });

  it('verify with the SDK’s own checker over the SDK-style string', () => {
    const params = { app_id: APP_ID, method: 'alipay.trade.query', charset: 'utf-8', sign_type: 'RSA2', timestamp: '2026-11-27 22:35:22', version: '1.0', biz_content: '{"out_trade_no":"T1"}' };
    const signature = rsaSign(signContent(params), keys.app.privateKey, 'RSA2');
    const asAlipay = new AlipaySdk({ appId: APP_ID, privateKey: keys.alipay.privatePkcs8Base64, keyType: 'PKCS8', alipayPublicKey: keys.app.publicSpkiBase64 });
    expect(asAlipay.rsaCheck(signContent(params), signature, 'RSA2')).toBe(true);
  });
});

describe('the SDK’s requests under our rules', () => {
  it('verify in our gateway-side check (query merged with body)', async () => {
    gateway.requests.length = 0;
    const answer = await merchantSdk().exec('alipay.trade.query', { timestamp: beijingTimestamp(new Date()), bizContent: { out_trade_no: 'SDK_2' } }, { validateSign: true });
    expect(answer).toMatchObject({ code: '10000', trade_status: 'TRADE_SUCCESS' });
    expect(gateway.requests[0]?.signatureValid).toBe(true);
    expect(gateway.requests[0]?.params.app_id).toBe(APP_ID);
  });

  it('produce signatures that our verifier accepts (sdkExecute output)', () => {
    const signed = Object.fromEntries(new URLSearchParams(
      merchantSdk().sdkExecute('alipay.trade.precreate', { timestamp: '2026-11-27 22:35:22', bizContent: { out_trade_no: 'T3', total_amount: '1.00', subject: '中文' } }),
    ));
    expect(rsaVerify(signContent(signed), signed.sign ?? '', keys.app.publicKey, 'RSA2')).toBe(true);
    expect(rsaVerify(signContent({ ...signed, timestamp: '2026-11-27 22:35:23' }), signed.sign ?? '', keys.app.publicKey, 'RSA2')).toBe(false);
  });
});

describe('notifications, both ways', () => {
  const alipaySide = new AlipaySdk({ appId: APP_ID, privateKey: keys.app.privatePkcs8Base64, keyType: 'PKCS8', alipayPublicKey: keys.alipay.publicSpkiBase64 });
  const channel = createAlipayChannel(channelConfig('http://127.0.0.1:1/gateway.do'));
  const fields = {
    notify_time: '2026-11-27 22:35:30', notify_type: 'trade_status_sync', notify_id: 'ac05099524730693a8b330c5ecf72da9786',
    app_id: APP_ID, charset: 'utf-8', version: '1.0', trade_no: '2026112722001400000000000009', out_trade_no: 'SDK_4',
    trade_status: 'TRADE_SUCCESS', total_amount: '88.88', seller_id: '2088000000000001', subject: '咖啡 100%', gmt_payment: '2026-11-27 22:35:23',
  };
  const signedV1 = { ...fields, sign_type: 'RSA2', sign: rsaSign(notificationSignContent(fields), keys.alipay.privateKey, 'RSA2') };

  it('a V1-signed notification verifies in the SDK (checkNotifySignV2) and in ours', () => {
    expect(alipaySide.checkNotifySignV2(signedV1)).toBe(true);
    expect(channel.verifyNotification(signedV1)).toMatchObject({ ok: true, notification: { outTradeNo: 'SDK_4', amountFen: 8888, status: 'paid' } });
  });

  it('a tampered amount fails in both', () => {
    const tampered = { ...signedV1, total_amount: '0.01' };
    expect(alipaySide.checkNotifySignV2(tampered)).toBe(false);
    expect(channel.verifyNotification(tampered)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('SDK trap: checkNotifySign decodes again and throws on a literal %', () => {
    expect(() => alipaySide.checkNotifySign(signedV1)).toThrow(URIError);
  });

  it('difference: the SDK also accepts a signature over sign_type (V2); ours does not', () => {
    const withType = { ...fields, sign_type: 'RSA2' };
    const v2 = { ...withType, sign: rsaSign(signContent(withType), keys.alipay.privateKey, 'RSA2') };
    expect(alipaySide.checkNotifySignV2(v2)).toBe(true);
    expect(channel.verifyNotification(v2)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describe('SDK traps we document', () => {
  it('exec without validateSign accepts an answer signed by anyone', async () => {
    const forged = await startFakeGateway(() => ({ node: { code: '10000', out_trade_no: 'T', trade_status: 'TRADE_SUCCESS' } }), { app: keys.app, alipay: keys.app });
    try {
      const sdk = merchantSdk({ gateway: forged.url });
      const params = { timestamp: beijingTimestamp(new Date()), bizContent: { out_trade_no: 'T' } };
      await expect(sdk.exec('alipay.trade.query', params)).resolves.toMatchObject({ trade_status: 'TRADE_SUCCESS' });
      await expect(sdk.exec('alipay.trade.query', params, { validateSign: true })).rejects.toThrow(/验签失败/);
    } finally {
      await forged.close();
    }
  });

  it('an undefined top-level parameter crashes exec', async () => {
    await expect(merchantSdk().exec('alipay.trade.query', { timestamp: beijingTimestamp(new Date()), notify_url: undefined, bizContent: { out_trade_no: 'T' } })).rejects.toThrow(TypeError);
  });
});
