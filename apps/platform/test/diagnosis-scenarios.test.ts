/**
 * The acceptance scenarios of diagnosis: every fault is produced for real (simulator faults and
 * merchant states, buyers, a stopped service, a wrong key, a skewed clock, an old version, a
 * disabled device, bad input) and diagnosed the way the terminal does it — failure as evidence,
 * self-check, then the platform's diagnosis or, when that cannot be asked, the local one.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { diagnoseFailure, generateDeviceKey, newIdempotencyKey, ScanSession, TerminalClient } from '@scanpay/terminal-sdk';
import { setMerchantStatus } from '../src/modules/merchants/store.ts';
import { setTerminalStatus } from '../src/modules/terminals/store.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Measured, measure, registerTerminal, type Scenario, table } from './diagnosis-support.ts';
import { type Harness, startHarness } from './harness.ts';
import { codeFrame, darken, exposureDefects, glare, type GrayFrame } from './synthetic-frames.ts';

const pay = async (client: TerminalClient, body: { amount: string; authCode: string }) => {
  try {
    return { failure: await client.createPayment(body, newIdempotencyKey()) };
  } catch (err) {
    return { failure: err };
  }
};

/** A fresh terminal pays once with the given simulator state; its history is only this failure. */
const payingTerminal = (setup: (h: Harness) => Promise<{ buyerId?: string } | void>, amount = '12.34') => async (h: Harness) => {
  const { client } = await registerTerminal(h);
  const got = (await setup(h)) ?? {};
  return { client: client!, ...(await pay(client!, { amount, authCode: await h.newCode(got.buyerId) })) };
};

/** After a channel-side fault is undone, one good payment shows the platform the channel is well again. */
const channelHealed = async (h: Harness) => {
  await h.simAdmin('DELETE', '/__sim/faults');
  await h.simAdmin('POST', `/__sim/apps/${h.appId}/merchant-status`, { status: 'normal', faceToFaceSigned: true });
  const ok = await h.client.createPayment({ amount: '0.01', authCode: await h.newCode() }, newIdempotencyKey());
  expect(ok.status).toBe('succeeded');
};

const fault = (rule: Record<string, unknown>) => async (h: Harness) => {
  await h.simAdmin('PUT', '/__sim/faults', { rules: [rule] });
};
const merchantAtChannel = (state: Record<string, unknown>) => async (h: Harness) => {
  await h.simAdmin('POST', `/__sim/apps/${h.appId}/merchant-status`, state);
};
const buyer = (props: Record<string, unknown>) => async (h: Harness) =>
  h.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', props);

let originalAppKey = '';
let tlsServer: HttpsServer | undefined;

