import type { Queryable } from '../../db/index.ts';
import type { Posting } from '../ledger/ledger.ts';
import { CANCEL_UNDERWAY } from './jobs.ts';
import type { PaymentChanges } from './store.ts';

export interface OutcomeWrite {
  paymentId: string;
  changes: PaymentChanges;
  event: { type: string; from: string; to: string; data: Record<string, unknown> };
  journals: { id: string; kind: string; postings: Posting[] }[];
  /** Close the resolution job with this note (the outcome is final). */
  finishJob?: string;
  /** Write only if the payment is still at this version (no lock held): answers false otherwise. */
  expectVersion?: number;
  /** Also store the idempotent reply to the request that made this outcome. */
  completeKey?: KeyCompletion;
}

export interface KeyCompletion {
  terminalId: string;
  key: string;
  status: number;
  body: unknown;
}

/**
 * Writes a decided outcome in one statement: the payment's new state, its event, its ledger
 * journals (each posted once: journal id + account is unique), the end of its resolution job and,
 * when asked, the stored idempotent reply. One round trip instead of several — this runs for every
 * payment. Call it under the payment's row lock, inside the transaction that checked the
 * transition; or without a lock, with `expectVersion`, as one self-contained statement that writes
 * everything or nothing (every part is gated on the payment's update).
 */
export async function writeOutcome(tx: Queryable, w: OutcomeWrite): Promise<boolean> {
  const params: unknown[] = [w.paymentId];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const sets = Object.entries(w.changes)
    .filter(([, v]) => v !== undefined)
    .map(([column, value]) => `${column} = ${p(value)}`);
  const postings = w.journals.flatMap((j) => j.postings.map((x) => ({ journal: j.id, kind: j.kind, ...x })));
  for (const j of w.journals) {
    const sum = j.postings.reduce((s, x) => s + x.amountFen, 0);
    if (sum !== 0) throw new Error(`journal ${j.id} does not balance: ${sum}`);
  }
  // Unlocked writes apply only to the row as it was read, and never while a cancel is under way (that
  // case takes the locked path, which lets the cancel decide).
  const versionGuard =
    w.expectVersion === undefined
      ? ''
      : ` and version = ${p(w.expectVersion)} and not ${CANCEL_UNDERWAY}`;
  const key = w.completeKey;
  const sql = `
    with upd as (
      update payments set ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} where id = $1${versionGuard} returning id
    ), evt as (
      insert into payment_events (payment_id, type, from_status, to_status, data)
      select $1::text, ${p(w.event.type)}::text, ${p(w.event.from)}::text, ${p(w.event.to)}::text, ${p(JSON.stringify(w.event.data))}::jsonb from upd returning id
    ), led as (
      insert into ledger_entries (journal_id, account, amount_fen, payment_id, kind)
      select j, a, f, $1, k from upd, unnest(${p(postings.map((x) => x.journal))}::text[], ${p(postings.map((x) => x.account))}::text[],
        ${p(postings.map((x) => x.amountFen))}::bigint[], ${p(postings.map((x) => x.kind))}::text[]) as t(j, a, f, k)
      on conflict (journal_id, account) do nothing returning id
    ), job as (
      update resolution_jobs set state = 'done', last_result = ${p(w.finishJob ?? '')}, locked_until = null, updated_at = now()
      where payment_id = $1 and ${p(w.finishJob !== undefined)}::boolean and exists (select 1 from upd) returning payment_id
    )${key ? `, reply as (
      update idempotency_keys set locked_until = null, response_status = ${p(key.status)}::int, response_body = ${p(JSON.stringify(key.body))}::jsonb
      where terminal_id = ${p(key.terminalId)} and key = ${p(key.key)} and exists (select 1 from upd) returning key
    )` : ''}
    select (select count(*) from upd)::int as updated`;
  const r = await tx.query<{ updated: number }>(sql, params);
  const updated = r.rows[0]?.updated === 1;
  if (!updated && w.expectVersion === undefined) throw new Error(`payment ${w.paymentId} was not updated`);
  return updated;
}
