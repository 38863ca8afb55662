import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export async function freshServerDatabase(adminUrl: string): Promise<string> {
  const name = `scanpay_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** pgbench's simple-update script (-N) on its own scratch database, same client count: the store's ceiling. */
export async function pgbenchSimpleUpdateTps(adminUrl: string, clients: number, seconds = 10): Promise<number> {
  const url = new URL(await freshServerDatabase(adminUrl));
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
