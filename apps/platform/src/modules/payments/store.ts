import type { PaymentStatus } from '@scanpay/contracts';
import type { Queryable } from '../../db/index.ts';

export interface PaymentRow {
  id: string;
  merchant_id: string;
  store_id: string;
  terminal_id: string;
  out_trade_no: string;
  channel: string;
  amount_fen: number;
  subject: string;
  status: PaymentStatus;
  channel_trade_no: string | null;
  paid_amount_fen: number | null;
  refunded_fen: number;
  buyer_logon_id: string | null;
  paycode_masked: string;
  failure_code: string | null;
  failure_cause: string | null;
  failure_action: string | null;
  channel_raw_code: string | null;
  channel_raw_sub_code: string | null;
  channel_raw_message: string | null;
  operator_id: string | null;
  idempotency_key: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  decided_at: Date | null;
  /** `code`: the customer's payment code was scanned; `qr`: the customer scans our QR (precreate). */
  kind: 'code' | 'qr';
  qr_code: string | null;
  qr_expires_at: Date | null;
}

/**
 * Every column of PaymentRow, in the table's order. Statements read payments by these names, not `*`,
 * so that they can be prepared (see db/postgres.ts); a test checks the list against the table.
 */
export const PAYMENT_COLUMNS =
  'id, merchant_id, store_id, terminal_id, out_trade_no, channel, amount_fen, subject, status, channel_trade_no, ' +
  'paid_amount_fen, refunded_fen, buyer_logon_id, paycode_masked, failure_code, failure_cause, failure_action, ' +
  'channel_raw_code, channel_raw_sub_code, channel_raw_message, operator_id, idempotency_key, version, created_at, ' +
  'updated_at, decided_at, kind, qr_code, qr_expires_at';

export async function insertPayment(
  tx: Queryable,
  p: Pick<
    PaymentRow,
    | 'id' | 'merchant_id' | 'store_id' | 'terminal_id' | 'out_trade_no' | 'channel' | 'amount_fen' | 'subject'
    | 'paycode_masked' | 'operator_id' | 'idempotency_key' | 'created_at'
  >,
): Promise<void> {
  await tx.query(
    `insert into payments (id, merchant_id, store_id, terminal_id, out_trade_no, channel, amount_fen, subject,
       status, paycode_masked, operator_id, idempotency_key, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'processing', $9, $10, $11, $12, $12)`,
    [p.id, p.merchant_id, p.store_id, p.terminal_id, p.out_trade_no, p.channel, p.amount_fen, p.subject,
      p.paycode_masked, p.operator_id, p.idempotency_key, p.created_at],
  );
}

/**
 * Writes a payment intent with its idempotency key, first event and resolution job in one
 * statement; returns the payment, or nothing when the terminal already used this key.
 */
export async function insertIntent(
  db: Queryable,
  i: {
    payment: Parameters<typeof insertPayment>[1] & Partial<Pick<PaymentRow, 'kind' | 'qr_expires_at'>>;
    /** The route the idempotency key belongs to. */
    path: '/v1/payments' | '/v1/payments/qr';
    requestHash: string;
    keyLockedUntil: Date;
    jobNextRunAt: Date;
    jobQueryDeadlineAt: Date;
  },
): Promise<PaymentRow | undefined> {
  const p = i.payment;
  const r = await db.query<PaymentRow>(
    `with key as (
       insert into idempotency_keys (terminal_id, key, request_hash, method, path, resource_id, locked_until)
       values ($4, $11, $13, 'POST', $17, $1, $14)
       on conflict (terminal_id, key) do nothing returning 1
     ), pay as (
       insert into payments (id, merchant_id, store_id, terminal_id, out_trade_no, channel, amount_fen, subject,
         status, paycode_masked, operator_id, idempotency_key, created_at, updated_at, kind, qr_expires_at)
       select $1, $2, $3, $4, $5, $6, $7, $8, 'processing', $9, $10, $11, $12, $12, $18, $19 where exists (select 1 from key)
       returning ${PAYMENT_COLUMNS}
     ), evt as (
       insert into payment_events (payment_id, type, to_status, data, created_at)
       select id, 'created', 'processing', jsonb_build_object('amountFen', amount_fen), created_at from pay
     ), job as (
       insert into resolution_jobs (payment_id, phase, next_run_at, query_deadline_at)
       select id, 'query', $15, $16 from pay
     )
     select ${PAYMENT_COLUMNS} from pay`,
    [p.id, p.merchant_id, p.store_id, p.terminal_id, p.out_trade_no, p.channel, p.amount_fen, p.subject,
      p.paycode_masked, p.operator_id, p.idempotency_key, p.created_at, i.requestHash, i.keyLockedUntil,
      i.jobNextRunAt, i.jobQueryDeadlineAt, i.path, p.kind ?? 'code', p.qr_expires_at ?? null],
  );
  return r.rows[0];
}

