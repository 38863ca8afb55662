import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSignString, rsaSign } from './crypto.ts';
import { adminOk, appKeys, call, otherKeys, parseAnswer, startFixture, type Fixture } from './testing.ts';
import { beijingTime } from './wire.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.sim.close());

const QUERY = { out_trade_no: 'NONE' };

describe('gateway common parameters', () => {
  it('answers an unknown or missing method with an unsigned error_response', async () => {
    const unknown = await fx.call('alipay.trade.paid', QUERY);
    expect(unknown.node).toBe('error_response');
    expect(unknown.body).toMatchObject({ code: '40002', sub_code: 'isv.invalid-method' });
    expect(unknown.sign).toBeUndefined();
    const missing = await fx.call('alipay.trade.query', QUERY, { override: { method: undefined } });
    expect(missing.body).toMatchObject({ code: '40001', sub_code: 'isv.missing-method' });
  });

  it('checks app_id: missing is 40001, unknown is 40002, both signed under the method node', async () => {
    const missing = await fx.call('alipay.trade.query', QUERY, { override: { app_id: undefined } });
    expect(missing).toMatchObject({ node: 'alipay_trade_query_response', verified: true });
    expect(missing.body.sub_code).toBe('isv.missing-app-id');
    const unknown = await call(fx.sim, 'alipay.trade.query', QUERY, { appId: '2021999999999999' });
    expect(unknown.body).toMatchObject({ code: '40002', sub_code: 'isv.invalid-app-id' });
    expect(unknown.verified).toBe(true);
  });

  it('puts the string the gateway built into the invalid-signature sub_msg', async () => {
    const res = await fx.call('alipay.trade.query', QUERY, { tamperAfterSigning: { biz_content: '{"out_trade_no":"OTHER"}' } });
    expect(res.body).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
    expect(res.body.sub_msg).toContain('biz_content={"out_trade_no":"OTHER"}&charset=utf-8&format=JSON&method=alipay.trade.query&sign_type=RSA2');
    expect(res.verified).toBe(true);
  });

  it('refuses a request signed with another key', async () => {
    const res = await fx.call('alipay.trade.query', QUERY, { keys: otherKeys() });
    expect(res.body.sub_code).toBe('isv.invalid-signature');
  });

  it.each([
    ['missing timestamp', { timestamp: undefined }, '40001', 'isv.missing-timestamp'],
    ['ISO timestamp', { timestamp: new Date().toISOString() }, '40002', 'isv.invalid-timestamp'],
    ['UTC instead of Beijing', { timestamp: new Date().toISOString().slice(0, 19).replace('T', ' ') }, '40002', 'isv.invalid-timestamp'],
    ['16 minutes early', { timestamp: beijingTime(Date.now() - 16 * 60_000) }, '40002', 'isv.invalid-timestamp'],
    ['GBK charset', { charset: 'GBK' }, '40002', 'isv.invalid-charset'],
    ['XML format', { format: 'XML' }, '40002', 'isv.invalid-format'],
    ['missing version', { version: undefined }, '40001', 'isv.missing-version'],
    ['version 2.0', { version: '2.0' }, '40002', 'isv.invalid-parameter'],
    ['missing sign_type', { sign_type: undefined }, '40001', 'isv.missing-signature-type'],
    ['sign_type MD5', { sign_type: 'MD5' }, '40002', 'isv.invalid-signature-type'],
    ['missing biz_content', { biz_content: undefined }, '40004', 'ACQ.INVALID_PARAMETER'],
    ['biz_content not JSON', { biz_content: '{out_trade_no:1' }, '40004', 'ACQ.INVALID_PARAMETER'],
  ])('refuses %s', async (_name, override, code, subCode) => {
    const res = await fx.call('alipay.trade.query', QUERY, { override });
    expect(res.body).toMatchObject({ code, sub_code: subCode });
  });

  it('accepts a timestamp 14 minutes off and a lower-case UTF8 charset', async () => {
    const res = await fx.call('alipay.trade.query', QUERY, { override: { timestamp: beijingTime(Date.now() + 14 * 60_000), charset: 'UTF-8' } });
    expect(res.body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('refuses a missing sign, and RSA on an app registered for RSA2', async () => {
    const params: Record<string, string> = {
      app_id: fx.appId, method: 'alipay.trade.query', charset: 'utf-8', sign_type: 'RSA2', timestamp: beijingTime(Date.now()),
      version: '1.0', biz_content: '{}',
    };
    const res = await fetch(fx.sim.gatewayUrl, { method: 'POST', body: new URLSearchParams(params) });
    expect(parseAnswer(fx.sim, res.status, await res.text(), 'alipay.trade.query').body.sub_code).toBe('isv.missing-signature');
    const rsa = await fx.call('alipay.trade.query', QUERY, { signType: 'RSA' });
    expect(rsa.body.sub_code).toBe('isv.missing-signature-config');
  });

  it('verifies RSA (SHA1) for an app registered that way and answers with RSA', async () => {
    await adminOk(fx.sim, 'POST', '/__sim/apps', { appId: '2021000000000077', publicKey: appKeys().publicKeyPem, signType: 'RSA' });
    const res = await call(fx.sim, 'alipay.trade.query', QUERY, { appId: '2021000000000077', signType: 'RSA' });
    expect(res.body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    expect(res.verified).toBe(true);
  });

  it('merges the query string (common params) with the form body (biz_content), and serves GET', async () => {
    const params: Record<string, string> = {
      app_id: fx.appId, method: 'alipay.trade.query', charset: 'utf-8', sign_type: 'RSA2', timestamp: beijingTime(Date.now()),
      version: '1.0', biz_content: JSON.stringify(QUERY),
    };
    params.sign = rsaSign(requestSignString(params), appKeys().privateKeyPem, 'RSA2');
    const { biz_content, ...common } = params;
    const split = await fetch(`${fx.sim.gatewayUrl}?${new URLSearchParams(common)}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ biz_content: biz_content! }),
    });
    expect(parseAnswer(fx.sim, split.status, await split.text(), 'alipay.trade.query').body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    const get = await fetch(`${fx.sim.gatewayUrl}?${new URLSearchParams(params)}`);
    expect(parseAnswer(fx.sim, get.status, await get.text(), 'alipay.trade.query').body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('writes compact JSON signed over the raw inner object, with \\/ in URLs', async () => {
    const res = await fx.call('alipay.trade.precreate', { out_trade_no: 'QR-RAW', subject: '二维码', total_amount: '1.00' });
    expect(res.verified).toBe(true);
    expect(res.text).toMatch(/^\{"alipay_trade_precreate_response":\{"code":"10000","msg":"Success","out_trade_no":"QR-RAW","qr_code":"https:\\\/\\\/qr\.alipay\.com\\\/bax0[0-9a-z]+"\},"sign":"[A-Za-z0-9+/=]+"\}$/);
  });

  it('echoes alipay_cert_sn when the request carries app_cert_sn (certificate mode)', async () => {
    const res = await fx.call('alipay.trade.query', QUERY, { extra: { app_cert_sn: 'abc', alipay_root_cert_sn: 'def' } });
    expect(res.verified).toBe(true);
    expect(res.text).toMatch(/\},"alipay_cert_sn":"[0-9a-f]{32}","sign":"/);
  });
});
