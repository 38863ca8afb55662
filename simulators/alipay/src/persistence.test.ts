import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startAlipaySimulator } from './index.ts';
import { adminOk, APP_ID, appKeys, call, seedSimulatorKeys, startFixture, startSink, tempDir, until } from './testing.ts';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

const payBiz = (out: string, code: string, amount: string) => ({ out_trade_no: out, scene: 'bar_code', auth_code: code, subject: 'x', total_amount: amount });

describe('restart keeps the book', () => {
  it('replays trades, buyers, used codes, apps and keys from the dataDir', async () => {
    const fx = await startFixture();
    const usedCode = await fx.code();
    await fx.call('alipay.trade.pay', payBiz('KEEP-PAID', usedCode, '10.00'));
    await fx.call('alipay.trade.refund', { out_trade_no: 'KEEP-PAID', refund_amount: '4.00', out_request_no: 'R1' });
    await fx.call('alipay.trade.pay', payBiz('KEEP-CLOSED', await fx.code(), '3000.00'));
    await fx.call('alipay.trade.close', { out_trade_no: 'KEEP-CLOSED' });
    await fx.call('alipay.trade.pay', payBiz('KEEP-WAIT', await fx.code(), '3000.00'));
    await fx.call('alipay.trade.cancel', { out_trade_no: 'KEEP-TOMB' });
    const freshCode = await fx.code();
    const key = fx.sim.alipayPublicKeyPem;
    await fx.sim.close();

    const again = await startAlipaySimulator({ port: 0, dataDir: fx.dataDir });
    try {
      expect(again.alipayPublicKeyPem).toBe(key);
      const q = async (out: string) => (await call(again, 'alipay.trade.query', { out_trade_no: out }, { appId: APP_ID })).body;
      expect(await q('KEEP-PAID')).toMatchObject({ trade_status: 'TRADE_SUCCESS', total_amount: '10.00' });
      expect(await q('KEEP-CLOSED')).toMatchObject({ trade_status: 'TRADE_CLOSED' });
      expect(await q('KEEP-WAIT')).toMatchObject({ trade_status: 'WAIT_BUYER_PAY' });
      const refundQuery = await call(again, 'alipay.trade.fastpay.refund.query', { out_trade_no: 'KEEP-PAID', out_request_no: 'R1' }, { appId: APP_ID });
      expect(refundQuery.body.refund_status).toBe('REFUND_SUCCESS');
      expect((await adminOk(again, 'GET', '/__sim/buyers/2088000000000001')).balance).toBe('99994.00');
      const pay = async (out: string, code: string) => (await call(again, 'alipay.trade.pay', payBiz(out, code, '1.00'), { appId: APP_ID })).body;
      expect((await pay('KEEP-REUSE', usedCode)).sub_code).toBe('ACQ.PAYMENT_AUTH_CODE_INVALID');
      expect((await pay('KEEP-TOMB', freshCode)).sub_code).toBe('ACQ.TRADE_HAS_CLOSE');
      expect((await pay('KEEP-NEW', freshCode)).code).toBe('10000');
      // New ids do not collide with those issued before the restart.
      const { trades } = await adminOk(again, 'GET', '/__sim/trades');
      expect(new Set(trades.map((t: { tradeNo: string }) => t.tradeNo)).size).toBe(trades.length);
    } finally {
      await again.close();
    }
  });

  it('skips a torn last journal line', async () => {
    const fx = await startFixture();
    await fx.call('alipay.trade.pay', payBiz('TORN-1', await fx.code(), '1.00'));
    await fx.sim.close();
    fs.appendFileSync(path.join(fx.dataDir, 'journal.ndjson'), '{"p":[["trade","x",{"key":');
    const again = await startAlipaySimulator({ port: 0, dataDir: fx.dataDir });
    try {
      expect((await call(again, 'alipay.trade.query', { out_trade_no: 'TORN-1' }, { appId: APP_ID })).body.trade_status).toBe('TRADE_SUCCESS');
    } finally {
      await again.close();
    }
  });

  it('delivers notifications that were still pending at shutdown', async () => {
    let up = false;
    const sink = await startSink(() => (up ? 'success' : 'busy'));
    const fx = await startFixture();
    await fx.call('alipay.trade.pay', payBiz('NOTIFY-LATER', await fx.code(), '1.00'), { extra: { notify_url: sink.url } });
    await until(() => sink.received.length, (n) => n === 1);
    await fx.sim.close();
    up = true;
    const again = await startAlipaySimulator({ port: 0, dataDir: fx.dataDir });
    try {
      await adminOk(again, 'POST', '/__sim/clock', { timeScale: 100_000 }); // the 4 min retry is now ~2 ms away
      await until(() => sink.received.length, (n) => n === 2);
      const [notice] = (await adminOk(again, 'GET', '/__sim/notifications?outTradeNo=NOTIFY-LATER')).notifications;
      expect(notice).toMatchObject({ status: 'done', attempts: 2 });
    } finally {
      await again.close();
      await sink.close();
    }
  });
});

describe('kill -9', () => {
  it('loses no trade that was answered', async () => {
    const dataDir = tempDir();
    seedSimulatorKeys(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--data-dir', dataDir, '--quiet'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const ready = await new Promise<{ url: string; gatewayUrl: string; alipayPublicKeyPem: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line));
        });
        child.once('exit', (code) => reject(new Error(`simulator exited early: ${code}`)));
      });
      const remote = { ...ready, close: async () => {} };
      await adminOk(remote, 'POST', '/__sim/apps', { appId: APP_ID, publicKey: appKeys().publicKeyPem });
      const { code } = await adminOk(remote, 'POST', '/__sim/payment-codes', {});
      const paid = await call(remote, 'alipay.trade.pay', payBiz('KILL-9', code, '7.00'), { appId: APP_ID });
      expect(paid.body.code).toBe('10000');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const again = await startAlipaySimulator({ port: 0, dataDir });
      try {
        const q = await call(again, 'alipay.trade.query', { out_trade_no: 'KILL-9' }, { appId: APP_ID });
        expect(q.body).toMatchObject({ trade_status: 'TRADE_SUCCESS', trade_no: paid.body.trade_no });
        expect(q.verified).toBe(true);
      } finally {
        await again.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
