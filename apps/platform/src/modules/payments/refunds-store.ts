import type { RefundStatus } from '@scanpay/contracts';
import type { Queryable } from '../../db/index.ts';
import { claimDue } from './claim.ts';

export interface RefundRow {
  id: string;
  payment_id: string;
  merchant_id: string;
  store_id: string;
  terminal_id: string;
  out_request_no: string;
  amount_fen: number;
  reason: string | null;
  status: RefundStatus;
  failure_code: string | null;
  failure_cause: string | null;
  failure_action: string | null;
  channel_raw_code: string | null;
  channel_raw_sub_code: string | null;
  channel_raw_message: string | null;
  idempotency_key: string;
  created_at: Date;
  updated_at: Date;
  decided_at: Date | null;
}

export async function insertRefund(
  tx: Queryable,
  r: Pick<
    RefundRow,
    'id' | 'payment_id' | 'merchant_id' | 'store_id' | 'terminal_id' | 'out_request_no' | 'amount_fen' | 'reason' | 'idempotency_key'
  >,
): Promise<void> {
  await tx.query(
    `insert into refunds (id, payment_id, merchant_id, store_id, terminal_id, out_request_no, amount_fen, reason, status, idempotency_key)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'processing', $9)`,
    [r.id, r.payment_id, r.merchant_id, r.store_id, r.terminal_id, r.out_request_no, r.amount_fen, r.reason, r.idempotency_key],
  );
}

export async function findRefund(db: Queryable, id: string): Promise<RefundRow | undefined> {
  const r = await db.query<RefundRow>('select * from refunds where id = $1', [id]);
  return r.rows[0];
}

export async function lockRefund(tx: Queryable, id: string): Promise<RefundRow | undefined> {
  const r = await tx.query<RefundRow>('select * from refunds where id = $1 for update', [id]);
  return r.rows[0];
}

export async function listPaymentRefunds(db: Queryable, paymentId: string): Promise<RefundRow[]> {
  const r = await db.query<RefundRow>('select * from refunds where payment_id = $1 order by created_at, id', [paymentId]);
  return r.rows;
}

/** What is refunded or may still be: succeeded plus in-flight refunds. Read under the payment's lock. */
export async function reservedRefundFen(tx: Queryable, paymentId: string): Promise<number> {
  const r = await tx.query<{ total: number | null }>(
    `select sum(amount_fen)::bigint as total from refunds where payment_id = $1 and status in ('processing', 'succeeded')`,
    [paymentId],
  );
  return Number(r.rows[0]?.total ?? 0);
}

export async function markRefundSucceeded(tx: Queryable, id: string, at: Date): Promise<void> {
  await tx.query(`update refunds set status = 'succeeded', decided_at = $2, updated_at = now() where id = $1`, [id, at]);
}

export async function markRefundFailed(
  tx: Queryable,
  id: string,
  f: { code: string; cause: string; action: string; rawCode: string; rawSubCode?: string; rawMessage?: string; at: Date },
): Promise<void> {
  await tx.query(
    `update refunds set status = 'failed', failure_code = $2, failure_cause = $3, failure_action = $4, channel_raw_code = $5,
       channel_raw_sub_code = $6, channel_raw_message = $7, decided_at = $8, updated_at = now()
     where id = $1`,
    [id, f.code, f.cause, f.action, f.rawCode, f.rawSubCode ?? null, f.rawMessage?.slice(0, 512) ?? null, f.at],
  );
}

// ── refund jobs: claimed with FOR UPDATE SKIP LOCKED under a lease, like resolution jobs ──

export interface RefundJobRow {
  refund_id: string;
  state: 'active' | 'done';
  next_run_at: Date;
  attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  last_result: string | null;
  alerted_at: Date | null;
  created_at: Date;
}

export async function insertRefundJob(tx: Queryable, refundId: string, nextRunAt: Date): Promise<void> {
  await tx.query('insert into refund_jobs (refund_id, next_run_at) values ($1, $2)', [refundId, nextRunAt]);
}

export async function scheduleRefundJob(tx: Queryable, refundId: string, nextRunAt: Date, lastResult: string): Promise<void> {
  await tx.query(
    `update refund_jobs set next_run_at = $2, last_result = $3, locked_by = null, locked_until = null, updated_at = now()
     where refund_id = $1 and state = 'active'`,
    [refundId, nextRunAt, lastResult.slice(0, 256)],
  );
}

export async function finishRefundJob(tx: Queryable, refundId: string, lastResult: string): Promise<void> {
  await tx.query(
    `update refund_jobs set state = 'done', last_result = $2, locked_by = null, locked_until = null, updated_at = now()
     where refund_id = $1`,
    [refundId, lastResult.slice(0, 256)],
  );
}

export function claimDueRefundJobs(db: Queryable, nodeId: string, limit: number, leaseMs: number, now: Date): Promise<RefundJobRow[]> {
  return claimDue<RefundJobRow>(db, 'refund_jobs', { nodeId, limit, leaseMs, now });
}

export async function markRefundJobAlerted(db: Queryable, refundId: string): Promise<boolean> {
  const r = await db.query('update refund_jobs set alerted_at = now() where refund_id = $1 and alerted_at is null', [refundId]);
  return r.rowCount === 1;
}

/**
 * Makes the jobs of a payment's refunds in flight due now (a notification hinted at news; the
 * query decides) and returns how many refunds are in flight, due already or not.
 */
export async function makeRefundJobsDue(db: Queryable, paymentId: string, now: Date): Promise<number> {
  await db.query(
    `update refund_jobs set next_run_at = $2, updated_at = now()
     where state = 'active' and next_run_at > $2
       and refund_id in (select id from refunds where payment_id = $1 and status = 'processing')`,
    [paymentId, now],
  );
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from refunds where payment_id = $1 and status = 'processing'`,
    [paymentId],
  );
  return r.rows[0]?.n ?? 0;
}

export async function findRefundJob(db: Queryable, refundId: string): Promise<RefundJobRow | undefined> {
  const r = await db.query<RefundJobRow>('select * from refund_jobs where refund_id = $1', [refundId]);
  return r.rows[0];
}
