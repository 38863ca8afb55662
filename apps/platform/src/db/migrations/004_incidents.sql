-- Diagnosis: incidents (the evidence and the ranked causes) and the device-auth refusals seen per terminal.

create table incidents (
  id text primary key,
  terminal_id text not null references terminals (id),
  merchant_id text not null references merchants (id),
  -- Evidence as the diagnosis package defines it: the terminal's, then what the platform added.
  evidence jsonb not null,
  -- The ranked causes; each match refers to the evidence by index instead of repeating it.
  diagnosis jsonb not null,
  top_cause text,
  top_confidence real,
  created_at timestamptz not null default now()
);
create index incidents_terminal_created on incidents (terminal_id, created_at desc);
-- Fleet correlation reads incidents by cause over a time window.
create index incidents_cause_created on incidents (top_cause, created_at desc);

-- One row per terminal and refusal code, bumped on each refusal: bounded, one upsert per refusal.
create table terminal_refusals (
  terminal_id text not null references terminals (id),
  code text not null,
  count bigint not null default 1,
  first_at timestamptz not null default now(),
  last_at timestamptz not null default now(),
  -- For TRM_TIMESTAMP_SKEW: the terminal's clock minus ours, in ms, at the last refusal.
  last_clock_offset_ms bigint,
  primary key (terminal_id, code)
);
