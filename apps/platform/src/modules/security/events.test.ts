import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/index.ts';
import { sanitize, SecurityEvents } from './events.ts';

function fakes() {
  const lines: { level: 'warn' | 'error'; obj: Record<string, unknown> }[] = [];
  const inserts: unknown[][] = [];
  const db: Queryable = {
    query: async <Row>(_sql: string, params: readonly unknown[] = []) => {
      inserts.push([...params]);
      return { rows: [] as Row[], rowCount: (params[0] as unknown[]).length };
    },
  };
  const log = {
    warn: (obj: object) => lines.push({ level: 'warn', obj: obj as Record<string, unknown> }),
    error: (obj: object) => lines.push({ level: 'error', obj: obj as Record<string, unknown> }),
  };
  return { db, log, lines, inserts };
}

describe('security events', () => {
  it('logs every event at warn, and one error alert per minute once more than 10 arrive within a minute', async () => {
    const f = fakes();
    let now = 1_000_000;
    const events = new SecurityEvents(f.db, f.log, { now: () => now });
    for (let i = 0; i < 10; i++) await events.record({ kind: 'notify.bad_signature', source: '127.0.0.1' });
    expect(f.lines.filter((l) => l.level === 'error')).toHaveLength(0);
    for (let i = 0; i < 30; i++) await events.record({ kind: 'notify.bad_signature', source: '127.0.0.1' });
    const alerts = () => f.lines.filter((l) => l.level === 'error');
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]?.obj).toMatchObject({ alert: 'security_events_burst', count: 11 });
    expect(f.lines.filter((l) => l.level === 'warn')).toHaveLength(40);
    now += 59_000;
    await events.record({ kind: 'notify.unknown_trade' });
    expect(alerts()).toHaveLength(1);
    now += 2_000; // a minute after the first alert, still a burst: one more alert
    for (let i = 0; i < 11; i++) await events.record({ kind: 'notify.unknown_trade' });
    expect(alerts()).toHaveLength(2);
    now += 120_000; // quiet again: the window empties
    await events.record({ kind: 'notify.unknown_trade' });
    expect(events.recentCount()).toBe(1);
    expect(alerts()).toHaveLength(2);
  });

  it('writes rows in batches and all of them on flush', async () => {
    const f = fakes();
    const events = new SecurityEvents(f.db, f.log, { batchSize: 4, batchDelayMs: 10_000 });
    for (let i = 0; i < 10; i++) await events.record({ kind: `k${i}` });
    expect(f.inserts.map((p) => (p[0] as string[]).length)).toEqual([4, 4]);
    await events.flush();
    expect(f.inserts.map((p) => (p[0] as string[]).length)).toEqual([4, 4, 2]);
    expect(f.inserts.flatMap((p) => p[0] as string[])).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
  });

  it('keeps secrets and long values out of the detail', () => {
    expect(sanitize({ sign: 'abc', supervisorPin: '123456', auth_code: '28123', out_trade_no: 'SP1', amount: 12, long: 'x'.repeat(500) }))
      .toEqual({ out_trade_no: 'SP1', amount: 12, long: `${'x'.repeat(128)}…` });
  });
});
