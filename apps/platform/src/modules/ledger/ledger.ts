import type { Queryable } from '../../db/index.ts';

/**
 * The double-entry ledger: each journal is a set of postings summing to zero, posted once
 * (journal id + account is unique) and never changed (a trigger refuses UPDATE and DELETE).
 * Debits are positive. `channel:<id>:clearing` is what the channel owes us; `merchant:<id>:payable`
 * is what we owe the merchant.
 */
export interface Posting {
  account: string;
  amountFen: number;
}

export const clearingAccount = (channel: string) => `channel:${channel}:clearing`;
export const merchantPayableAccount = (merchantId: string) => `merchant:${merchantId}:payable`;

export async function postJournal(
  tx: Queryable,
  journal: { id: string; kind: string; paymentId: string; postings: Posting[] },
): Promise<boolean> {
  const sum = journal.postings.reduce((s, p) => s + p.amountFen, 0);
  if (sum !== 0) throw new Error(`journal ${journal.id} does not balance: ${sum}`);
  const r = await tx.query(
    `insert into ledger_entries (journal_id, account, amount_fen, payment_id, kind)
     select $1, a, f, $2, $3 from unnest($4::text[], $5::bigint[]) as p(a, f)
     on conflict (journal_id, account) do nothing`,
    [journal.id, journal.paymentId, journal.kind, journal.postings.map((p) => p.account), journal.postings.map((p) => p.amountFen)],
  );
  return r.rowCount > 0;
}

export async function accountBalance(db: Queryable, account: string): Promise<number> {
  const r = await db.query<{ total: number | null }>(
    'select sum(amount_fen)::bigint as total from ledger_entries where account = $1',
    [account],
  );
  return r.rows[0]?.total ?? 0;
}
