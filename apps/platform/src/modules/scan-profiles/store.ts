import { DEFAULT_SCAN_PROFILE, type EffectiveScanProfile, type ScanProfile } from '@scanpay/contracts';
import type { Queryable } from '../../db/index.ts';

export type ProfileScope = 'fleet' | 'merchant' | 'terminal';

interface ProfileRow {
  scope: ProfileScope;
  profile: ScanProfile;
  version: number;
  updated_at: Date;
}

/** Sets (or replaces) the profile of one scope; every change takes a new version. */
export async function setScanProfile(db: Queryable, scope: ProfileScope, scopeId: string, profile: ScanProfile): Promise<number> {
  const r = await db.query<{ version: number }>(
    `insert into scan_profiles (scope, scope_id, profile) values ($1, $2, $3)
     on conflict (scope, scope_id) do update
       set profile = excluded.profile, version = nextval('scan_profile_versions'), updated_at = now()
     returning version::int as version`,
    [scope, scopeId, JSON.stringify(profile)],
  );
  return r.rows[0]!.version;
}

/** Removes a scope's profile (the next wider one applies); false when none was set. */
export async function clearScanProfile(db: Queryable, scope: ProfileScope, scopeId: string): Promise<boolean> {
  const r = await db.query('delete from scan_profiles where scope = $1 and scope_id = $2', [scope, scopeId]);
  return r.rowCount > 0;
}

export async function findScanProfile(db: Queryable, scope: ProfileScope, scopeId: string): Promise<ScanProfile | null> {
  const r = await db.query<{ profile: ScanProfile }>('select profile from scan_profiles where scope = $1 and scope_id = $2', [scope, scopeId]);
  return r.rows[0]?.profile ?? null;
}

/**
 * The profile in force: the terminal's own, else its merchant's, else the fleet's, else the built-in
 * one. Without a terminal (or a merchant) the narrower scopes are left out: the fleet default alone.
 */
export async function effectiveScanProfile(db: Queryable, at: { terminalId?: string; merchantId?: string } = {}): Promise<EffectiveScanProfile> {
  const r = await db.query<ProfileRow>(
    `select scope, profile, version::int as version, updated_at from scan_profiles
     where (scope = 'terminal' and scope_id = $1) or (scope = 'merchant' and scope_id = $2) or (scope = 'fleet' and scope_id = '')
     order by case scope when 'terminal' then 0 when 'merchant' then 1 else 2 end
     limit 1`,
    [at.terminalId ?? null, at.merchantId ?? null],
  );
  const row = r.rows[0];
  if (!row) return { profile: DEFAULT_SCAN_PROFILE, version: 0, source: 'builtin', updatedAt: null };
  return { profile: row.profile, version: row.version, source: row.scope, updatedAt: new Date(row.updated_at).toISOString() };
}