/** An https endpoint with a certificate nobody trusts (made here with openssl). */
async function untrustedHttps(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'scanpay-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    tlsServer = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_q, r) => r.end('{}'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await new Promise<void>((res) => tlsServer!.listen(0, '127.0.0.1', res));
  return `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
}

/** The same terminal pointed at another address: a typo in the platform URL, a captive portal. */
const elsewhere = (baseUrl: () => Promise<string>) => async (h: Harness) => {
  const { client } = await registerTerminal(h);
  const moved = new TerminalClient({ ...client!.credentials, baseUrl: await baseUrl() }, { timeoutMs: 3_000 });
  return { client: moved, ...(await pay(moved, { amount: '12.34', authCode: await h.newCode() })) };
};

/** The camera watches the customer's payment code for 12 frames, each spoiled by `spoil`. */
const scanning = (spoil: (f: GrayFrame, i: number) => GrayFrame) => async (h: Harness) => {
  const { client } = await registerTerminal(h);
  const code = await h.newCode();
  expect(exposureDefects(codeFrame(code, 99))).toEqual({ tooDark: false, glare: false });
  const session = new ScanSession('camera', { frameWidth: 640, frameHeight: 480 });
  for (let i = 0; i < 12; i++) session.frame(exposureDefects(spoil(codeFrame(code, i), i)));
  return { client: client!, evidence: [session.evidence()] };
};

const scenarios: Scenario[] = [
  { name: 'channel answers HTTP 500', expected: 'network.channel_unreachable', run: payingTerminal(fault({ kind: 'http_500' })), undo: channelHealed },
  { name: 'channel slower than the pay timeout', expected: 'network.channel_unreachable', run: payingTerminal(fault({ kind: 'delay', ms: 3_000 })), undo: channelHealed },
  { name: 'channel says system error', expected: 'network.channel_unreachable', run: payingTerminal(fault({ kind: 'system_error', commit: false })), undo: channelHealed },
  { name: 'channel answer fails verification', expected: 'security.channel_keys_misconfigured', run: payingTerminal(fault({ kind: 'bad_signature' })), undo: channelHealed },
  {
    name: 'our app key unknown to the channel',
    expected: 'security.channel_keys_misconfigured',
    run: payingTerminal(async (h) => {
      originalAppKey = (await h.simAdmin<{ publicKey: string }>('GET', `/__sim/apps/${h.appId}`)).publicKey;
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      await h.simAdmin('POST', '/__sim/apps', { appId: h.appId, publicKey: other });
    }),
    undo: async (h) => {
      await h.simAdmin('POST', '/__sim/apps', { appId: h.appId, publicKey: originalAppKey });
      await channelHealed(h);
    },
  },
  { name: 'merchant frozen at the channel', expected: 'account.merchant_frozen', run: payingTerminal(merchantAtChannel({ status: 'frozen' })), undo: channelHealed },
  { name: 'merchant closed at the channel', expected: 'account.merchant_status_abnormal', run: payingTerminal(merchantAtChannel({ status: 'closed' })), undo: channelHealed },
  { name: 'face-to-face product not signed', expected: 'account.product_not_signed', run: payingTerminal(merchantAtChannel({ faceToFaceSigned: false })), undo: channelHealed },
  {
    name: 'merchant frozen on the platform',
    expected: 'account.merchant_frozen',
    run: payingTerminal(async (h) => setMerchantStatus(h.db, h.merchantId, 'frozen')),
    undo: async (h) => setMerchantStatus(h.db, h.merchantId, 'active'),
  },
  { name: 'buyer balance too low', expected: 'buyer.balance_insufficient', run: payingTerminal(buyer({ balance: '1.00' })) },
  { name: 'buyer over the daily limit', expected: 'buyer.limit_exceeded', run: payingTerminal(buyer({ dailyLimit: '10.00' })) },
  { name: 'buyer flagged by risk control', expected: 'security.risk_control', run: payingTerminal(buyer({ riskFlag: true })) },
  {
    name: 'payment code already used',
    expected: 'buyer.code_expired_or_used',
    run: async (h) => {
      const { client } = await registerTerminal(h);
      const code = await h.newCode();
      expect((await client!.createPayment({ amount: '1.00', authCode: code }, newIdempotencyKey())).status).toBe('succeeded');
      return { client: client!, ...(await pay(client!, { amount: '1.00', authCode: code })) };
    },
  },
  {
    name: 'collection code scanned',
    expected: 'operation.collection_code_scanned',
    run: async (h) => {
      const { client } = await registerTerminal(h);
      return { client: client!, ...(await pay(client!, { amount: '12.34', authCode: 'https://qr.alipay.com/fkx12345abcde' })) };
    },
  },
  {
    name: 'amount missing',
    expected: 'operation.amount_not_entered',
    run: async (h) => {
      const { client } = await registerTerminal(h);
      return { client: client!, ...(await pay(client!, { amount: '', authCode: await h.newCode() })) };
    },
  },
  {
    name: 'wrong device key',
    expected: 'security.wrong_device_key',
    run: async (h) => {
      const { id } = await registerTerminal(h);
      const stranger = new TerminalClient({ baseUrl: h.baseUrl, terminalId: id, privateKey: (await generateDeviceKey()).privateKey });
      return { client: stranger, ...(await pay(stranger, { amount: '12.34', authCode: await h.newCode() })) };
    },
  },
  {
    name: 'device disabled',
    expected: 'security.device_disabled',
    run: async (h) => {
      const { id, client } = await registerTerminal(h);
      await setTerminalStatus(h.db, id, 'disabled');
      return { client: client!, ...(await pay(client!, { amount: '12.34', authCode: await h.newCode() })) };
    },
  },
  {
    name: 'device registered, never activated',
    expected: 'security.device_not_activated',
    run: async (h) => {
      const { id } = await registerTerminal(h, { pending: true });
      const client = new TerminalClient({ baseUrl: h.baseUrl, terminalId: id, privateKey: (await generateDeviceKey()).privateKey });
      return { client, ...(await pay(client, { amount: '12.34', authCode: await h.newCode() })) };
    },
  },
  {
    name: 'clock 10 minutes ahead',
    expected: 'network.clock_skew',
    run: async (h) => {
      const { client } = await registerTerminal(h, { now: () => Date.now() + 600_000 });
      // The SDK learns the offset from the refusal and the payment goes through: the clock stays wrong.
      const paid = await client!.createPayment({ amount: '1.00', authCode: await h.newCode() }, newIdempotencyKey());
      expect(paid.status).toBe('succeeded');
      expect(Math.abs(client!.clockOffsetMs + 600_000)).toBeLessThan(5_000);
      return { client: client! };
    },
  },
  {
    name: 'app older than the policy minimum',
    expected: 'compatibility.app_outdated',
    run: async (h) => ({ client: (await registerTerminal(h)).client!, selfCheck: { appVersion: '0.0.9' } }),
  },
  {
    name: 'payment-code rules out of date',
    expected: 'compatibility.rules_outdated',
    run: async (h) => ({ client: (await registerTerminal(h)).client!, selfCheck: { appVersion: '0.1.0', paycodeRulesVersion: '0.9.0' } }),
  },
  {
    name: 'platform name does not resolve',
    expected: 'network.dns',
    // .invalid never resolves (RFC 6761), so this needs no network.
    run: elsewhere(async () => 'http://scanpay-platform.invalid:8080'),
  },
  { name: 'certificate nobody trusts', expected: 'network.tls', run: elsewhere(untrustedHttps), undo: async () => void tlsServer?.close() },
  { name: 'frames too dark', expected: 'operation.too_dark', run: scanning((f, i) => darken(f, 0.15, i)) },
  { name: 'lamp reflected on the phone screen', expected: 'operation.glare', run: scanning((f, i) => glare(f, 300 + i * 4, 240, 150, 90)) },
  {
    name: 'simulator (channel) not running',
    expected: 'network.channel_unreachable',
    last: 1,
    run: async (h) => {
      const { client } = await registerTerminal(h);
      const authCode = await h.newCode();
      await h.sim.close();
      return { client: client!, ...(await pay(client!, { amount: '12.34', authCode })) };
    },
  },
  {
    name: 'platform not running',
    expected: 'network.platform_unreachable',
    last: 2,
    run: async (h) => {
      const { client } = await registerTerminal(h);
      await h.platform.app.close();
      return { client: client!, ...(await pay(client!, { amount: '12.34', authCode: '281234567890123456' })) };
    },
  },
];

const haveOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!haveOpenssl) console.log('skipped: the untrusted-certificate scenario needs the openssl command, which is not installed');
const ordered = scenarios
  .filter((s) => haveOpenssl || s.expected !== 'network.tls')
  .sort((a, b) => (a.last ?? 0) - (b.last ?? 0));

describeEachBackend('diagnosis acceptance scenarios', (backend) => {
  let h: Harness;
  const measured: Measured[] = [];
  beforeAll(async () => {
    h = await startHarness(backend);
    // A terminal runs for hours: time the diagnosis of a warm system, not the first compile of each route.
    await diagnoseFailure(h.client);
  }, 60_000);
  afterAll(async () => {
    await h?.close().catch(() => undefined);
  });

  for (const s of ordered) {
    it(`${s.name} → ${s.expected}`, async () => {
      let m: Measured;
      try {
        m = await measure(h, s);
      } finally {
        await s.undo?.(h);
      }
      measured.push(m);
      expect(m.top3, `${s.name}: ${JSON.stringify(m.result.diagnosis.causes.map((c) => [c.cause, c.confidence]))}`).toContain(s.expected);
      expect(m.top1).toBe(s.expected);
    }, 20_000);
  }

  it('ranks the true cause first in at least 95% of the scenarios and in the top 3 in all, typically within a second', () => {
    console.log(`\ndiagnosis scenarios [${backend.name}]\n${table(measured)}`);
    expect(measured).toHaveLength(ordered.length);
    const top1 = measured.filter((m) => m.top1 === m.expected).length / measured.length;
    const top3 = measured.filter((m) => m.top3.includes(m.expected)).length / measured.length;
    const times = measured.map((m) => m.msToDiagnosis).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const slowest = times[times.length - 1]!;
    console.log(
      `top-1 ${(top1 * 100).toFixed(1)}%  top-3 ${(top3 * 100).toFixed(1)}%  time to diagnosis: median ${median} ms, max ${slowest} ms` +
        `  (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
    );
    expect(top1).toBeGreaterThanOrEqual(0.95);
    expect(top3).toBe(1);
    // An idle machine diagnoses in tens of ms. The slowest one is printed, not asserted: on a box
    // shared by many test processes it is the scheduler's number, not ours. The median is stable.
    expect(median).toBeLessThan(1_000);
  });

  it('keeps the failures the platform was told about as incidents, with what the platform added', () => {
    const viaPlatform = measured.filter((m) => m.diagnosedBy === 'platform');
    expect(viaPlatform.length).toBeGreaterThan(10);
    for (const m of viaPlatform) expect(m.result.incident?.id).toMatch(/^inc_[0-9a-z]{26}$/);
    const devices = measured.filter((m) => m.diagnosedBy === 'device').map((m) => m.name).sort();
    expect(devices).toEqual([
      ...(haveOpenssl ? ['certificate nobody trusts'] : []), 'device disabled', 'device registered, never activated',
      'platform name does not resolve', 'platform not running', 'wrong device key',
    ]);
    const http500 = measured.find((m) => m.name === 'channel answers HTTP 500')!;
    expect(http500.result.evidence).toContainEqual(expect.objectContaining({ kind: 'transport', target: 'channel', failure: 'http_status', origin: 'platform' }));
  });
});
