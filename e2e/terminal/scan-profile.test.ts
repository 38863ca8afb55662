/**
 * The scan profile set by the operator, end to end: `scanpay start` in a child process, the
 * operator API with the token from the data folder, and the cashier app in Chromium with a fake
 * camera. The operator sets a scan region and a frame interval for this terminal; the app shows
 * where its profile came from and scans through that region. Then a profile the camera cannot
 * honour: the app falls back to the defaults and the diagnosis names the profile.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ensureTerminalBuilt, HAS_CHROMIUM, launchWithCamera, shot, startSystem, type Browser, type RunningSystem } from './browser.ts';
import { writeY4m } from './y4m.ts';

const SKIPPED = HAS_CHROMIUM ? '' : ' — skipped: /usr/bin/chromium is absent (apt-get install chromium)';

/** The code sits in the middle of a 640×480 frame (20–80 % across, 10–90 % down); this region holds it. */
const COUNTER_PROFILE = {
  name: 'e2e-counter',
  facingMode: 'environment',
  width: 640,
  height: 480,
  strictResolution: false,
  region: { x: 0.15, y: 0.05, width: 0.7, height: 0.9 },
  torch: false,
  frameIntervalMs: 250,
};

describe.skipIf(!HAS_CHROMIUM)(`scan profiles from the platform in the cashier app${SKIPPED}`, () => {
  let dir: string;
  let sys: RunningSystem;
  let browser: Browser | undefined;
  let token: string;
  let terminalId: string;

  beforeAll(async () => {
    ensureTerminalBuilt();
    dir = mkdtempSync(join(tmpdir(), 'scanpay-e2e-profile-'));
    sys = await startSystem(join(dir, 'data'));
    token = readFileSync(join(dir, 'data', 'operator-token'), 'utf8').trim();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ops = (path: string, method: string, body?: unknown) =>
    fetch(`${sys.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function openSettings(page: Page) {
    await page.getByTestId('charge').waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-screen').waitFor();
  }

  async function toScanScreen(page: Page, yuan: string) {
    await page.getByTestId('charge').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type(yuan, { delay: 20 });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="viewfinder"]:not([data-camera="starting"])').waitFor({ timeout: 30_000 });
  }

  it('applies the region and frame interval the operator set for this terminal, and pays through that region', async () => {
    const code = (await sys.sim<{ code: string }>('POST', '/__sim/payment-codes', {})).code;
    browser = await launchWithCamera(writeY4m(join(dir, 'paycode.y4m'), { text: code }), join(dir, 'chromium-profile'));
    const page = browser.page;
    onTestFailed(async () => shot(page, 'FAILED-profile-1').catch(() => {}));
    await page.goto(`${sys.url}/terminal/`);
    await page.getByTestId('activation-code').fill(sys.activationCode);
    await page.getByTestId('serial').fill('E2E-POS-PROFILE');
    await page.getByTestId('activate').click();
    await openSettings(page);
    terminalId = (await page.getByTestId('terminal-id').innerText()).trim();
    // Nothing set on the platform yet: the built-in default, as fetched after activation.
    await expect.poll(() => page.getByTestId('profile-source').getAttribute('data-source')).toBe('platform');
    expect(await page.getByTestId('profile-source').getAttribute('data-version')).toBe('0');

    // A bad profile is refused and changes nothing.
    const bad = await ops(`/v1/ops/terminals/${terminalId}/scan-profile`, 'PUT', { profile: { ...COUNTER_PROFILE, region: { x: 0.5, y: 0, width: 0.8, height: 1 } } });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'OPS_SCAN_PROFILE_INVALID', problems: [{ field: 'region' }] });

    const put = await ops(`/v1/ops/terminals/${terminalId}/scan-profile`, 'PUT', { profile: COUNTER_PROFILE });
    expect(put.status).toBe(200);
    const version = (await put.json()).effective.version as number;

    // The app fetches its profile at start.
    await page.reload();
    await openSettings(page);
    const source = page.getByTestId('profile-source');
    await expect.poll(() => source.getAttribute('data-version')).toBe(String(version));
    expect(await source.innerText()).toContain('平台');
    expect(await page.getByTestId('profile-name').innerText()).toBe('e2e-counter');
    expect(await page.getByTestId('profile-region').innerText()).toBe('15%, 5% · 70% × 90%');
    expect(await page.getByTestId('profile-frame-interval').innerText()).toBe('250 ms');
    await shot(page, 'profile-1-settings-from-platform');
    await page.getByTestId('settings-back').click();

    // The scanner runs with it: the outline and the decoder's crop are the operator's region.
    await page.getByTestId('charge').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type('3.21', { delay: 20 });
    await page.keyboard.press('Enter');
    // Read in the page, in one go, the moment the camera is on: the first frame may pay at once and
    // take the scan screen away between separate round trips.
    const seen = await page.waitForFunction(() => {
      const viewfinder = document.querySelector<HTMLElement>('[data-testid="viewfinder"]');
      const outline = document.querySelector<HTMLElement>('.scan-region');
      if (!viewfinder || !outline || viewfinder.dataset.camera === 'starting') return null;
      const { camera, region, frameInterval } = viewfinder.dataset;
      return { camera, region, frameInterval, left: outline.style.left, width: outline.style.width };
    }, undefined, { polling: 'raf', timeout: 30_000 });
    const view = (await seen.jsonValue())!;
    expect(view.camera).toBe('on');
    expect(view.region).toBe('0.15,0.05,0.7,0.9');
    expect(view.frameInterval).toBe('250');
    expect({ left: view.left, width: view.width }).toEqual({ left: '15%', width: '70%' });
    await page.getByTestId('pay-success').waitFor({ timeout: 30_000 });
    await shot(page, 'profile-2-paid-through-region');
  }, 180_000);

  it('falls back to the defaults when the camera cannot honour the operator profile, and the diagnosis names the profile', async () => {
    // Nothing in front of the camera this time; the same browser profile keeps the device activated.
    await browser?.close();
    browser = await launchWithCamera(writeY4m(join(dir, 'blank.y4m')), join(dir, 'chromium-profile'));
    const page = browser.page;
    onTestFailed(async () => shot(page, 'FAILED-profile-2').catch(() => {}));
    await page.goto(`${sys.url}/terminal/`);
    // The fake camera only gives 640×480: exactly 1920×1080 is impossible for it.
    const strict = { ...COUNTER_PROFILE, name: 'e2e-strict-1080p', width: 1920, height: 1080, strictResolution: true };
    expect((await ops(`/v1/ops/terminals/${terminalId}/scan-profile`, 'PUT', { profile: strict })).status).toBe(200);
    await openSettings(page);
    await page.getByTestId('profile-restore').click(); // 恢复推荐配置: fetches it without a restart
    await expect.poll(() => page.getByTestId('profile-name').innerText()).toBe('e2e-strict-1080p');
    await page.getByTestId('settings-back').click();

    await toScanScreen(page, '1.00');
    await page.getByTestId('camera-warning').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('viewfinder').getAttribute('data-profile')).toBe('default');
    await page.getByTestId('cannot-scan').click();
    await page.getByTestId('run-diagnosis').click();
    const cause = page.locator('[data-testid="diagnosis-cause"][data-cause="configuration.scan_profile_invalid"]');
    await cause.waitFor({ timeout: 30_000 });
    await shot(page, 'profile-3-refused-diagnosed');
    await page.getByTestId('scan-cancel').click();

    // Settings remembers the refusal until the camera takes a profile.
    await openSettings(page);
    await page.getByTestId('profile-camera-refused').waitFor();
  }, 180_000);
});
