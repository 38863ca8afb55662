import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateJwk, generateDeviceKey } from '@scanpay/terminal-sdk';
import { freePort, runScanpay, type Spawned, spawnScanpay, waitForHealth } from '../support.ts';

/**
 * `scanpay doctor` against the real processes: a healthy system, an old app version, a terminal
 * whose key no longer matches (then the printed reactivation steps, followed, fix it), and a
 * platform that is not running (diagnosed on the device).
 */
describe('scanpay doctor', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let system: Spawned | undefined;
  const identity = () => join(env.SCANPAY_DATA_DIR!, 'terminal', 'demo-terminal.json');
  const start = async () => {
    system = spawnScanpay(['start'], env);
    await waitForHealth(`http://127.0.0.1:${port}`, 60_000, system, env.SCANPAY_DATA_DIR);
  };
  const doctorJson = async (...args: string[]) => {
    const r = await runScanpay(['doctor', '--json', ...args], env);
    return { code: r.code, out: JSON.parse(r.stdout.trim().split('\n').pop() as string), stderr: r.stderr };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scanpay-doctor-'));
    port = await freePort();
    env = { SCANPAY_DATA_DIR: join(dir, '.scanpay'), PORT: String(port), SIM_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    await start();
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing wrong on a healthy system, and the platform records the check as an incident', async () => {
    const r = await doctorJson();
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ diagnosedBy: 'platform', topCause: null, causes: [] });
    expect(r.out.incidentId).toMatch(/^inc_/);
    expect(r.out.selfCheck.evidence.map((e: { check: string }) => e.check)).toEqual(
      expect.arrayContaining(['platform', 'clock', 'device_auth', 'merchant', 'channel', 'version']),
    );
  }, 30_000);

  it('names an app older than the policy, with the update as the fix', async () => {
    const words = await runScanpay(['doctor', '--app-version', '0.0.1', '--lang', 'zh'], env);
    expect(words.code).toBe(1);
    expect(words.stdout).toContain('最可能的原因：终端应用版本低于要求');
    expect(words.stdout).toContain('app ≥ 0.1.0');
  }, 30_000);

  it('refuses to act as a terminal whose identity is not kept here', async () => {
    const r = await runScanpay(['doctor', '--terminal', 'trm_00000000000000000000000000'], env);
    expect(r.code).toBe(64);
  });

  it('names a key that no longer matches, prints the reactivation steps, and following them fixes it', async () => {
    const good = readFileSync(identity(), 'utf8');
    const stranger = await exportPrivateJwk((await generateDeviceKey({ extractable: true })).privateKey);
    writeFileSync(identity(), JSON.stringify({ ...JSON.parse(good), privateJwk: stranger }));

    const r = await runScanpay(['doctor', '--lang', 'en'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('diagnosed on this device');
    expect(r.stdout).toContain('The terminal key or serial number does not match the registration');
    const rm = r.stdout.split('\n').find((l) => l.includes('$ rm '));
    expect(rm?.trim()).toBe(`$ rm ${identity()}`);

    await system?.stop();
    rmSync(identity());
    await start();
    const healed = await doctorJson();
    expect(healed.code, JSON.stringify(healed.out.causes)).toBe(0);
    expect(healed.out.diagnosedBy).toBe('platform');
  }, 120_000);

  it('diagnoses on the device when the platform is not running', async () => {
    await system?.stop();
    system = undefined;
    const r = await doctorJson();
    expect(r.code).toBe(1);
    expect(r.out).toMatchObject({ diagnosedBy: 'device', topCause: 'network.platform_unreachable', incidentId: null });
    expect(r.out.selfCheck.evidence[0]).toMatchObject({ check: 'platform', ok: false, failure: 'refused' });
  }, 30_000);
});
