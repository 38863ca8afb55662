import pg from 'pg';
import type { Db, QueryResult, Queryable } from './types.ts';

const INT8 = 20;

/** A PostgreSQL server, through a connection pool. int8 comes back as a JS number, as in PGlite. */
export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A broken idle connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  await pool.query('select 1');

  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      // Without parameters pg uses the simple protocol (several statements allowed): left as it is.
      const name = params.length > 0 ? statementName(sql) : undefined;
      const r = await client.query(name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] });
      return { rows: r.rows as Row[], rowCount: r.rowCount ?? r.rows.length };
    },
  });
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/**
 * Every statement with parameters is one of a few hundred texts: each is prepared once per
 * connection (a name per text), so the server neither parses nor plans it again and the client
 * sends no text. Bounded, so text built from data could never fill the server's memory; past the
 * bound, statements go unnamed.
 */
const statementNames = new Map<string, string | null>(); // null: never named
const MAX_NAMED_STATEMENTS = 1_000;
const STAR = /(^|[\s,.])\*/; // `select *`, `t.*`, not `count(*)`

function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    // A prepared `select *` / `returning *` fails ("cached plan must not change result type") once a
    // migration run by another process adds a column: those stay unnamed.
    name = STAR.test(sql) ? null : `scanpay_${statementNames.size}`;
    statementNames.set(sql, name);
  }
  return name ?? undefined;
}

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
}
