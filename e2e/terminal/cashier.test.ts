/**
 * The cashier app in a real browser: Debian's Chromium with a fake camera playing a Y4M of a QR
 * code, against `scanpay start` (platform + Alipay simulator) in a child process. One device
 * profile for the whole file, as on a real POS: activated once, then used with another thing in
 * front of its camera for each scenario. Screenshots of each step go to artifacts/terminal/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  cleanArtifacts, decodeQrCodes, ensureTerminalBuilt, HAS_CHROMIUM, launchWithCamera, shot, startSystem, type Browser, type RunningSystem,
} from './browser.ts';
import { writeY4m } from './y4m.ts';

interface SimTrade {
  outTradeNo: string;
  status: string;
  totalAmount: string;
  kind?: string;
}
interface SimCall {
  method: string;
  outTradeNo?: string;
}

const SKIPPED = HAS_CHROMIUM ? '' : ' — skipped: /usr/bin/chromium is absent (apt-get install chromium)';

describe.skipIf(!HAS_CHROMIUM)(`the cashier app in Chromium${SKIPPED}`, () => {
  let dir: string;
  let sys: RunningSystem;
  let browser: Browser | undefined;
  let profileDir: string;

  beforeAll(async () => {
    cleanArtifacts('');
    ensureTerminalBuilt();
    dir = mkdtempSync(join(tmpdir(), 'scanpay-e2e-terminal-'));
    profileDir = join(dir, 'chromium-profile');
    sys = await startSystem(join(dir, 'data'));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const newCode = async () => (await sys.sim<{ code: string }>('POST', '/__sim/payment-codes', {})).code;
  const trades = async () => (await sys.sim<{ trades: SimTrade[] }>('GET', '/__sim/trades')).trades;
  /** One order in the simulator's book, unscanned QR orders included. */
  const simTrade = async (outTradeNo: string) =>
    (await sys.sim<{ trades: SimTrade[] }>('GET', `/__sim/trades?outTradeNo=${outTradeNo}&all=1`)).trades[0];
  const payCalls = async () => (await sys.sim<{ calls: SimCall[] }>('GET', '/__sim/calls?method=alipay.trade.pay')).calls;

  /** A fresh browser whose camera plays `video`; the page is the cashier app. */
  async function open(video: string): Promise<Page> {
    await browser?.close();
    browser = await launchWithCamera(video, profileDir);
    const page = browser.page;
    onTestFailed(async ({ task }) => {
      await shot(page, `FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
      // What the channel was asked, and what the platform logged: enough to tell a flake from a bug.
      const calls = await sys.sim<{ calls: unknown[] }>('GET', '/__sim/calls').catch(() => ({ calls: [] }));
      console.log(`channel calls (last 12):\n${calls.calls.slice(-12).map((c) => JSON.stringify(c)).join('\n')}`);
      console.log(`platform output (last 6000 characters):\n${sys.proc.output().slice(-6000)}`);
    });
    await page.goto(`${sys.url}/terminal/`);
    return page;
  }

  async function enterAmountByKeyboard(page: Page, yuan: string) {
    await page.getByTestId('charge').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type(yuan, { delay: 20 });
    await expect.poll(() => page.getByTestId('amount').innerText()).toContain(yuan);
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-screen').waitFor();
    // The camera settled (or refused): the page is not busy opening it while a gun fires.
    await page.locator('[data-testid="viewfinder"]:not([data-camera="starting"])').waitFor({ timeout: 30_000 });
  }

  it('activates, takes 12.34 on the keypad and pays the payment code the camera sees', async () => {
    const code = await newCode();
    const page = await open(writeY4m(join(dir, 'paycode.y4m'), { text: code }));

    await page.getByTestId('activation-code').fill(sys.activationCode);
    await page.getByTestId('serial').fill('E2E-POS-0001');
    await shot(page, '1-01-activate');
    await page.getByTestId('activate').click();
    await page.getByTestId('charge').waitFor();
    await expect.poll(() => page.getByTestId('merchant-name').innerText()).toContain('扫码付演示商户');
    await expect(page.getByTestId('charge').isDisabled()).resolves.toBe(true);

    // The device key lives in IndexedDB as a CryptoKey the page can sign with but never read.
    const key = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('scanpay-terminal');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const record = await new Promise<{ privateKey: CryptoKey }>((res, rej) => {
        const r = db.transaction('kv').objectStore('kv').get('device');
        r.onsuccess = () => res(r.result as { privateKey: CryptoKey });
        r.onerror = () => rej(r.error);
      });
      const exported = await crypto.subtle.exportKey('jwk', record.privateKey).then(() => 'exported', (e: Error) => e.name);
      return { type: record.privateKey.type, extractable: record.privateKey.extractable, algorithm: record.privateKey.algorithm, exported };
    });
    expect(key).toEqual({ type: 'private', extractable: false, algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, exported: 'InvalidAccessError' });

    for (const k of ['1', '2', '.', '3', '4']) await page.getByTestId(`key-${k}`).click();
    await shot(page, '1-02-amount');
    const charged = Date.now();
    await page.getByTestId('charge').click();

    const success = page.getByTestId('pay-success');
    await success.waitFor({ timeout: 30_000 });
    // A figure, not an assertion: camera opening, decoding and the payment, as the cashier waits.
    console.log(`[terminal e2e] 收款 pressed → 支付成功 shown: ${Date.now() - charged} ms`);
    await shot(page, '1-03-success');
    const outTradeNo = (await page.getByTestId('out-trade-no').innerText()).trim();
    expect(await page.getByTestId('amount').innerText()).toContain('12.34');

    const trade = (await trades()).find((t) => t.outTradeNo === outTradeNo);
    expect(trade).toMatchObject({ status: 'TRADE_SUCCESS', totalAmount: '12.34' });

    await page.getByTestId('show-receipt').click();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt-out-trade-no').innerText()).toBe(outTradeNo);
    expect(await page.getByTestId('receipt-paid').innerText()).toBe('¥12.34');
    await shot(page, '1-04-receipt');
    expect(browser!.offHost).toEqual([]);
  }, 120_000);

  it('refuses a collection code (收款码) on the scan screen and sends nothing', async () => {
    const page = await open(writeY4m(join(dir, 'collection.y4m'), { text: 'https://qr.alipay.com/fkx12345abcdefghijk' }));
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/v1/payments')) posts.push(r.url());
    });
    const callsBefore = (await payCalls()).length;
    const tradesBefore = (await trades()).length;

    await enterAmountByKeyboard(page, '5.00');
    const rejection = page.getByTestId('scan-rejection');
    await rejection.waitFor({ timeout: 30_000 });
    expect(await rejection.getAttribute('data-reason')).toBe('collection_code');
    expect(await rejection.innerText()).toContain('这是收款码，请让顾客打开付款码');
    await page.waitForTimeout(1500); // the camera keeps seeing it: still nothing sent, still scanning
    await shot(page, '2-01-collection-code');
    // 扫不出来？ The scan session itself tells why: it keeps reading a 收款码.
    await page.getByTestId('cannot-scan').click();
    await page.getByTestId('run-diagnosis').click();
    const cause = page.getByTestId('diagnosis-cause').first();
    await cause.waitFor({ timeout: 30_000 });
    expect(await cause.getAttribute('data-cause')).toBe('operation.collection_code_scanned');
    await shot(page, '2-01b-collection-code-diagnosed');
    expect(await page.getByTestId('scan-screen').getAttribute('data-locked')).toBe('false');
    expect(posts).toEqual([]);
    expect((await payCalls()).length).toBe(callsBefore);
    expect((await trades()).length).toBe(tradesBefore);

    await page.keyboard.press('Escape');
    await page.getByTestId('charge').waitFor();
  }, 120_000);

  it('coaches under the viewfinder when the code is partly out of view', async () => {
    const page = await open(writeY4m(join(dir, 'cut.y4m'), { text: await newCode(), placement: 'cut-right', light: 200, moduleSize: 8 }));
    await enterAmountByKeyboard(page, '1.00');
    await expect.poll(() => page.getByTestId('coaching').innerText(), { timeout: 30_000 }).toContain('请将付款码完整放入取景框');
    await shot(page, '2-02-coaching');
    expect(await page.getByTestId('scan-screen').getAttribute('data-locked')).toBe('false');
    await page.keyboard.press('Escape');
    await page.getByTestId('charge').waitFor();
  }, 120_000);

  it('pays a scanner-gun burst (keyboard wedge) and shows a definite failure with its remedy', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));

    // A gun fired on the amount screen types no amount: the keys are taken back, and 收款 comes first.
    await page.getByTestId('charge').waitFor();
    const stray = await newCode();
    await page.keyboard.type('3');
    await page.waitForTimeout(300); // the cashier typed 3, a moment later the gun fires
    await page.keyboard.type(stray, { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByTestId('amount-hint').waitFor();
    expect(await page.getByTestId('amount').innerText()).toContain('3');
    expect(await page.getByTestId('amount').innerText()).not.toContain('28');
    expect(await page.locator('.app').getAttribute('data-screen')).toBe('amount');
    await shot(page, '3-00-gun-on-amount-screen');

    // A well-formed code the wallet never issued: the channel refuses it; the cashier may rescan.
    await enterAmountByKeyboard(page, '8.88');
    await page.getByTestId('manual-code').fill('281111222233334444');
    await page.getByTestId('manual-submit').click();
    const failure = page.getByTestId('pay-failure');
    await failure.waitFor({ timeout: 30_000 });
    await shot(page, '3-01-failure');
    expect(await page.getByTestId('failure-code').innerText()).toBe('CHN_PAYCODE_INVALID');
    expect(await page.getByTestId('failure-message').innerText()).not.toBe('');
    await page.getByTestId('run-diagnosis').click();
    const topCause = page.getByTestId('diagnosis-cause').first();
    await topCause.waitFor({ timeout: 30_000 });
    expect(await topCause.getAttribute('data-cause')).toBe('buyer.code_expired_or_used');
    await shot(page, '3-02-failure-diagnosed');
    await page.getByTestId('failure-rescan').click();
    await page.getByTestId('scan-screen').waitFor();

    const code = await newCode();
    await page.keyboard.type(code, { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-success').waitFor({ timeout: 30_000 });
    await shot(page, '3-03-wedge-success');
    const outTradeNo = (await page.getByTestId('out-trade-no').innerText()).trim();
    expect((await trades()).find((t) => t.outTradeNo === outTradeNo)).toMatchObject({ status: 'TRADE_SUCCESS', totalAmount: '8.88' });
  }, 120_000);

  it('waits for the customer to confirm a large amount with a countdown, then succeeds', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));
    await enterAmountByKeyboard(page, '2500');
    await page.keyboard.type(await newCode(), { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-waiting').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('countdown').innerText()).toMatch(/\d+/);
    await shot(page, '4-01-waiting-buyer');
    const waiting = (await trades()).find((t) => t.status === 'WAIT_BUYER_PAY' && t.totalAmount === '2500.00');
    expect(waiting).toBeDefined();
    await sys.sim('POST', `/__sim/trades/${waiting!.outTradeNo}/confirm`, {});
    await page.getByTestId('pay-success').waitFor({ timeout: 30_000 });
    await shot(page, '4-02-confirmed');
  }, 120_000);

  it('loses the network mid-payment, survives a reload, and ends with the outcome without a second scan', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));
    const context = browser!.context;
    // The channel answers slowly, so the payment is in flight when the network goes.
    await sys.sim('PUT', '/__sim/faults', { rules: [{ kind: 'delay', method: 'alipay.trade.pay', ms: 2500, count: 1 }] });
    let platformAnswer: { outTradeNo: string; status: string } | undefined;
    let first = true;
    await page.route('**/v1/payments', async (route) => {
      if (route.request().method() !== 'POST' || !first) return route.fallback();
      first = false;
      await context.setOffline(true);
      const response = await route.fetch(); // the platform gets the request and charges …
      platformAnswer = (await response.json()) as { outTradeNo: string; status: string };
      await route.abort('internetdisconnected'); // … but the terminal never hears back
    });

    await enterAmountByKeyboard(page, '23.45');
    await page.keyboard.type(await newCode(), { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-confirming').waitFor({ timeout: 30_000 });
    await page.getByTestId('offline-banner').waitFor();
    await shot(page, '5-01-offline-confirming');
    await expect.poll(() => platformAnswer?.status, { timeout: 30_000 }).toBe('succeeded');

    // Back online, but the API still unreachable; the cashier reloads the page.
    await page.route('**/v1/payments**', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await page.reload();
    await page.getByTestId('pay-confirming').waitFor({ timeout: 30_000 });
    expect(await page.locator('.app').getAttribute('data-screen')).toBe('pay');
    await shot(page, '5-02-reloaded-still-confirming');

    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.getByTestId('pay-success').waitFor({ timeout: 30_000 });
    await shot(page, '5-03-resolved');
    const outTradeNo = (await page.getByTestId('out-trade-no').innerText()).trim();
    expect(outTradeNo).toBe(platformAnswer!.outTradeNo);
    expect((await payCalls()).filter((c) => c.outTradeNo === outTradeNo)).toHaveLength(1);
    expect((await trades()).filter((t) => t.totalAmount === '23.45')).toHaveLength(1);
    await sys.sim('DELETE', '/__sim/faults');
  }, 150_000);

  it('refunds part of a payment from its detail, behind the supervisor PIN', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-screen').waitFor();
    await shot(page, '6-01-history');
    await page.getByTestId('payment-row').filter({ hasText: '12.34' }).first().click();
    await page.getByTestId('open-refund').click();
    await page.getByTestId('refund-form').waitFor();
    await page.getByTestId('refund-amount').fill('2.00');
    await page.getByTestId('refund-reason').fill('退货 return');

    await page.getByTestId('refund-pin').fill('000000');
    await page.getByTestId('refund-next').click();
    await page.getByTestId('refund-confirm').click();
    await expect.poll(() => page.getByTestId('refund-result').getAttribute('data-status'), { timeout: 30_000 }).toBe('refused');
    expect(await page.getByTestId('refund-result').innerText()).toContain('PAY_SUPERVISOR_PIN_INVALID');
    await shot(page, '6-02-refund-wrong-pin');

    await page.getByTestId('refund-again').click();
    await page.getByTestId('refund-pin').fill('123456');
    await page.getByTestId('refund-next').click();
    await shot(page, '6-03-refund-review');
    await page.getByTestId('refund-confirm').click();
    await expect.poll(() => page.getByTestId('refund-result').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    await shot(page, '6-04-refund-succeeded');
    const refunded = (await sys.sim<{ trades: (SimTrade & { refundedAmount: string })[] }>('GET', '/__sim/trades')).trades.find((t) => t.totalAmount === '12.34');
    expect(refunded?.refundedAmount).toBe('2.00');

    await page.getByTestId('refund-done').click();
    await page.getByTestId('payment-row').filter({ hasText: '12.34' }).first().click();
    const slip = page.getByTestId('receipt-refund');
    await slip.waitFor();
    expect(await slip.innerText()).toContain('¥2.00');
    await shot(page, '6-05-receipt-with-refund');
  }, 120_000);

  it('explains a blocked camera and how to allow it; the gun and typing still work', async () => {
    await browser?.close();
    browser = await launchWithCamera(writeY4m(join(dir, 'blank.y4m')), profileDir, { allowCamera: false });
    const page = browser.page;
    await page.goto(`${sys.url}/terminal/`);
    await enterAmountByKeyboard(page, '1.00');
    const problem = page.getByTestId('camera-problem');
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.getAttribute('data-kind')).toBe('permission_denied');
    expect(await problem.innerText()).toContain('允许');
    await shot(page, '7-01-camera-blocked');
    await page.getByTestId('cannot-scan').click();
    await page.getByTestId('run-diagnosis').click();
    const cause = page.getByTestId('diagnosis-cause').first();
    await cause.waitFor({ timeout: 30_000 });
    expect(await cause.getAttribute('data-cause')).toBe('configuration.camera_permission_blocked');
    await shot(page, '7-02-camera-blocked-diagnosed');
    expect(await page.getByTestId('manual-code').isEnabled()).toBe(true);
    await page.keyboard.press('Escape');
  }, 120_000);

  it('passes the self-check, and falls back to the default profile when the camera cannot honour the configured one', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('profile-resolution').selectOption('1920x1080');
    await page.getByText(/必须使用此分辨率|Require exactly/).click();
    await page.getByTestId('settings-save').click();
    await page.getByTestId('run-diagnosis').click();
    await page.getByTestId('diagnosis-clear').waitFor({ timeout: 30_000 }); // 一键自检 finds nothing wrong here
    await shot(page, '8-01-settings-and-self-check');
    await page.getByTestId('settings-back').click();
    await enterAmountByKeyboard(page, '1.00');
    const warning = page.getByTestId('camera-warning');
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.innerText()).toContain('默认配置');
    expect(await page.getByTestId('viewfinder').getAttribute('data-camera')).toBe('on');
    await shot(page, '8-02-profile-fallback');
  }, 120_000);

  it('shows two panes on a laptop and switches to English', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('charge').waitFor();
    await page.getByTestId('payment-list').waitFor();
    await shot(page, '9-01-laptop');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('charge').innerText()).toBe('Charge');
    await shot(page, '9-02-english');
    await page.getByTestId('lang-toggle').click();
  }, 120_000);

  it('顾客扫码: shows a QR a phone can read, the buyer scans and pays it, and the screen says 支付成功', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));
    await page.getByTestId('charge').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type('18.80', { delay: 20 });
    await expect.poll(() => page.getByTestId('amount').innerText()).toContain('18.80');
    await page.getByTestId('customer-scans').click();
    const screen = page.getByTestId('qr-screen');
    await page.getByTestId('qr-image').waitFor({ timeout: 30_000 });
    await shot(page, '10-01-qr-shown');

    // What a phone sees: the QR decoded from the screen's pixels is the one the platform handed out.
    const decoded = await decodeQrCodes(await page.screenshot());
    expect(decoded).toHaveLength(1);
    expect(decoded[0]).toMatch(/^https:\/\/qr\.alipay\.com\/bax/);
    expect(decoded[0]).toBe(await page.getByTestId('qr-image').getAttribute('data-qr-code'));
    expect(await screen.innerText()).toContain('18.80');
    expect(await page.getByTestId('qr-merchant').innerText()).toContain('扫码付演示商户');
    expect(await page.getByTestId('qr-countdown').innerText()).toMatch(/[12]:\d\d/);
    const outTradeNo = (await screen.getAttribute('data-out-trade-no'))!;
    expect(await simTrade(outTradeNo)).toMatchObject({ kind: 'precreated', totalAmount: '18.80' });

    const scanned = Date.now();
    await sys.sim('POST', `/__sim/precreate/${outTradeNo}/scan`, { pay: true });
    await page.getByTestId('pay-success').waitFor({ timeout: 30_000 });
    console.log(`[terminal e2e] buyer scanned and paid → 支付成功 shown: ${Date.now() - scanned} ms`);
    await shot(page, '10-02-qr-paid');
    expect((await page.getByTestId('out-trade-no').innerText()).trim()).toBe(outTradeNo);
    expect(await simTrade(outTradeNo)).toMatchObject({ status: 'TRADE_SUCCESS', totalAmount: '18.80' });
  }, 120_000);

  it('取消收款 on the waiting screen: confirm, 正在撤销, then 已撤销 and nothing charged', async () => {
    const page = await open(writeY4m(join(dir, 'blank.y4m')));
    await enterAmountByKeyboard(page, '3000');
    await page.keyboard.type(await newCode(), { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-waiting').waitFor({ timeout: 30_000 });
    const waiting = (await trades()).find((t) => t.status === 'WAIT_BUYER_PAY' && t.totalAmount === '3000.00');
    expect(waiting).toBeDefined();

    await page.getByTestId('stop-payment').click();
    await page.getByTestId('stop-dialog').waitFor();
    await shot(page, '11-01-stop-confirm');
    // The channel answers the cancel slowly, so 正在撤销 stays long enough to be seen.
    await sys.sim('PUT', '/__sim/faults', { rules: [{ kind: 'delay', method: 'alipay.trade.cancel', ms: 1500, count: 1 }] });
    try {
      await page.getByTestId('stop-confirm').click();
      const stopping = page.getByTestId('pay-stopping');
      await stopping.waitFor({ timeout: 10_000 });
      expect(await stopping.innerText()).toContain('正在撤销，请稍候');
      await shot(page, '11-02-stopping');
      const result = page.getByTestId('pay-failure');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute('data-status')).toBe('cancelled');
      expect(await result.innerText()).toContain('已撤销，顾客不会被扣款');
      await shot(page, '11-03-cancelled');
    } finally {
      await sys.sim('DELETE', '/__sim/faults');
    }
    const calls = (await sys.sim<{ calls: SimCall[] }>('GET', `/__sim/calls?outTradeNo=${waiting!.outTradeNo}`)).calls.map((c) => c.method);
    expect(calls.slice(-2)).toEqual(['alipay.trade.query', 'alipay.trade.cancel']);
    expect((await trades()).find((t) => t.outTradeNo === waiting!.outTradeNo)?.status).toBe('TRADE_CLOSED');
    // 顾客扫码 is offered next: the customer may still pay another way.
    expect(await page.getByTestId('failure-customer_scans').isVisible()).toBe(true);
  }, 120_000);
});
