import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';
import { type Db, openDatabase } from '../src/db/index.ts';
import { loadMigrations } from '../src/db/migrate.ts';

/**
 * Every service test runs on both stores: embedded PGlite always, and a PostgreSQL server when
 * TEST_DATABASE_URL is set (CI sets it). Each test file gets its own fresh database.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<Db>;
}

export const backends: Backend[] = [
  { name: 'pglite', open: openTemplatedPglite },
  ...(TEST_DATABASE_URL ? [{ name: 'postgres' as const, open: () => openFreshServerDatabase(TEST_DATABASE_URL) }] : []),
];

/** `describe` once per backend; without a server, one clearly named skipped block says why. */
export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  for (const backend of backends) describe(`${title} [${backend.name}]`, () => body(backend));
  if (!TEST_DATABASE_URL) {
    describe.skip(`${title} [postgres] — skipped: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run`, () => {
      it('runs against a PostgreSQL server', () => {});
    });
  }
}

/** Creates a uniquely named database on the server; closing the Db drops it. */
export async function openFreshServerDatabase(adminUrl: string): Promise<Db> {
  const name = `scanpay_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  return {
    ...db,
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * initdb makes a fresh PGlite cost several seconds; a migrated database dumped once (per set of
 * migrations) and loaded by every test file takes under two.
 */
async function openTemplatedPglite(): Promise<Db> {
  const hash = createHash('sha256');
  for (const m of loadMigrations()) hash.update(m.sql);
  const file = join(tmpdir(), `scanpay-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(file)) {
    return openDatabase({ inMemory: true, loadDataDir: new Blob([readFileSync(file)]) });
  }
  const db = await openDatabase({ inMemory: true });
  const dump = await db.dumpDataDir?.();
  if (dump) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  return db;
}
