import { join } from 'node:path';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

export type { Db, Queryable, QueryResult } from './types.ts';
export { migrate } from './migrate.ts';

/** PostgreSQL server when `databaseUrl` is given, otherwise PGlite in `<dataDir>/pgdata`. */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir?: string;
  inMemory?: boolean;
  /** PGlite: start from this dump of a data folder instead of running initdb. */
  loadDataDir?: Blob;
}): Promise<Db> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(
        options.inMemory || !options.dataDir ? undefined : join(options.dataDir, 'pgdata'),
        options.loadDataDir ? { loadDataDir: options.loadDataDir } : {},
      );
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
