-- Refunds (with their resolution jobs), the store supervisor PIN, received channel notifications
-- and security events.

-- 主管密码: scrypt$N$r$p$salt$hash (base64url). Without one, the store cannot refund.
alter table stores add column supervisor_pin_hash text;
alter table stores add column supervisor_pin_locked_until timestamptz;

-- Wrong supervisor PINs, counted over a sliding window for the lockout; pruned as they age.
create table supervisor_pin_failures (
  id bigserial primary key,
  store_id text not null references stores (id),
  terminal_id text,
  failed_at timestamptz not null default now()
);
create index supervisor_pin_failures_store on supervisor_pin_failures (store_id, failed_at);

create table refunds (
  id text primary key,
  payment_id text not null references payments (id),
  merchant_id text not null references merchants (id),
  store_id text not null references stores (id),
  terminal_id text not null references terminals (id),
  -- One out_request_no per refund, for life: every retry and query at the channel uses it.
  out_request_no text not null unique,
  amount_fen bigint not null check (amount_fen > 0),
  reason text,
  status text not null check (status in ('processing', 'succeeded', 'failed')),
  failure_code text,
  failure_cause text,
  failure_action text,
  channel_raw_code text,
  channel_raw_sub_code text,
  channel_raw_message text,
  idempotency_key text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  decided_at timestamptz
);
create index refunds_payment on refunds (payment_id, created_at);

-- A refund whose outcome is not yet definite has an active job until it is (query, then resend).
create table refund_jobs (
  refund_id text primary key references refunds (id),
  state text not null default 'active' check (state in ('active', 'done')),
  next_run_at timestamptz not null,
  attempts int not null default 0,
  locked_by text,
  locked_until timestamptz,
  last_result text,
  alerted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index refund_jobs_due on refund_jobs (next_run_at) where state = 'active';

-- Each verified channel notification is handled once: (channel, notify id, status) is the key.
create table channel_notifications (
  channel text not null,
  notify_id text not null,
  trade_status text not null,
  payment_id text not null references payments (id),
  effect text not null,
  received_at timestamptz not null default now(),
  primary key (channel, notify_id, trade_status)
);
create index channel_notifications_payment on channel_notifications (payment_id);

-- Refused notifications and other security-relevant refusals. `detail` never holds secrets.
create table security_events (
  id bigserial primary key,
  kind text not null,
  source text,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index security_events_created on security_events (created_at);
create index security_events_kind on security_events (kind, created_at);
