import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, adminOk, APP_ID, appKeys, call, sleep, startFixture, startSink, until, type Fixture, type Sink } from './testing.ts';
import { beijingDate } from './wire.ts';

const ISV = '2021000000000900';
const SHOP = '2021000000000901';
let fx: Fixture;
let sink: Sink;

beforeAll(async () => {
  fx = await startFixture();
  sink = await startSink();
  for (const appId of [ISV, SHOP]) await adminOk(fx.sim, 'POST', '/__sim/apps', { appId, publicKey: appKeys().publicKeyPem });
});
beforeEach(async () => {
  await adminOk(fx.sim, 'POST', '/__sim/reset');
  for (const appId of [APP_ID, SHOP]) {
    await adminOk(fx.sim, 'POST', `/__sim/apps/${appId}/merchant-status`, {
      status: 'normal', faceToFaceSigned: true, contractExpired: false, appOnline: true, perReceiptLimit: null, balance: null,
    });
  }
});
afterAll(async () => {
  await fx.sim.close();
  await sink.close();
});

let n = 0;
const outNo = (tag: string) => `${tag}-${++n}`;
const payBiz = async (out: string, amount = '10.00') => ({ out_trade_no: out, scene: 'bar_code', auth_code: await fx.code(), subject: 'x', total_amount: amount });
const merchant = (body: Record<string, unknown>, appId = APP_ID) => adminOk(fx.sim, 'POST', `/__sim/apps/${appId}/merchant-status`, body);

describe('merchant status and products', () => {
  it.each([
    [{ status: 'frozen' }, '40004', 'ACQ.SELLER_BEEN_BLOCKED'],
    [{ status: 'closed' }, '40004', 'ACQ.MERCHANT_STATUS_NOT_NORMAL'],
    [{ contractExpired: true }, '40004', 'ACQ.ACCESS_FORBIDDEN'],
    [{ faceToFaceSigned: false }, '40006', 'isv.insufficient-isv-permissions'],
    [{ appOnline: false }, '40006', 'isv.insufficient-isv-permissions'],
    [{ perReceiptLimit: '5.00' }, '40004', 'ACQ.BEYOND_PAY_RESTRICTION'],
  ])('merchant %j refuses pay with %s %s', async (state, code, subCode) => {
    await merchant(state);
    const res = await fx.call('alipay.trade.pay', await payBiz(outNo('M')));
    expect(res.body).toMatchObject({ code, sub_code: subCode });
    expect(res.verified).toBe(true);
  });

  it('a frozen merchant can still query and cancel; an unsigned product cannot even query', async () => {
    const out = outNo('FROZEN');
    await fx.call('alipay.trade.pay', await payBiz(out));
    await merchant({ status: 'frozen' });
    expect((await fx.call('alipay.trade.query', { out_trade_no: out })).body.trade_status).toBe('TRADE_SUCCESS');
    expect((await fx.call('alipay.trade.cancel', { out_trade_no: out })).body.action).toBe('refund');
    await merchant({ faceToFaceSigned: false });
    expect((await fx.call('alipay.trade.query', { out_trade_no: out })).body.sub_code).toBe('isv.insufficient-isv-permissions');
  });

  it('tracks a merchant balance and refuses refunds and cancels it cannot fund', async () => {
    await merchant({ balance: '0.00' });
    const out = outNo('BAL');
    await fx.call('alipay.trade.pay', await payBiz(out, '10.00'));
    expect((await adminOk(fx.sim, 'GET', `/__sim/apps/${APP_ID}`)).merchant.balance).toBe('10.00');
    await merchant({ balance: '3.00' });
    expect((await fx.call('alipay.trade.refund', { out_trade_no: out, refund_amount: '4.00' })).body.sub_code).toBe('ACQ.SELLER_BALANCE_NOT_ENOUGH');
    expect((await fx.call('alipay.trade.cancel', { out_trade_no: out })).body.sub_code).toBe('ACQ.SELLER_BALANCE_NOT_ENOUGH');
    expect((await fx.call('alipay.trade.refund', { out_trade_no: out, refund_amount: '3.00' })).body.fund_change).toBe('Y');
    expect((await adminOk(fx.sim, 'GET', `/__sim/apps/${APP_ID}`)).merchant.balance).toBe('0.00');
  });

  it('refuses bad merchant-status input', async () => {
    expect((await admin(fx.sim, 'POST', `/__sim/apps/${APP_ID}/merchant-status`, { status: 'asleep' })).status).toBe(400);
    expect((await admin(fx.sim, 'POST', '/__sim/apps/nope/merchant-status', {})).status).toBe(404);
  });
});

