import { parseArgs } from 'node:util';
import { CHAOS_DEFAULTS, isClean, runChaos } from '../chaos/index.ts';
import { createScratchDatabase } from '../harness/pg.ts';

export const CHAOS_HELP = `Usage: scanpay chaos [options]

Runs many payments from many simulated terminals through lost answers on both hops, late channel
answers, buyers who confirm late or never, and kill -9 of the platform; lets everything settle;
then compares the platform, the terminals and the ledger with the simulator's book.

  --payments N      default ${CHAOS_DEFAULTS.payments}
  --terminals N     default ${CHAOS_DEFAULTS.terminals}
  --kills N         kill -9 of the platform during the run, default ${CHAOS_DEFAULTS.kills}
  --drop R          answers lost on each hop, default ${CHAOS_DEFAULTS.dropRate}
  --timeouts R      channel answers later than the platform waits, default ${CHAOS_DEFAULTS.timeoutRate}
  --wait-buyer R    payments where the buyer must confirm (a quarter never do), default ${CHAOS_DEFAULTS.waitBuyerRate}
  --database-url U  run the platform on a fresh database on this PostgreSQL server, kept afterwards
                    for inspection (default: embedded PGlite)
  --seed N          default ${CHAOS_DEFAULTS.seed}
  --json            print the report as JSON

Exit status 0 when there are no double charges, nothing lost, nothing unresolved and the ledger
equals the book; 1 otherwise.`;

export async function chaosCommand(argv: string[], out = console.log, err = console.error): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      payments: { type: 'string' },
      terminals: { type: 'string' },
      kills: { type: 'string' },
      drop: { type: 'string' },
      timeouts: { type: 'string' },
      'wait-buyer': { type: 'string' },
      'database-url': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    out(CHAOS_HELP);
    return 0;
  }
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  // The platform's records are compared with a simulator that starts empty: so must the database.
  const databaseUrl = values['database-url'] ? await createScratchDatabase(values['database-url'], 'scanpay_chaos') : undefined;
  const report = await runChaos({
    ...CHAOS_DEFAULTS,
    payments: num(values.payments, CHAOS_DEFAULTS.payments),
    terminals: num(values.terminals, CHAOS_DEFAULTS.terminals),
    kills: num(values.kills, CHAOS_DEFAULTS.kills),
    dropRate: num(values.drop, CHAOS_DEFAULTS.dropRate),
    timeoutRate: num(values.timeouts, CHAOS_DEFAULTS.timeoutRate),
    waitBuyerRate: num(values['wait-buyer'], CHAOS_DEFAULTS.waitBuyerRate),
    seed: num(values.seed, CHAOS_DEFAULTS.seed),
    ...(databaseUrl ? { databaseUrl } : {}),
    log: values.json ? () => {} : (line) => err(line),
  });
  if (values.json) {
    out(JSON.stringify(report));
  } else {
    const rows: [string, string | number][] = [
      ['payments', report.payments],
      ['double charges', report.doubleCharges],
      ['lost', report.lost],
      ['phantom (recorded paid, not charged)', report.phantom],
      ['unresolved', report.unresolved],
      ['other mismatches with the book', report.statusMismatches],
      ['terminal screens disagreeing', report.terminalDisagreements],
      ['ledger − book (fen)', report.ledgerDifferenceFen],
      ['platform kills (kill -9)', report.kills],
      ['answers dropped on the way to terminals', report.droppedToTerminals],
      ['payments/s while paying', report.paymentsPerSecond.toFixed(1)],
      ['duration', `${(report.durationMs / 1000).toFixed(1)} s`],
      ['final states', Object.entries(report.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    const store = databaseUrl ? `PostgreSQL server, database ${new URL(databaseUrl).pathname.slice(1)}` : 'embedded PGlite';
    out(`\nchaos run (seed ${report.options.seed}, ${store})`);
    for (const [k, v] of rows) out(`  ${k.padEnd(w)}  ${v}`);
    if (report.examples.length) out(`\n  examples:\n    ${report.examples.join('\n    ')}`);
    out(isClean(report) ? '\n  all invariants held' : '\n  INVARIANTS VIOLATED');
  }
  return isClean(report) ? 0 : 1;
}
