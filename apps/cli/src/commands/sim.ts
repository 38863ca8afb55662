import { parseArgs } from 'node:util';
import { startAlipaySimulator } from '@scanpay/alipay-simulator';
import { dataDir, paths } from '../local-state.ts';

export const SIM_HELP = `Usage: scanpay sim [--port 8090] [--data-dir DIR] [--seed N] [--time-scale N] [--no-demo]

Runs the Alipay simulator alone: the OpenAPI v2 gateway at /gateway.do with real RSA2 signatures
and the admin API under /__sim/ (see simulators/alipay/README.md). Point the official alipay-sdk
or your own client at it to test offline.`;

export async function simCommand(argv: string[], out = console.log): Promise<{ close(): Promise<void> } | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: process.env.SIM_PORT ?? '8090' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      seed: { type: 'string', default: '1' },
      'time-scale': { type: 'string', default: '1' },
      'no-demo': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    out(SIM_HELP);
    return undefined;
  }
  const sim = await startAlipaySimulator({
    host: values.host,
    port: Number(values.port),
    dataDir: values['data-dir'] ?? paths(dataDir()).simulator,
    seed: Number(values.seed),
    timeScale: Number(values['time-scale']),
    seedDemo: !values['no-demo'],
  });
  out(`Alipay simulator at ${sim.url}`);
  out(`  gateway     ${sim.gatewayUrl}`);
  out(`  admin API   ${sim.url}/__sim/ (apps, buyers, payment-codes, trades, faults, …)`);
  out('  Alipay public key (give it to your client as alipayPublicKey):');
  out(sim.alipayPublicKeyPem.trim());
  return sim;
}