export async function findPayment(db: Queryable, id: string): Promise<PaymentRow | undefined> {
  const r = await db.query<PaymentRow>(`select ${PAYMENT_COLUMNS} from payments where id = $1`, [id]);
  return r.rows[0];
}

export async function findPaymentByOutTradeNo(db: Queryable, outTradeNo: string): Promise<PaymentRow | undefined> {
  const r = await db.query<PaymentRow>(`select ${PAYMENT_COLUMNS} from payments where out_trade_no = $1`, [outTradeNo]);
  return r.rows[0];
}

export async function lockPayment(tx: Queryable, id: string): Promise<PaymentRow | undefined> {
  const r = await tx.query<PaymentRow>(`select ${PAYMENT_COLUMNS} from payments where id = $1 for update`, [id]);
  return r.rows[0];
}

export type PaymentChanges = Partial<
  Pick<
    PaymentRow,
    | 'status' | 'channel_trade_no' | 'paid_amount_fen' | 'refunded_fen' | 'buyer_logon_id' | 'failure_code'
    | 'failure_cause' | 'failure_action' | 'channel_raw_code' | 'channel_raw_sub_code' | 'channel_raw_message' | 'decided_at'
    | 'qr_code'
  >
>;

export async function updatePayment(tx: Queryable, id: string, changes: PaymentChanges): Promise<void> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const sets = entries.map(([k], i) => `${k} = $${i + 2}`);
  await tx.query(
    `update payments set ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} where id = $1`,
    [id, ...entries.map(([, v]) => v)],
  );
}

export async function insertPaymentEvent(
  tx: Queryable,
  e: { paymentId: string; type: string; from?: PaymentStatus | null; to?: PaymentStatus | null; data?: Record<string, unknown> },
): Promise<void> {
  await tx.query(
    'insert into payment_events (payment_id, type, from_status, to_status, data) values ($1, $2, $3, $4, $5)',
    [e.paymentId, e.type, e.from ?? null, e.to ?? null, JSON.stringify(e.data ?? {})],
  );
}

export async function listPaymentEvents(
  db: Queryable,
  paymentId: string,
): Promise<{ type: string; from_status: string | null; to_status: string | null; data: Record<string, unknown>; created_at: Date }[]> {
  const r = await db.query<{ type: string; from_status: string | null; to_status: string | null; data: Record<string, unknown>; created_at: Date }>(
    'select type, from_status, to_status, data, created_at from payment_events where payment_id = $1 order by id',
    [paymentId],
  );
  return r.rows;
}

export async function listTerminalPayments(db: Queryable, terminalId: string, limit: number): Promise<PaymentRow[]> {
  const r = await db.query<PaymentRow>(
    `select ${PAYMENT_COLUMNS} from payments where terminal_id = $1 order by created_at desc limit $2`,
    [terminalId, limit],
  );
  return r.rows;
}
