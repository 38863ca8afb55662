-- Resolution jobs: a payment whose outcome is not yet definite has one, until it is.
create table resolution_jobs (
  payment_id text primary key references payments (id),
  phase text not null check (phase in ('query', 'cancel')),
  state text not null default 'active' check (state in ('active', 'done')),
  next_run_at timestamptz not null,
  -- The query phase ends here; then cancel, immediately after the last query.
  query_deadline_at timestamptz not null,
  attempts int not null default 0,
  cancel_attempts int not null default 0,
  locked_by text,
  locked_until timestamptz,
  last_result text,
  -- Set once when the job is still undecided past the alert deadline; it keeps running.
  alerted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index resolution_jobs_due on resolution_jobs (next_run_at) where state = 'active';

-- Double-entry, append-only ledger. Each journal's postings sum to zero.
create table ledger_entries (
  id bigserial primary key,
  journal_id text not null,
  account text not null,
  amount_fen bigint not null check (amount_fen <> 0),
  payment_id text references payments (id),
  kind text not null,
  created_at timestamptz not null default now()
);
create index ledger_entries_payment on ledger_entries (payment_id);
create index ledger_entries_account on ledger_entries (account);
create unique index ledger_entries_journal_account on ledger_entries (journal_id, account);

create function ledger_entries_are_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'ledger entries are append-only: % refused', tg_op;
end;
$$;

create trigger ledger_entries_no_update before update or delete on ledger_entries
  for each row execute function ledger_entries_are_immutable();
create trigger ledger_entries_no_truncate before truncate on ledger_entries
  for each statement execute function ledger_entries_are_immutable();
