/**
 * Payments benchmark: pays N payment codes through a real platform process (signed terminal
 * requests, RSA2 to the simulator, PostgreSQL commits) and prints payments/s, latency and the
 * platform's CPU per payment next to one RSA-2048 signature measured in the same run; then the floor
 * no implementation of this design goes below (the signature operations and this run's kernel time)
 * and the machine's CPU per payment split between the platform, the client + simulator (this process)
 * and PostgreSQL (every `postgres` process on the machine: run it on a quiet one).
 *
 *   npm run bench                              # PGlite (embedded)
 *   npm run bench -- --pg                      # the PostgreSQL server (postgres://postgres@127.0.0.1:5432/test)
 *   npm run bench -- --payments 2000 --concurrency 16 --warmup 500
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importPrivateJwk, newIdempotencyKey, TerminalClient } from '@scanpay/terminal-sdk';
import { createScratchDatabase, percentile, processCpuMs, processCpuSplitMs, startBenchSystem } from '@scanpay/cli/harness';
import { pgbenchSimpleUpdateTps } from './pg.ts';

const { values } = parseArgs({
  options: {
    payments: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    pg: { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    // Measure payments alone: the channel's asynchronous notifications are held back.
    'no-notify': { type: 'boolean', default: false },
    warmup: { type: 'string', default: '500' },
    // Node flags for the platform process, space-separated (`--platform-node-args=--trace-deopt`): its output is
    // printed after the figures.
    'platform-node-args': { type: 'string', default: '' },
  },
});
const N = Number(values.payments);
const C = Number(values.concurrency);
const WARMUP = Number(values.warmup);

/** CPU milliseconds per call of f (this process's CPU time, so another process's load does not inflate it). */
function cpuMsPerCall(f: () => unknown, runs: number): number {
  for (let i = 0; i < 50; i++) f();
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) f();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / runs;
}

/**
 * The cryptography the platform cannot avoid for one payment: verify the terminal's P-256
 * signature, sign the channel request with RSA-2048, verify the channel's RSA-2048 answer.
 */
function cryptoReference() {
  const data = Buffer.from('app_id=2021000000000001&biz_content={"out_trade_no":"T"}&charset=utf-8&method=alipay.trade.pay');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const rsaSig = sign('sha256', data, rsa.privateKey);
  const ecSig = sign('sha256', data, ec.privateKey);
  return {
    rsaSign: cpuMsPerCall(() => sign('sha256', data, rsa.privateKey), 500),
    rsaVerify: cpuMsPerCall(() => verify('sha256', data, rsa.publicKey, rsaSig), 2000),
    ecdsaVerify: cpuMsPerCall(() => verify('sha256', data, ec.publicKey, ecSig), 2000),
  };
}

/** Busy CPU milliseconds of the whole machine so far (every process: client, platform, simulator, PostgreSQL). */
function machineBusyMs(): number {
  const [, ...jiffies] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).map(Number);
  // user, nice, system, irq, softirq (not idle, iowait, or steal: time the hypervisor gave elsewhere)
  return [0, 1, 2, 5, 6].reduce((sum, i) => sum + (jiffies[i] ?? 0), 0) * 10; // USER_HZ is 100
}

