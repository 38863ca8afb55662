/**
 * The conformance scenarios with the official `alipay-sdk` (4.x, `exec` on the v2 gateway) as the
 * client, against the simulator: proof that an integrator using the SDK meets the same protocol.
 * Where the SDK itself behaves differently, the scenario asserts the SDK's behaviour (see
 * `sdkNote` on the scenario and docs/channels/alipay.md).
 */
import { runAgainstSimulator } from './conformance/suite.ts';

runAgainstSimulator('alipay-sdk', 7);
