/**
 * The scenario list and the way it runs against the simulator, for either client (ours, or the
 * official alipay-sdk behind the same channel core).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { simulatorEnv, startConformanceSimulator, type ClientName, type Scenario, type SimEnv } from './env.ts';
import { EXPECTED_OUTCOMES, MATRIX_SCENARIOS } from './scenarios-matrix.ts';
import { MORE_SCENARIOS } from './scenarios-more.ts';
import { PAY_SCENARIOS } from './scenarios-pay.ts';
import { REFUND_SCENARIOS } from './scenarios-refund.ts';
import { TRADE_SCENARIOS } from './scenarios-trade.ts';

export const SCENARIOS: Scenario[] = [...PAY_SCENARIOS, ...TRADE_SCENARIOS, ...REFUND_SCENARIOS, ...MORE_SCENARIOS, ...MATRIX_SCENARIOS];

/** Every scenario against a fresh simulator, through `client`. */
export function runAgainstSimulator(client: ClientName, seed: number): void {
  describe(`conformance (${client}) against the simulator`, () => {
    let stop: (() => Promise<void>) | undefined;
    let env: SimEnv;

    beforeAll(async () => {
      const started = await startConformanceSimulator(seed);
      stop = started.stop;
      env = await simulatorEnv(started.simulator, client);
    });
    afterEach(async () => {
      await env.sim.admin('DELETE', '/__sim/faults');
    });
    afterAll(async () => {
      await env?.sim.sink.close();
      await stop?.();
    });

    it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
      await scenario.run(env);
    });

    // Runs after the scenarios (tests in a file run in order); meaningless under a `-t` filter.
    it('produced every API × outcome', () => {
      const expected = Object.entries(EXPECTED_OUTCOMES).flatMap(([api, outcomes]) => outcomes.map((o) => `${api}:${o}`));
      expect(expected.filter((o) => !env.outcomes.has(o))).toEqual([]);
    });
  });
}
