/**
 * The conformance scenarios with the official `alipay-sdk` (4.x, `exec` on the v2 gateway) as the
 * client, against the simulator: proof that an integrator using the SDK meets the same protocol.
 * Where the SDK itself behaves differently, the scenario names an `sdkDifference` and asserts the
 * SDK's behaviour; every difference is explained in docs/channels/alipay.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_DIFFERENCES } from './conformance/env.ts';
import { runAgainstSimulator, SCENARIOS } from './conformance/suite.ts';

describe('differences between the official SDK and our client', () => {
  const docs = readFileSync(new URL('../../../../docs/channels/alipay.md', import.meta.url), 'utf8');
  it.each(Object.keys(SDK_DIFFERENCES))('%s is asserted by a scenario and explained in the docs', (id) => {
    expect(SCENARIOS.some((s) => s.sdkDifference === id)).toBe(true);
    expect(docs).toContain(`\`${id}\``);
  });
});

runAgainstSimulator('alipay-sdk', 7);
