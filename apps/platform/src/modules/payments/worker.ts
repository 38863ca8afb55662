import type { PaymentsDeps } from './deps.ts';
import { claimDueJobs } from './jobs.ts';
import { resolveStep } from './operations/resolve-unknown.ts';

export interface ResolutionWorker {
  /** Run due jobs soon instead of at the next tick. */
  wake(): void;
  /** Run every due job once, now (tests and the CLI use it). */
  runDue(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Claims due resolution jobs and runs one step of each. Any number of platform processes can run
 * it against one database: claiming uses FOR UPDATE SKIP LOCKED and a lease, and every outcome is
 * applied under the payment's row lock through the transition table.
 */
export function startResolutionWorker(
  deps: PaymentsDeps,
  opts: {
    nodeId: string; intervalMs?: number; batch?: number; leaseMs?: number; concurrency?: number;
    /** Other due work run on every pass once resolution jobs are drained (refund jobs); returns jobs run. */
    alsoRun?: () => Promise<number>;
  },
): ResolutionWorker {
  const intervalMs = opts.intervalMs ?? 250;
  const batch = opts.batch ?? 20;
  const leaseMs = opts.leaseMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;
  let again = false;

  const runDue = async (manual = false): Promise<number> => {
    let total = 0;
    for (;;) {
      const jobs = await claimDueJobs(deps.db, opts.nodeId, batch, leaseMs, deps.now());
      if (jobs.length === 0) return total + (opts.alsoRun ? await opts.alsoRun() : 0);
      total += jobs.length;
      await Promise.all(
        jobs.map(async (job) => {
          try {
            const what = await resolveStep(deps, job);
            deps.log.info({ paymentId: job.payment_id, phase: job.phase, result: what }, 'resolution step');
          } catch (err) {
            // The lease expires and the job is tried again; nothing is lost.
            deps.log.error({ err, paymentId: job.payment_id }, 'resolution step failed');
          }
        }),
      );
      if (stopped && !manual) return total;
    }
  };

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runDue()
      .catch((err) => {
        deps.log.error({ err }, 'resolution worker tick failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          setImmediate(tick);
        }
      });
  };

  timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    wake: () => setImmediate(tick),
    runDue: async () => {
      if (running) await running;
      return runDue(true);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (running) await running;
    },
  };
}
