import type { Queryable } from '../../db/index.ts';

export interface IncidentRow {
  id: string;
  terminal_id: string;
  merchant_id: string;
  evidence: unknown[];
  diagnosis: unknown;
  top_cause: string | null;
  top_confidence: number | null;
  created_at: Date;
}

export async function insertIncident(
  db: Queryable,
  i: { id: string; terminalId: string; merchantId: string; evidence: unknown[]; diagnosis: unknown; topCause: string | null; topConfidence: number | null },
): Promise<IncidentRow> {
  const r = await db.query<IncidentRow>(
    `insert into incidents (id, terminal_id, merchant_id, evidence, diagnosis, top_cause, top_confidence)
     values ($1, $2, $3, $4, $5, $6, $7) returning *`,
    [i.id, i.terminalId, i.merchantId, JSON.stringify(i.evidence), JSON.stringify(i.diagnosis), i.topCause, i.topConfidence],
  );
  return r.rows[0]!;
}

export async function findIncident(db: Queryable, id: string): Promise<IncidentRow | undefined> {
  const r = await db.query<IncidentRow>('select * from incidents where id = $1', [id]);
  return r.rows[0];
}

export interface RefusalRow {
  code: string;
  count: number;
  last_at: Date;
  last_clock_offset_ms: number | null;
}

/**
 * One upsert per refusal, only for terminals that exist (the id in the header is unverified, so
 * an unknown id adds nothing): the table stays one row per terminal and code.
 */
export async function recordRefusal(db: Queryable, terminalId: string, code: string, clockOffsetMs: number | null): Promise<void> {
  await db.query(
    `insert into terminal_refusals (terminal_id, code, last_clock_offset_ms)
     select $1, $2, $3 where exists (select 1 from terminals where id = $1)
     on conflict (terminal_id, code) do update
       set count = terminal_refusals.count + 1, last_at = now(), last_clock_offset_ms = excluded.last_clock_offset_ms`,
    [terminalId, code, clockOffsetMs],
  );
}

export async function recentRefusals(db: Queryable, terminalId: string, sinceMs: number): Promise<RefusalRow[]> {
  const r = await db.query<RefusalRow>(
    `select code, count::int as count, last_at, last_clock_offset_ms::float8 as last_clock_offset_ms
       from terminal_refusals
      where terminal_id = $1 and last_at > now() - ($2::bigint * interval '1 millisecond')
      order by last_at desc`,
    [terminalId, sinceMs],
  );
  return r.rows;
}

/** Read-only look at the payments module's event log: why recent calls got no answer. */
export async function channelUnknownsOf(
  db: Queryable,
  paymentIds: readonly string[],
): Promise<{ payment_id: string; reason: string; created_at: Date }[]> {
  if (paymentIds.length === 0) return [];
  const r = await db.query<{ payment_id: string; reason: string; created_at: Date }>(
    `select payment_id, data->>'reason' as reason, created_at from payment_events
      where payment_id = any($1::text[]) and type = 'channel.unknown' order by id desc`,
    [paymentIds],
  );
  return r.rows;
}
