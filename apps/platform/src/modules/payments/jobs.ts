import type { Queryable } from '../../db/index.ts';
import { claimDue } from './claim.ts';

/**
 * Resolution jobs: one per payment whose outcome is not yet definite. Rows in PostgreSQL, claimed
 * with FOR UPDATE SKIP LOCKED under a lease, so they survive restarts and any number of platform
 * processes share the work without doing a job twice at once.
 */
/**
 * SQL: the payment `$1` has a cancel under way (its job is active in the cancel phase). The cancel
 * then decides the payment; a "paid" meanwhile must not (see `applyOutcome`).
 */
export const CANCEL_UNDERWAY = `exists (select 1 from resolution_jobs where payment_id = $1 and state = 'active' and phase = 'cancel')`;

export async function cancelUnderway(db: Queryable, paymentId: string): Promise<boolean> {
  const r = await db.query<{ underway: boolean }>(`select ${CANCEL_UNDERWAY} as underway`, [paymentId]);
  return r.rows[0]?.underway === true;
}

export interface JobRow {
  payment_id: string;
  phase: 'query' | 'cancel';
  state: 'active' | 'done';
  next_run_at: Date;
  query_deadline_at: Date;
  attempts: number;
  cancel_attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  alerted_at: Date | null;
  created_at: Date;
}

export async function insertJob(
  tx: Queryable,
  j: { paymentId: string; nextRunAt: Date; queryDeadlineAt: Date },
): Promise<void> {
  await tx.query(
    `insert into resolution_jobs (payment_id, phase, next_run_at, query_deadline_at) values ($1, 'query', $2, $3)`,
    [j.paymentId, j.nextRunAt, j.queryDeadlineAt],
  );
}

/**
 * The next step of a job. A query is never scheduled past the query deadline: the last query runs
 * at the deadline and the cancel straight after it (brief §4.3). The deadline is read from the row,
 * so a cashier's stop that moved it while this step ran is honoured at once.
 */
export async function scheduleJob(
  tx: Queryable,
  paymentId: string,
  s: { phase?: 'query' | 'cancel'; nextRunAt: Date; queryDeadlineAt?: Date; lastResult?: string; cancelAttempted?: boolean },
): Promise<void> {
  await tx.query(
    `update resolution_jobs set
       phase = coalesce($2, phase),
       next_run_at = case when coalesce($2, phase) = 'query'
         then least($3::timestamptz, coalesce($4::timestamptz, query_deadline_at)) else $3::timestamptz end,
       query_deadline_at = coalesce($4::timestamptz, query_deadline_at),
       last_result = coalesce($5, last_result),
       cancel_attempts = cancel_attempts + (case when $6 then 1 else 0 end),
       locked_by = null, locked_until = null, updated_at = now()
     where payment_id = $1 and state = 'active'`,
    [paymentId, s.phase ?? null, s.nextRunAt, s.queryDeadlineAt ?? null, s.lastResult ?? null, s.cancelAttempted ?? false],
  );
}

/**
 * A cashier's stop (取消收款): the query phase ends now — one final query, then cancel — and a job
 * already cancelling retries now. Only the schedule moves: a step that is running keeps its lease
 * (nothing calls the channel beside it) and, when it reschedules, meets the new deadline.
 */
export async function stopWaiting(tx: Queryable, paymentId: string, now: Date): Promise<boolean> {
  const r = await tx.query(
    `update resolution_jobs set
       query_deadline_at = least(query_deadline_at, $2::timestamptz),
       next_run_at = least(next_run_at, $2::timestamptz),
       last_result = 'cashier stop: final query, then cancel', updated_at = now()
     where payment_id = $1 and state = 'active'`,
    [paymentId, now],
  );
  return r.rowCount === 1;
}

export async function finishJob(tx: Queryable, paymentId: string, lastResult: string): Promise<void> {
  await tx.query(
    // locked_by stays: it tells which node decided the payment.
    `update resolution_jobs set state = 'done', last_result = $2, locked_until = null, updated_at = now()
     where payment_id = $1`,
    [paymentId, lastResult],
  );
}

export function claimDueJobs(db: Queryable, nodeId: string, limit: number, leaseMs: number, now: Date): Promise<JobRow[]> {
  return claimDue<JobRow>(db, 'resolution_jobs', { nodeId, limit, leaseMs, now });
}

export async function markAlerted(db: Queryable, paymentId: string): Promise<boolean> {
  const r = await db.query(
    'update resolution_jobs set alerted_at = now() where payment_id = $1 and alerted_at is null',
    [paymentId],
  );
  return r.rowCount === 1;
}

export async function findJob(db: Queryable, paymentId: string): Promise<JobRow | undefined> {
  const r = await db.query<JobRow>('select * from resolution_jobs where payment_id = $1', [paymentId]);
  return r.rows[0];
}

export async function countActiveJobs(db: Queryable): Promise<number> {
  const r = await db.query<{ n: number }>(`select count(*)::int as n from resolution_jobs where state = 'active'`);
  return r.rows[0]?.n ?? 0;
}
