/**
 * The client against a tiny local fake gateway: request shape and signing, validation at the
 * edge, and the answers the simulator cannot easily produce (odd bodies, mismatched ids).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PayRequest } from '../channel.ts';
import { createAlipayChannel, type AlipayChannel } from './index.ts';
import { channelConfig, nodeName, sharedKeys, signedBody, startFakeGateway, type FakeGateway, type FakeReply, type FakeRequest } from './test-support.ts';

let reply: (req: FakeRequest) => FakeReply = () => ({ node: { code: '10000' } });
let gateway: FakeGateway;
let alipay: AlipayChannel;

beforeAll(async () => {
  gateway = await startFakeGateway((req) => reply(req));
  // Generous timeouts: other suites share the two cores. The timeout test has its own channel.
  alipay = createAlipayChannel(channelConfig(gateway.url, { timeouts: { payMs: 5_000, otherMs: 5_000 } }));
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.requests.length = 0;
});

const payRequest = (over: Partial<PayRequest> = {}): PayRequest => ({
  outTradeNo: 'T20261127_0001',
  authCode: new Secret('287634438256643946'),
  amountFen: 8888,
  subject: '咖啡 Coffee',
  storeId: 'STORE_1',
  terminalId: 'POS_1',
  merchant: {},
  ...over,
});

const paidNode = (outTradeNo = 'T20261127_0001') => ({
  code: '10000', msg: 'Success', trade_no: '2026112722001400000000000001', out_trade_no: outTradeNo,
  buyer_logon_id: '159****5620', buyer_user_id: '2088102177846875', total_amount: '88.88', gmt_payment: '2026-11-27 22:35:23',
});

describe('the request on the wire', () => {
  it('signs every parameter, puts biz_content in the body and the common ones in the query, as the SDKs do', async () => {
    reply = () => ({ node: paidNode() });
    await alipay.pay(payRequest({ storeId: 'S1', terminalId: 'POS-7', timeoutMinutes: 2, notifyUrl: 'http://127.0.0.1/n' }));
    const [req] = gateway.requests;
    expect(req?.signatureValid).toBe(true);
    expect(req?.params).toMatchObject({
      app_id: '2021000000000001', method: 'alipay.trade.pay', charset: 'utf-8', format: 'JSON', sign_type: 'RSA2',
      version: '1.0', timestamp: '2026-11-27 22:35:22', notify_url: 'http://127.0.0.1/n',
    });
    expect(req?.biz).toEqual({
      out_trade_no: 'T20261127_0001', total_amount: '88.88', subject: '咖啡 Coffee', product_code: 'FACE_TO_FACE_PAYMENT',
      store_id: 'S1', terminal_id: 'POS-7', timeout_express: '2m', scene: 'bar_code', auth_code: '287634438256643946',
    });
  });

  it('sends amounts as two-decimal yuan strings', async () => {
    reply = () => ({ node: { ...paidNode(), total_amount: '0.10' } });
    await alipay.pay(payRequest({ amountFen: 10 }));
    expect(gateway.requests[0]?.biz.total_amount).toBe('0.10');
    await alipay.refund({ outTradeNo: 'T1', outRequestNo: 'R1', amountFen: 100_000, merchant: {} });
    expect(gateway.requests[1]?.biz.refund_amount).toBe('1000.00');
  });

  it('sends app_auth_token and sys_service_provider_id in service-provider mode', async () => {
    const isv = createAlipayChannel(channelConfig(gateway.url, { sysServiceProviderId: '2088000000000009' }));
    reply = () => ({ node: paidNode() });
    await isv.pay(payRequest({ merchant: { authToken: new Secret('202611BB0123456789') } }));
    expect(gateway.requests[0]?.params.app_auth_token).toBe('202611BB0123456789');
    expect(gateway.requests[0]?.biz.extend_params).toEqual({ sys_service_provider_id: '2088000000000009' });
    expect(gateway.requests[0]?.signatureValid).toBe(true);
  });

  it('signs app_cert_sn and alipay_root_cert_sn in certificate mode', async () => {
    const keys = sharedKeys();
    const cert = { appCertSn: 'appsn', alipayRootCertSn: 'root1_root2', alipayCertSnToKey: { alipaysn: keys.alipay.publicSpkiPem } };
    const certChannel = createAlipayChannel(channelConfig(gateway.url, { cert }));
    reply = () => ({ node: { code: '10000', msg: 'Success', trade_no: 'x', out_trade_no: 'T1', trade_status: 'WAIT_BUYER_PAY', total_amount: '1.00' } });
    await expect(certChannel.query({ outTradeNo: 'T1', merchant: {} })).resolves.toMatchObject({ kind: 'waiting_buyer' });
    expect(gateway.requests[0]?.params).toMatchObject({ app_cert_sn: 'appsn', alipay_root_cert_sn: 'root1_root2' });
    expect(gateway.requests[0]?.signatureValid).toBe(true);
  });
});

describe('validation at the edge sends nothing', () => {
  const refused: Array<[string, Partial<PayRequest>, string]> = [
    ['zero amount', { amountFen: 0 }, 'REQ_AMOUNT_OUT_OF_RANGE'],
    ['amount over 100,000,000 yuan', { amountFen: 10_000_000_001 }, 'REQ_AMOUNT_OUT_OF_RANGE'],
    ['fractional fen', { amountFen: 12.5 }, 'REQ_AMOUNT_INVALID'],
    ['a slash in the subject', { subject: 'a/b' }, 'REQ_SUBJECT_INVALID'],
    ['= in the subject', { subject: 'a=b' }, 'REQ_SUBJECT_INVALID'],
    ['& in the subject', { subject: 'a&b' }, 'REQ_SUBJECT_INVALID'],
    ['an empty subject', { subject: ' ' }, 'REQ_SUBJECT_INVALID'],
    ['a 257-character subject', { subject: '好'.repeat(257) }, 'REQ_SUBJECT_INVALID'],
    ['a 65-character order number', { outTradeNo: 'A'.repeat(65) }, 'REQ_VALIDATION'],
    ['a hyphen in the order number', { outTradeNo: 'T-1' }, 'REQ_VALIDATION'],
    ['a 33-character store id', { storeId: 'S'.repeat(33) }, 'REQ_VALIDATION'],
    ['a 33-character terminal id', { terminalId: 'P'.repeat(33) }, 'REQ_VALIDATION'],
    ['no store id', { storeId: undefined }, 'REQ_VALIDATION'],
    ['no terminal id', { terminalId: undefined }, 'REQ_VALIDATION'],
    ['an empty terminal id', { terminalId: '' }, 'REQ_VALIDATION'],
    ['a code with spaces', { authCode: new Secret('2876 3443') }, 'REQ_VALIDATION'],
    ['a timeout of 0 minutes', { timeoutMinutes: 0 }, 'REQ_VALIDATION'],
    ['a notify URL that is not http', { notifyUrl: 'ftp://x/n' }, 'REQ_VALIDATION'],
  ];
  it.each(refused)('refuses %s', async (_name, over, code) => {
    const error = await alipay.pay(payRequest(over)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect(gateway.requests).toHaveLength(0);
  });

  it('accepts a 256-character subject and 64-character order number', async () => {
    reply = (req) => ({ node: paidNode(String(req.biz.out_trade_no)) });
    await expect(alipay.pay(payRequest({ subject: '好'.repeat(256), outTradeNo: 'A'.repeat(64) }))).resolves.toMatchObject({ kind: 'succeeded' });
  });

  it('checks refunds and bill periods too', async () => {
    await expect(alipay.refund({ outTradeNo: 'T1', outRequestNo: 'R 1', amountFen: 1, merchant: {} })).rejects.toThrow(AppError);
    await expect(alipay.billDownloadUrl({ type: 'trade', period: '2026-13', merchant: {} })).rejects.toThrow(AppError);
    await expect(alipay.billDownloadUrl({ type: 'trade', period: '2026-02-30', merchant: {} })).rejects.toThrow(AppError);
    expect(gateway.requests).toHaveLength(0);
  });
});

describe('answers that must not be believed', () => {
  it('returns the amount the channel reports, even when it differs from the request', async () => {
    reply = () => ({ node: { ...paidNode(), total_amount: '0.01' } });
    await expect(alipay.pay(payRequest())).resolves.toMatchObject({ kind: 'succeeded', amountFen: 1 });
  });

  it('treats a paid answer about another order as unknown', async () => {
    reply = () => ({ node: paidNode('SOMEONE_ELSE') });
    await expect(alipay.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'unparsable' });
  });

  it('treats a paid answer without a readable amount as unknown', async () => {
    reply = () => ({ node: { ...paidNode(), total_amount: '88.8.8' } });
    await expect(alipay.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'unparsable' });
  });

  it('treats a body signed by someone else as unknown', async () => {
    const forged = signedBody(nodeName('alipay.trade.pay'), JSON.stringify(paidNode()), sharedKeys().app.privateKey);
    reply = () => ({ raw: forged });
    await expect(alipay.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  });

  it('treats a page that is not JSON as unknown', async () => {
    reply = () => ({ raw: '<html>gateway busy</html>' });
    await expect(alipay.query({ outTradeNo: 'T1', merchant: {} })).resolves.toMatchObject({ kind: 'unknown', reason: 'unparsable' });
  });

  it('treats an unknown trade_status or cancel action as unknown', async () => {
    reply = () => ({ node: { code: '10000', trade_no: 'x', out_trade_no: 'T1', trade_status: 'TRADE_PENDING' } });
    await expect(alipay.query({ outTradeNo: 'T1', merchant: {} })).resolves.toMatchObject({ kind: 'unknown' });
    reply = () => ({ node: { code: '10000', out_trade_no: 'T1', retry_flag: 'N', action: 'reverse' } });
    await expect(alipay.cancel({ outTradeNo: 'T1', merchant: {} })).resolves.toMatchObject({ kind: 'unknown' });
  });

  it('does not let an unsigned refusal fail a refund', async () => {
    reply = () => ({ node: { code: '40004', sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' }, unsigned: true });
    await expect(alipay.refund({ outTradeNo: 'T1', outRequestNo: 'R1', amountFen: 1, merchant: {} })).resolves.toMatchObject({ kind: 'unknown', reason: 'bad_signature' });
  });

  it('accepts an unsigned legacy error_response as a refusal where nothing can have moved', async () => {
    reply = () => ({ node: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id' }, unsigned: true, nodeName: 'error_response' });
    await expect(alipay.query({ outTradeNo: 'T1', merchant: {} })).resolves.toMatchObject({
      kind: 'declined', decline: { code: 'CHN_APP_CONFIG', rawCode: '40002', rawSubCode: 'isv.invalid-app-id' },
    });
  });

  it('reads refund_status, and an absent one as not refunded', async () => {
    reply = () => ({ node: { code: '10000', out_trade_no: 'T1', out_request_no: 'R1', refund_amount: '1.00', refund_status: 'REFUND_SUCCESS' } });
    const req = { outTradeNo: 'T1', outRequestNo: 'R1', amountFen: 100, merchant: {} };
    await expect(alipay.refundQuery(req)).resolves.toEqual({ kind: 'refunded', amountFen: 100 });
    reply = () => ({ node: { code: '10000', out_trade_no: 'T1' } });
    await expect(alipay.refundQuery(req)).resolves.toEqual({ kind: 'not_found' });
    reply = () => ({ node: { code: '10000', out_trade_no: 'T1', out_request_no: 'R1', refund_status: 'REFUND_PROCESSING' } });
    await expect(alipay.refundQuery(req)).resolves.toMatchObject({ kind: 'unknown' });
  });
});

describe('transport failures', () => {
  it('is unknown (timeout) when the answer is slower than the pay timeout', async () => {
    reply = () => ({ delayMs: 1_000, then: { node: paidNode() } });
    const impatient = createAlipayChannel(channelConfig(gateway.url, { timeouts: { payMs: 300 } }));
    await expect(impatient.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'timeout' });
    expect(gateway.requests).toHaveLength(1);
  });

  it('is unknown, not "not sent", when the connection drops after the request left', async () => {
    reply = () => ({ destroy: true });
    const result = await alipay.pay(payRequest());
    expect(result).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(result).not.toHaveProperty('notSent');
  });

  it('is unknown (http_status) on a 502', async () => {
    reply = () => ({ raw: 'bad gateway', status: 502 });
    await expect(alipay.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'http_status' });
  });

  it('marks a refused connection as never sent', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const closed = createAlipayChannel(channelConfig(`http://127.0.0.1:${port}/gateway.do`));
    await expect(closed.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'network', notSent: true });
  });

  it('marks a port fetch refuses to dial as never sent', async () => {
    const blocked = createAlipayChannel(channelConfig('http://127.0.0.1:9/gateway.do'));
    await expect(blocked.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'network', notSent: true });
  });

  it('does not follow a redirect with the payment code', async () => {
    reply = () => ({ raw: '', status: 302 });
    await expect(alipay.pay(payRequest())).resolves.toMatchObject({ kind: 'unknown', reason: 'http_status' });
  });
});

describe('configuration is checked at boot', () => {
  it('refuses keys that are not RSA keys and a gateway that is not http(s), without echoing the key', () => {
    expect(() => createAlipayChannel(channelConfig(gateway.url, { privateKey: new Secret('c2VjcmV0LWtleQ==') }))).toThrow(/privateKey/);
    expect(() => createAlipayChannel(channelConfig(gateway.url, { alipayPublicKey: sharedKeys().alipay.privatePkcs8Base64 }))).toThrow(/alipayPublicKey/);
    expect(() => createAlipayChannel(channelConfig('ftp://127.0.0.1/gateway.do'))).toThrow(/http/);
    expect(() => createAlipayChannel(channelConfig(gateway.url, { timeouts: { payMs: 0 } }))).toThrow(/payMs/);
    expect(() => createAlipayChannel(channelConfig(gateway.url, { notifyUrl: 'mailto:x' }))).toThrow(/notifyUrl/);
    try {
      createAlipayChannel(channelConfig(gateway.url, { privateKey: new Secret('c2VjcmV0LWtleQ==') }));
    } catch (err) {
      expect(String(err)).not.toContain('c2VjcmV0LWtleQ==');
    }
  });

  it('accepts a PKCS#1 PEM private key', () => {
    expect(() => createAlipayChannel(channelConfig(gateway.url, { privateKey: new Secret(sharedKeys().app.privatePkcs1Pem) }))).not.toThrow();
  });
});
