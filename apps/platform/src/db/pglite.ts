import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult, Queryable } from './types.ts';
import { acquireFolderLock } from './folder-lock.ts';

/**
 * Embedded PostgreSQL in a data folder. PGlite does not stop a second instance from opening the
 * same folder, and two at once corrupt it (FEASIBILITY.md §2), so we hold an exclusive lock file
 * for the life of the instance.
 */
export async function openPglite(dir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Db> {
  let release = () => {};
  if (dir) {
    mkdirSync(dirname(dir), { recursive: true });
    release = acquireFolderLock(dir);
  }
  let pg: PGlite;
  try {
    const options = opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {};
    pg = dir ? await PGlite.create(dir, options) : await PGlite.create(options);
  } catch (err) {
    release();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const r = await q.query<Row>(sql, params as unknown[]);
      // PGlite reports affectedRows 0 for a SELECT; count the rows then, as pg does.
      return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
    },
  });
  const base = wrap(pg);
  return {
    kind: 'pglite',
    query: base.query,
    // One PGlite instance is one backend: transactions run one after another (FEASIBILITY.md §2).
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    dumpDataDir: () => pg.dumpDataDir('none'),
    close: async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
