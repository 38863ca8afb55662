/**
 * The Alipay channel conformance suite (issue 4): every API × every outcome, as one scenario list.
 *
 * - Against `@scanpay/alipay-simulator` always (faults, buyers and merchants set up through its
 *   `/__sim/` admin API). The same list runs through the official alipay-sdk in
 *   conformance-sdk.test.ts.
 * - Against a real Alipay sandbox when ALIPAY_SANDBOX_APP_ID, ALIPAY_SANDBOX_PRIVATE_KEY,
 *   ALIPAY_SANDBOX_PUBLIC_KEY and ALIPAY_SANDBOX_GATEWAY are set: the scenarios that need no control
 *   over the other side (`needs: 'any'`) run there too.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_VARIABLES, sandboxEnv, type Scenario } from './conformance/env.ts';
import { runAgainstSimulator, SCENARIOS } from './conformance/suite.ts';

describe('conformance: the scenario list', () => {
  it('has at least 100 uniquely named scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
  });
});

runAgainstSimulator('scanpay', 7);

const sandbox = sandboxEnv();
if (!sandbox) {
  console.info(`conformance: Alipay sandbox scenarios skipped (set ${SANDBOX_VARIABLES.join(', ')} to run them)`);
}

describe.skipIf(!sandbox)('conformance against the Alipay sandbox', () => {
  const portable = SCENARIOS.filter((s): s is Extract<Scenario, { needs: 'any' }> => s.needs === 'any');
  it.each(portable.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    await scenario.run(sandbox!);
  }, 30_000);
});