describe('service provider (app_auth_token)', () => {
  const shopSeller = async () => (await adminOk(fx.sim, 'GET', `/__sim/apps/${SHOP}`)).sellerId as string;
  const token = async (body: Record<string, unknown> = {}) =>
    (await adminOk(fx.sim, 'POST', '/__sim/app-auth-tokens', { appId: ISV, merchantSellerId: await shopSeller(), ...body })).appAuthToken as string;
  const asIsv = (method: string, biz: Record<string, unknown>, extra: Record<string, string>) => call(fx.sim, method, biz, { appId: ISV, extra });

  it("collects into the merchant's book, notifies with auth_app_id = the merchant's app", async () => {
    const t = await token();
    const out = outNo('ISV');
    const res = await asIsv('alipay.trade.pay', await payBiz(out), { app_auth_token: t, notify_url: sink.url });
    expect(res.body.code).toBe('10000');
    const view = await adminOk(fx.sim, 'GET', `/__sim/trades/${out}`);
    expect(view).toMatchObject({ appId: ISV, authAppId: SHOP, sellerId: await shopSeller() });
    const [got] = await until(() => sink.received.filter((r) => r.form.out_trade_no === out), (l) => l.length === 1);
    expect(got!.form).toMatchObject({ app_id: ISV, auth_app_id: SHOP, seller_id: await shopSeller() });
    expect((await asIsv('alipay.trade.query', { out_trade_no: out }, { app_auth_token: t })).body.trade_status).toBe('TRADE_SUCCESS');
    expect((await asIsv('alipay.trade.query', { out_trade_no: out }, {})).body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('refuses unknown, expired and unauthorised-method tokens with 20001', async () => {
    const q = { out_trade_no: 'X' };
    expect((await asIsv('alipay.trade.query', q, { app_auth_token: '202611BBnope' })).body).toMatchObject({ code: '20001', sub_code: 'aop.invalid-app-auth-token' });
    const expired = await token({ expiresInSeconds: 0 });
    await sleep(5);
    expect((await asIsv('alipay.trade.query', q, { app_auth_token: expired })).body.sub_code).toBe('aop.app-auth-token-time-out');
    const narrow = await token({ methods: ['alipay.trade.query'] });
    expect((await asIsv('alipay.trade.query', q, { app_auth_token: narrow })).body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    expect((await asIsv('alipay.trade.refund', { out_trade_no: 'X', refund_amount: '1.00' }, { app_auth_token: narrow })).body.sub_code)
      .toBe('aop.invalid-app-auth-token-no-api');
    const otherApps = await call(fx.sim, 'alipay.trade.query', q, { appId: APP_ID, extra: { app_auth_token: narrow } });
    expect(otherApps.body.sub_code).toBe('aop.invalid-app-auth-token');
  });

  it("applies the merchant's status, not the ISV's", async () => {
    const t = await token();
    await merchant({ status: 'frozen' }, SHOP);
    expect((await asIsv('alipay.trade.pay', await payBiz(outNo('ISVF')), { app_auth_token: t })).body.sub_code).toBe('ACQ.SELLER_BEEN_BLOCKED');
    await merchant({ status: 'normal', faceToFaceSigned: false }, SHOP);
    expect((await asIsv('alipay.trade.pay', await payBiz(outNo('ISVP')), { app_auth_token: t })).body)
      .toMatchObject({ code: '20001', sub_code: 'aop.no-product-reg-by-partner' });
  });
});

describe('daily bill', () => {
  const billUrl = async (biz: Record<string, unknown>) => (await fx.call('alipay.data.dataservice.bill.downloadurl.query', biz)).body;

  it("serves a CSV of the day's payments and refunds at a local URL", async () => {
    const a = outNo('BILL');
    const b = outNo('BILL');
    await fx.call('alipay.trade.pay', await payBiz(a, '10.00'));
    await fx.call('alipay.trade.pay', await payBiz(b, '2.50'));
    await fx.call('alipay.trade.refund', { out_trade_no: a, refund_amount: '1.00', out_request_no: 'BR1' });
    await fx.call('alipay.trade.pay', await payBiz(outNo('UNPAID'), '3000.00'));
    const today = beijingDate(Date.now());
    const res = await billUrl({ bill_type: 'trade', bill_date: today });
    expect(res.code).toBe('10000');
    expect(res.bill_download_url.startsWith(`${fx.sim.url}/__sim/bills/`)).toBe(true);
    const csv = await (await fetch(res.bill_download_url)).text();
    const rows = csv.split('\r\n').filter((l) => l && !l.startsWith('#'));
    expect(rows[0]).toMatch(/^支付宝交易号,商户订单号,业务类型/);
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.includes(`${b}\t`))).toContain(',交易,');
    expect(rows.find((r) => r.includes('BR1'))).toContain(',-1.00,');
    expect(csv).toContain('#交易合计：2笔，商家实收：12.50元');
    expect(csv).toContain('#退款合计：1笔，商家实收：-1.00元');

    const account = await (await fetch((await billUrl({ bill_type: 'signcustomer', bill_date: today })).bill_download_url)).text();
    expect(account).toContain(',11.50,'); // running balance after the refund
  });

  it('refuses future dates and unknown bill types', async () => {
    expect((await billUrl({ bill_type: 'trade', bill_date: beijingDate(Date.now() + 3 * 86_400_000) })).sub_code).toBe('isp.bill_not_exist');
    expect((await billUrl({ bill_type: 'fund', bill_date: '2026-01-01' })).sub_code).toBe('ACQ.INVALID_PARAMETER');
    expect((await billUrl({ bill_type: 'trade', bill_date: '2026-13-01' })).sub_code).toBe('ACQ.INVALID_PARAMETER');
  });
});

describe('certificate mode', () => {
  it('answers alipay_cert_sn for an app registered in cert mode', async () => {
    await adminOk(fx.sim, 'POST', '/__sim/apps', { appId: '2021000000000902', publicKey: appKeys().publicKeyPem, certMode: true });
    const res = await call(fx.sim, 'alipay.trade.query', { out_trade_no: 'X' }, { appId: '2021000000000902' });
    expect(res.verified).toBe(true);
    expect(JSON.parse(res.text).alipay_cert_sn).toMatch(/^[0-9a-f]{32}$/);
  });
});
