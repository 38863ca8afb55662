import type { Queryable } from '../../db/index.ts';

/** The job tables and their keys; names come from here only, never from input. */
const JOB_TABLES = {
  resolution_jobs: 'payment_id',
  refund_jobs: 'refund_id',
} as const;

/**
 * Claims up to `limit` due jobs under a lease, skipping rows another node is claiming right now
 * (FOR UPDATE SKIP LOCKED). `now` is the platform's clock — the one that scheduled the jobs —
 * not the database's. A node that dies holding a lease loses it when the lease ends.
 */
export async function claimDue<Row>(
  db: Queryable,
  table: keyof typeof JOB_TABLES,
  claim: { nodeId: string; limit: number; leaseMs: number; now: Date },
): Promise<Row[]> {
  const key = JOB_TABLES[table];
  const r = await db.query<Row>(
    `update ${table} set locked_by = $1, locked_until = $4::timestamptz + ($3::bigint * interval '1 millisecond'),
       attempts = attempts + 1, updated_at = now()
     where ${key} in (
       select ${key} from ${table}
       where state = 'active' and next_run_at <= $4 and (locked_until is null or locked_until < $4)
       order by next_run_at
       limit $2
       for update skip locked)
     returning *`,
    [claim.nodeId, claim.limit, claim.leaseMs, claim.now],
  );
  return r.rows;
}
