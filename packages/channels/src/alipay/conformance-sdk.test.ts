/**
 * The conformance scenarios with the official `alipay-sdk` (4.x, `exec` on the v2 gateway) as the
 * client, against the simulator: proof that an integrator using the SDK meets the same protocol.
 * Where the SDK itself behaves differently, the scenario names an `sdkDifference` and asserts the
 * SDK's behaviour; every difference is explained in docs/channels/alipay.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_VARIABLES, SDK_DIFFERENCES, sandboxEnv, type Scenario } from './conformance/env.ts';
import { runAgainstSimulator, SCENARIOS } from './conformance/suite.ts';

describe('differences between the official SDK and our client', () => {
  const docs = readFileSync(new URL('../../../../docs/channels/alipay.md', import.meta.url), 'utf8');
  it.each(Object.keys(SDK_DIFFERENCES))('%s is asserted by a scenario and explained in the docs', (id) => {
    expect(SCENARIOS.some((s) => s.sdkDifference === id)).toBe(true);
    expect(docs).toContain(`\`${id}\``);
  });
});

runAgainstSimulator('alipay-sdk', 7);

const sandbox = sandboxEnv(process.env, 'alipay-sdk');
if (!sandbox) {
  console.info(`conformance (alipay-sdk): Alipay sandbox scenarios skipped (set ${SANDBOX_VARIABLES.join(', ')} to run them)`);
}

describe.skipIf(!sandbox)('conformance (alipay-sdk) against the Alipay sandbox', () => {
  const portable = SCENARIOS.filter((s): s is Extract<Scenario, { needs: 'any' }> => s.needs === 'any');
  it.each(portable.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    await scenario.run(sandbox!);
  }, 30_000);
});
