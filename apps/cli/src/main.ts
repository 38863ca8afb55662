import { ConfigError } from '@scanpay/platform';
import { chaosCommand } from './commands/chaos.ts';
import { startCpuProfile } from './profile.ts';
import { doctorCommand } from './commands/doctor.ts';
import { PAY_HELP, payCommand } from './commands/pay.ts';
import { SIM_HELP, simCommand } from './commands/sim.ts';
import { startSystem } from './commands/start.ts';

const HELP = `scanpay — scan-code payments at the point of sale

Usage: scanpay <command> [options]

  start     run the platform and the Alipay simulator on embedded defaults
  pay       pay as the demo terminal: scanpay pay --amount 12.34 [--code …] [--json]
  doctor    一键自检: self-check the demo terminal and diagnose what is wrong (scanpay doctor --help)
  sim       run the Alipay simulator alone
  chaos     prove the money invariants under faults and kill -9 (scanpay chaos --help)
  help      show this help (scanpay <command> --help for a command)

Configuration comes from the environment; see the README.`;

function onSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: stopping…`);
    close()
      .then(() => process.exit(0))
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      if (rest.includes('--help') || rest.includes('-h')) {
        console.log('Usage: scanpay start\n\nRuns everything on embedded defaults. Environment variables: see the README.');
        return 0;
      }
      const stopProfile = await startCpuProfile(process.env.SCANPAY_CPU_PROFILE);
      const system = await startSystem();
      onSignals(async () => {
        await system.close();
        await stopProfile?.();
      });
      return undefined; // keep serving
    }
    case 'pay':
      return payCommand(rest);
    case 'doctor':
      return doctorCommand(rest);
    case 'chaos':
      return chaosCommand(rest);
    case 'sim': {
      const sim = await simCommand(rest);
      if (!sim) return 0;
      onSignals(sim.close);
      return undefined;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`unknown command: ${command}\n\n${HELP}`);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`a port is already in use: ${(err as Error).message}. Set PORT / SIM_PORT, or stop the other process.`);
    } else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  },
);

export { PAY_HELP, SIM_HELP };
