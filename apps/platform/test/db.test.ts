import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/index.ts';
import { loadMigrations, splitStatements } from '../src/db/migrate.ts';
import { PAYMENT_COLUMNS } from '../src/modules/payments/store.ts';
import { describeEachBackend } from './db-backends.ts';

describe('migrations', () => {
  it('are numbered without gaps', () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('keep dollar-quoted function bodies whole when split', () => {
    const parts = splitStatements('create table a (x int);\ncreate function f() returns int language sql as $$\n select 1;\n$$;\nselect 2;');
    expect(parts).toHaveLength(3);
    expect(parts[1]).toContain('select 1;');
  });
});

describeEachBackend('database', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(() => db?.close());

  it('applies every migration once', async () => {
    const r = await db.query<{ n: number }>('select count(*)::int as n from schema_migrations');
    expect(r.rows[0]?.n).toBe(loadMigrations().length);
  });

  it('names every column of payments in PAYMENT_COLUMNS (currency, always CNY, is never read)', async () => {
    const r = await db.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'payments' and table_schema = current_schema() order by ordinal_position`,
    );
    expect(PAYMENT_COLUMNS.split(', ')).toEqual(r.rows.map((c) => c.column_name).filter((c) => c !== 'currency'));
  });

  it('refuses to change or delete a posted ledger entry', async () => {
    await db.query(
      `insert into ledger_entries (journal_id, account, amount_fen, kind) values ('j1', 'a', 5, 't'), ('j1', 'b', -5, 't')`,
    );
    await expect(db.query(`update ledger_entries set amount_fen = 6 where journal_id = 'j1'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from ledger_entries where journal_id = 'j1'`)).rejects.toThrow(/append-only/);
    const r = await db.query<{ s: number }>(`select sum(amount_fen)::bigint as s from ledger_entries where journal_id = 'j1'`);
    expect(r.rows[0]?.s).toBe(0);
  });

  it('returns int8 as a number', async () => {
    const r = await db.query<{ v: number }>('select 10000000000::bigint as v');
    expect(r.rows[0]?.v).toBe(10_000_000_000);
  });

  it('rolls a failed transaction back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into merchants (id, name) values ('mch_rollback', 'x')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const r = await db.query(`select 1 from merchants where id = 'mch_rollback'`);
    expect(r.rowCount).toBe(0);
  });
});

describe('embedded data folder', () => {
  it('refuses a second opener of the same folder while the first is open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanpay-lock-'));
    const first = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/already open|in use/);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir: dir });
    await again.query(`insert into merchants (id, name) values ('mch_persist', 'kept')`);
    await again.close();
    const third = await openDatabase({ dataDir: dir });
    const r = await third.query<{ name: string }>(`select name from merchants where id = 'mch_persist'`);
    expect(r.rows[0]?.name).toBe('kept');
    await third.close();
  });
});
