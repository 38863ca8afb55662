-- Merchants, their stores and terminals; payments with their events; idempotency; nonces.

create table merchants (
  id text primary key,
  name text not null,
  status text not null default 'active' check (status in ('active', 'frozen', 'under_review', 'closed')),
  -- The merchant's account at the channel (Alipay seller_id, 2088…), checked on every answer.
  channel_seller_id text,
  -- Service-provider mode: the merchant's authorisation token for the channel (app_auth_token).
  channel_auth_token text,
  created_at timestamptz not null default now()
);

create table stores (
  id text primary key,
  merchant_id text not null references merchants (id),
  name text not null,
  created_at timestamptz not null default now()
);
create index stores_merchant on stores (merchant_id);

create table terminals (
  id text primary key,
  merchant_id text not null references merchants (id),
  store_id text not null references stores (id),
  serial text unique,
  status text not null default 'pending' check (status in ('pending', 'active', 'disabled')),
  activation_code_hash text unique,
  activation_expires_at timestamptz,
  public_key_jwk jsonb,
  activated_at timestamptz,
  app_version text,
  os_version text,
  created_at timestamptz not null default now()
);
create index terminals_merchant on terminals (merchant_id);

-- Nonces of signed terminal requests, kept for the replay window and then pruned.
create table request_nonces (
  terminal_id text not null,
  nonce text not null,
  seen_at timestamptz not null default now(),
  primary key (terminal_id, nonce)
);
create index request_nonces_seen on request_nonces (seen_at);

create table payments (
  id text primary key,
  merchant_id text not null references merchants (id),
  store_id text not null references stores (id),
  terminal_id text not null references terminals (id),
  -- One out_trade_no per payment, for life: every query and cancel uses it, pay is sent once.
  out_trade_no text not null unique,
  channel text not null,
  amount_fen bigint not null check (amount_fen > 0),
  currency text not null default 'CNY',
  subject text not null,
  status text not null check (status in (
    'processing', 'waiting_buyer', 'succeeded', 'failed', 'cancelled', 'reversed',
    'partially_refunded', 'refunded')),
  channel_trade_no text,
  paid_amount_fen bigint,
  refunded_fen bigint not null default 0,
  buyer_logon_id text,
  -- Only a masked form of the payment code is kept (prefix and length).
  paycode_masked text not null,
  failure_code text,
  failure_cause text,
  failure_action text,
  channel_raw_code text,
  channel_raw_sub_code text,
  channel_raw_message text,
  operator_id text,
  idempotency_key text not null,
  version int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  decided_at timestamptz
);
create index payments_merchant_created on payments (merchant_id, created_at desc);
create index payments_terminal_created on payments (terminal_id, created_at desc);

create table payment_events (
  id bigserial primary key,
  payment_id text not null references payments (id),
  type text not null,
  from_status text,
  to_status text,
  data jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index payment_events_payment on payment_events (payment_id, id);

-- The first answer to a write, keyed by the terminal and its Idempotency-Key.
create table idempotency_keys (
  terminal_id text not null,
  key text not null,
  request_hash text not null,
  method text not null,
  path text not null,
  resource_id text,
  response_status int,
  response_body jsonb,
  -- While a request holds the key (its channel call is in flight) others get 409.
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  primary key (terminal_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
