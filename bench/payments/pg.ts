import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { createScratchDatabase } from '@scanpay/cli/harness';

/** pgbench's simple-update script (-N) on its own scratch database, same client count: the store's ceiling. */
export async function pgbenchSimpleUpdateTps(adminUrl: string, clients: number, seconds = 10): Promise<number> {
  const url = new URL(await createScratchDatabase(adminUrl, 'scanpay_pgbench'));
  const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres'];
  const db = url.pathname.slice(1);
  execFileSync('pgbench', [...args, '-i', '-q', '-s', '1', db], { stdio: 'ignore' });
  const out = execFileSync('pgbench', [...args, '-N', '-c', String(clients), '-j', '2', '-T', String(seconds), db], { encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`pgbench printed no tps:\n${out}`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${db} with (force)`).finally(() => admin.end());
  return Number(m[1]);
}
