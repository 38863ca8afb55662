-- Merchant-presented QR orders (Alipay precreate, 顾客扫码) live in the payments table beside
-- payment-code payments: one state machine, one ledger, one resolution job per undecided payment.

alter table payments add column kind text not null default 'code' check (kind in ('code', 'qr'));
-- The QR the terminal shows (the channel's URL), stored so a retried request or a reload shows the same one.
alter table payments add column qr_code text;
-- When the platform stops waiting for the buyer to scan: then a final query, then cancel.
alter table payments add column qr_expires_at timestamptz;