/** CPU milliseconds so far of every process with this command name (PostgreSQL's backends: `postgres`). */
function commandCpuMs(comm: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm) total += processCpuMs(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

const databaseUrl = values.pg ? await createScratchDatabase(values['pg-url'], 'scanpay_bench') : undefined;
const execArgv = values['platform-node-args'].split(' ').filter(Boolean);
const system = await startBenchSystem({ ...(databaseUrl ? { databaseUrl } : {}), ...(execArgv.length ? { execArgv } : {}) });
// A platform that dies mid-run would leave the terminal client retrying for ever: say so and stop.
const platformDied = (code: number | null, signal: string | null) => {
  console.error(`platform exited during the run (code ${code}, signal ${signal}):\n${system.platformOutput()}`);
  process.exit(1);
};
system.child.once('exit', platformDied);
try {
  const stored = JSON.parse(readFileSync(join(system.platformEnv.SCANPAY_DATA_DIR as string, 'terminal', 'demo-terminal.json'), 'utf8'));
  const client = new TerminalClient({
    baseUrl: system.platformUrl,
    terminalId: stored.terminalId,
    privateKey: await importPrivateJwk(stored.privateJwk),
  });
  if (values['no-notify']) await system.simAdmin('PUT', '/__sim/faults', { rules: [{ kind: 'notify_delay', ms: 86_400_000 }] });
  // A buyer rich enough for the whole run, and every payment code issued before the clock starts.
  const buyer = await system.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', { balance: '99999999.00', passwordThreshold: '99999999.00' });
  const issue = async (n: number) => {
    const codes: string[] = [];
    for (let i = 0; i < n; i++) {
      codes.push((await system.simAdmin<{ code: string }>('POST', '/__sim/payment-codes', { buyerId: buyer.buyerId, ttlSeconds: 3600 })).code);
    }
    return codes;
  };
  const payAll = async (codes: string[]) => {
    const latencies: number[] = [];
    let failed = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < codes.length) {
          const code = codes[next++] as string;
          const t = performance.now();
          const p = await client.createPayment({ amount: '1.00', authCode: code }, newIdempotencyKey());
          latencies.push(performance.now() - t);
          if (p.status !== 'succeeded') failed++;
        }
      }),
    );
    return { latencies: latencies.sort((a, b) => a - b), failed };
  };

  // Warm-up: connection pools, caches and the JIT (V8 keeps optimising for thousands of requests;
  // a short warm-up bills that compile work to the measured payments).
  await payAll(await issue(Math.min(WARMUP, N)));
  const codes = await issue(N);
  const pid = system.child.pid as number;
  const cpuBefore = processCpuSplitMs(pid);
  const machineBefore = machineBusyMs();
  const postgresBefore = commandCpuMs('postgres');
  const selfBefore = process.cpuUsage();
  const t0 = performance.now();
  const { latencies, failed } = await payAll(codes);
  const wallMs = performance.now() - t0;
  const cpuAfter = processCpuSplitMs(pid);
  const machinePerPayment = (machineBusyMs() - machineBefore) / N;
  const postgresPerPayment = (commandCpuMs('postgres') - postgresBefore) / N;
  const self = process.cpuUsage(selfBefore);
  const selfPerPayment = (self.user + self.system) / 1000 / N;
  const userMs = cpuAfter.user - cpuBefore.user;
  const systemMs = cpuAfter.system - cpuBefore.system;
  const cpuMs = userMs + systemMs;
  const crypto = cryptoReference();
  const rsa = crypto.rsaSign;
  const perPayment = cpuMs / N;
  const pgTps = databaseUrl ? await pgbenchSimpleUpdateTps(values['pg-url'], C) : undefined;
  // What no implementation of this design avoids: the three signature operations, and the kernel's
  // share of the sockets (terminal, channel and database round trips) as measured in this run.
  const cryptoMs = crypto.rsaSign + crypto.rsaVerify + crypto.ecdsaVerify;
  const kernelMs = systemMs / N;

  const rows: [string, string][] = [
    ['store', databaseUrl ? 'PostgreSQL server (synchronous_commit as configured)' : 'embedded PGlite'],
    ['channel notifications', values['no-notify'] ? 'held back (payments alone)' : 'delivered (each payment also gets one)'],
    ['payments', `${N} (${failed} not succeeded), concurrency ${C}`],
    ['payments/s', (N / (wallMs / 1000)).toFixed(1)],
    ['latency p50 / p99 / max', `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} / ${percentile(latencies, 100).toFixed(1)} ms`],
    ['platform CPU per payment', `${perPayment.toFixed(2)} ms (user ${(userMs / N).toFixed(2)}, kernel ${kernelMs.toFixed(2)})`],
    ['one RSA-2048 signature (same run, CPU time)', `${rsa.toFixed(3)} ms`],
    ['ratio: platform CPU per payment / RSA-2048 signature', `${(perPayment / rsa).toFixed(2)}×`],
    [
      'floor: RSA sign + RSA verify + P-256 verify',
      `${cryptoMs.toFixed(3)} ms (${rsa.toFixed(3)} + ${crypto.rsaVerify.toFixed(3)} + ${crypto.ecdsaVerify.toFixed(3)}) = ${(cryptoMs / rsa).toFixed(2)}×`,
    ],
    ['floor + this run\'s kernel time per payment', `${(cryptoMs + kernelMs).toFixed(3)} ms = ${((cryptoMs + kernelMs) / rsa).toFixed(2)}×`],
  ];
  if (pgTps !== undefined) {
    rows.push(['pgbench simple-update TPS (same run, same clients)', pgTps.toFixed(0)]);
    rows.push(['ratio: payments/s / pgbench TPS', `${(N / (wallMs / 1000) / pgTps).toFixed(3)}`]);
  }
  const cores = availableParallelism();
  rows.push(['machine CPU per payment (all processes)', `${machinePerPayment.toFixed(2)} ms on ${cores} cores → at most ${((cores * 1000) / machinePerPayment).toFixed(0)} payments/s`]);
  rows.push([
    '  of which',
    `platform ${perPayment.toFixed(2)}, terminal client + channel simulator ${selfPerPayment.toFixed(2)}${databaseUrl ? `, PostgreSQL ${postgresPerPayment.toFixed(2)}` : ''} ms`,
  ]);
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log('\nscanpay payments benchmark');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
} finally {
  system.child.off('exit', platformDied);
  await system.close();
  if (execArgv.length) console.log(`\nplatform output:\n${system.platformOutput()}`);
}
