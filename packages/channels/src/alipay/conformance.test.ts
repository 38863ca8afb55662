/**
 * The Alipay channel conformance suite (issue 4): every API × every outcome, as one scenario list.
 *
 * - Against `@scanpay/alipay-simulator` always (faults, buyers and merchants set up through its
 *   `/__sim/` admin API).
 * - Against a real Alipay sandbox when ALIPAY_SANDBOX_APP_ID, ALIPAY_SANDBOX_PRIVATE_KEY,
 *   ALIPAY_SANDBOX_PUBLIC_KEY and ALIPAY_SANDBOX_GATEWAY are set: the scenarios that need no control
 *   over the other side (`needs: 'any'`) run there too.
 */
import { startAlipaySimulator } from '@scanpay/alipay-simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_VARIABLES, sandboxEnv, simulatorEnv, type Scenario, type SimEnv } from './conformance/env.ts';
import { MORE_SCENARIOS } from './conformance/scenarios-more.ts';
import { PAY_SCENARIOS } from './conformance/scenarios-pay.ts';
import { REFUND_SCENARIOS } from './conformance/scenarios-refund.ts';
import { TRADE_SCENARIOS } from './conformance/scenarios-trade.ts';

export const SCENARIOS: Scenario[] = [...PAY_SCENARIOS, ...TRADE_SCENARIOS, ...REFUND_SCENARIOS, ...MORE_SCENARIOS];

describe('conformance: the scenario list', () => {
  it('has at least 100 uniquely named scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
  });
});

describe('conformance against the simulator', () => {
  let simulator: Awaited<ReturnType<typeof startAlipaySimulator>>;
  let env: SimEnv;

  beforeAll(async () => {
    simulator = await startAlipaySimulator({ port: 0, seed: 7 });
    env = await simulatorEnv(simulator);
  });
  afterEach(async () => {
    await env.sim.admin('DELETE', '/__sim/faults');
  });
  afterAll(async () => {
    await env?.sim.sink.close();
    await simulator?.close();
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    await scenario.run(env);
  });
});

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
