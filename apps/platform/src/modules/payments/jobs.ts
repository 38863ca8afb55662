import type { Queryable } from '../../db/index.ts';
import { claimDue } from './claim.ts';

/**
 * Resolution jobs: one per payment whose outcome is not yet definite. Rows in PostgreSQL, claimed
 * with FOR UPDATE SKIP LOCKED under a lease, so they survive restarts and any number of platform
 * processes share the work without doing a job twice at once.
 */
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

export async function scheduleJob(
  tx: Queryable,
  paymentId: string,
  s: { phase?: 'query' | 'cancel'; nextRunAt: Date; queryDeadlineAt?: Date; lastResult?: string; cancelAttempted?: boolean },
): Promise<void> {
  await tx.query(
    `update resolution_jobs set
       phase = coalesce($2, phase),
       next_run_at = $3,
       query_deadline_at = coalesce($4, query_deadline_at),
       last_result = coalesce($5, last_result),
       cancel_attempts = cancel_attempts + (case when $6 then 1 else 0 end),
       locked_by = null, locked_until = null, updated_at = now()
     where payment_id = $1 and state = 'active'`,
    [paymentId, s.phase ?? null, s.nextRunAt, s.queryDeadlineAt ?? null, s.lastResult ?? null, s.cancelAttempted ?? false],
  );
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
