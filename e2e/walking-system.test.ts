import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES } from './pg.ts';
import { freePort, runScanpay, type Spawned, spawnScanpay, waitForHealth } from './support.ts';

/**
 * The README's promise, on a clean data folder: `scanpay start` serves the platform and the
 * simulator, answers /health within 30 s, and `scanpay pay --amount 12.34` pays through them.
 */

for (const store of STORES) {
  describe(`the walking system on ${store.name}`, () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    let platform: Spawned;
    let simUrl: string;
    let healthMs: number;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'scanpay-e2e-'));
      const [port, simPort] = [await freePort(), await freePort()];
      const databaseUrl = await store.url();
      env = {
        SCANPAY_DATA_DIR: join(dir, '.scanpay'),
        PORT: String(port),
        SIM_PORT: String(simPort),
        LOG_LEVEL: 'warn',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      };
      simUrl = `http://127.0.0.1:${simPort}`;
      platform = spawnScanpay(['start'], env);
      healthMs = await waitForHealth(`http://127.0.0.1:${port}`, 30_000, platform, env.SCANPAY_DATA_DIR);
    }, 60_000);

    afterAll(async () => {
      await platform?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('answers /health within 30 s of the start', () => {
      expect(healthMs).toBeLessThan(30_000);
    });

    it('pays 12.34 with `scanpay pay --json`, and the simulator book holds the trade', async () => {
      const r = await runScanpay(['pay', '--amount', '12.34', '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
      expect(out).toMatchObject({ status: 'succeeded', amount: '12.34' });
      expect(out.outTradeNo).toMatch(/^SP[0-9A-Z]{26}$/);
      expect(out.tradeNo).toMatch(/^\d+$/);
      const book = (await (await fetch(`${simUrl}/__sim/trades?outTradeNo=${out.outTradeNo}`)).json()) as {
        trades: { status: string; totalAmount: string; tradeNo: string }[];
      };
      expect(book.trades[0]).toMatchObject({ status: 'TRADE_SUCCESS', totalAmount: '12.34', tradeNo: out.tradeNo });
    });

    it('prints the outcome in words without --json', async () => {
      const r = await runScanpay(['pay', '--amount', '0.01'], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('支付成功');
      expect(r.stdout).toContain('0.01');
    });

    it('pays a given code with --code, and refuses a collection code with the remedy', async () => {
      const issued = (await (await fetch(`${simUrl}/__sim/payment-codes`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as { code: string };
      const ok = await runScanpay(['pay', '--amount', '1.00', '--code', issued.code, '--json'], env);
      expect(JSON.parse(ok.stdout).status).toBe('succeeded');
      const refused = await runScanpay(['pay', '--amount', '1.00', '--code', 'https://qr.alipay.com/fkx0123'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('这是收款码，请让顾客打开付款码');
    });

    it('keeps the demo terminal and the book across a restart', async () => {
      await platform.stop();
      platform = spawnScanpay(['start'], env);
      await waitForHealth(`http://127.0.0.1:${env.PORT}`, 30_000, platform, env.SCANPAY_DATA_DIR);
      const r = await runScanpay(['pay', '--amount', '2.00', '--json'], env);
      expect(JSON.parse(r.stdout).status).toBe('succeeded');
      const book = (await (await fetch(`${simUrl}/__sim/trades`)).json()) as { trades: unknown[] };
      expect(book.trades.length).toBeGreaterThanOrEqual(4);
    }, 60_000);
  });
}

if (!process.env.TEST_DATABASE_URL) {
  describe.skip('the walking system on PostgreSQL server — skipped: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run', () => {
    it('pays through a PostgreSQL server', () => {});
  });
}
