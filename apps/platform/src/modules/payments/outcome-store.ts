import type { Queryable } from '../../db/index.ts';
import type { Posting } from '../ledger/ledger.ts';
import type { PaymentChanges } from './store.ts';

export interface OutcomeWrite {
  paymentId: string;
  changes: PaymentChanges;
  event: { type: string; from: string; to: string; data: Record<string, unknown> };
  journals: { id: string; kind: string; postings: Posting[] }[];
  /** Close the resolution job with this note (the outcome is final). */
  finishJob?: string;
}

/**
 * Writes a decided outcome in one statement: the payment's new state, its event, its ledger
 * journals (each posted once: journal id + account is unique) and the end of its resolution job.
 * One round trip instead of four — this runs for every payment. Call it under the payment's row
 * lock, inside the transaction that checked the transition.
 */
export async function writeOutcome(tx: Queryable, w: OutcomeWrite): Promise<void> {
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
  const sql = `
    with upd as (
      update payments set ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} where id = $1 returning id
    ), evt as (
      insert into payment_events (payment_id, type, from_status, to_status, data)
      values ($1, ${p(w.event.type)}, ${p(w.event.from)}, ${p(w.event.to)}, ${p(JSON.stringify(w.event.data))}) returning id
    ), led as (
      insert into ledger_entries (journal_id, account, amount_fen, payment_id, kind)
      select j, a, f, $1, k from unnest(${p(postings.map((x) => x.journal))}::text[], ${p(postings.map((x) => x.account))}::text[],
        ${p(postings.map((x) => x.amountFen))}::bigint[], ${p(postings.map((x) => x.kind))}::text[]) as t(j, a, f, k)
      on conflict (journal_id, account) do nothing returning id
    ), job as (
      update resolution_jobs set state = 'done', last_result = ${p(w.finishJob ?? '')}, locked_until = null, updated_at = now()
      where payment_id = $1 and ${p(w.finishJob !== undefined)}::boolean returning payment_id
    )
    select (select count(*) from upd)::int as updated`;
  const r = await tx.query<{ updated: number }>(sql, params);
  if (r.rows[0]?.updated !== 1) throw new Error(`payment ${w.paymentId} was not updated`);
}
