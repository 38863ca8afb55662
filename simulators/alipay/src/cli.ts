// Run the simulator standalone:
//   node --import tsx simulators/alipay/src/cli.ts --port 8090 --data-dir .scanpay/alipay-sim [--seed 1] [--time-scale 60] [--quiet]
// Prints one JSON line {"ready":true,url,gatewayUrl,alipayPublicKeyPem} on stdout, then logs.
import { parseArgs } from 'node:util';
import { startAlipaySimulator } from './index.ts';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    seed: { type: 'string' },
    'time-scale': { type: 'string' },
    'no-demo': { type: 'boolean' },
    fsync: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
});

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const sim = await startAlipaySimulator({
  host: values.host,
  port: num(values.port),
  dataDir: values['data-dir'],
  seed: num(values.seed),
  timeScale: num(values['time-scale']),
  seedDemo: !values['no-demo'],
  fsync: values.fsync ?? false,
  logger: values.quiet ? () => {} : (line) => process.stderr.write(`[alipay-sim] ${line}\n`),
});
process.stdout.write(`${JSON.stringify({ ready: true, url: sim.url, gatewayUrl: sim.gatewayUrl, alipayPublicKeyPem: sim.alipayPublicKeyPem })}\n`);

const stop = () => {
  sim.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
