-- Scan profiles the operator sets (PRODUCT.md 四.2): a fleet default, per merchant, per terminal.
-- The narrowest scope set wins; with none set the terminal runs the built-in default.
-- `scope_id` is '' for the fleet, else the merchant's or the terminal's id.
create sequence scan_profile_versions;
create table scan_profiles (
  scope text not null check (scope in ('fleet', 'merchant', 'terminal')),
  scope_id text not null,
  profile jsonb not null,
  -- From one sequence for every scope, so any change to the profile in force changes its version.
  version bigint not null default nextval('scan_profile_versions'),
  updated_at timestamptz not null default now(),
  primary key (scope, scope_id),
  check ((scope = 'fleet') = (scope_id = ''))
);
