import type { Queryable } from '../../db/index.ts';

export interface SecurityLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SecurityEventInput {
  /** e.g. `notify.bad_signature`, `notify.amount_mismatch`. */
  kind: string;
  /** The caller's address as seen by the platform. */
  source?: string | null;
  /** Facts for the investigation; never signatures, keys, PINs or payment codes. */
  detail?: Record<string, unknown>;
}

export interface SecurityEventsOptions {
  /** More than this many events within `windowMs` raises one error-level alert per window. */
  alertThreshold?: number;
  windowMs?: number;
  now?: () => number;
  /** Rows are written in batches: at this many, or this long after the first. */
  batchSize?: number;
  batchDelayMs?: number;
}

const MAX_TEXT = 128;

/**
 * Security events: every refusal that may be an attack is logged at warn and stored (table
 * security_events). A burst (more than 10 a minute by default) logs an error alert, at most once
 * a minute, so a flood is visible without a line per request at error level. Rows are written in
 * batches, so a flood of forgeries costs one insert per batch rather than one per request.
 */
export class SecurityEvents {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private times: number[] = [];
  private head = 0;
  private lastAlertAt: number | undefined;
  private kindsSinceAlert = new Map<string, number>();
  private readonly batchSize: number;
  private readonly batchDelayMs: number;
  private buffer: { kind: string; source: string | null; detail: string; at: Date }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly log: SecurityLogger,
    opts: SecurityEventsOptions = {},
  ) {
    this.threshold = opts.alertThreshold ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.batchSize = opts.batchSize ?? 200;
    this.batchDelayMs = opts.batchDelayMs ?? 50;
  }

  /** Logs the event now and queues its row; resolves once queued (a full batch is written first). */
  async record(event: SecurityEventInput): Promise<void> {
    const detail = sanitize(event.detail ?? {});
    this.log.warn({ securityEvent: event.kind, source: event.source ?? null, ...detail }, 'security event');
    this.count(event.kind);
    this.buffer.push({
      kind: event.kind.slice(0, 64),
      source: event.source?.slice(0, 64) ?? null,
      detail: JSON.stringify(detail),
      at: new Date(this.now()),
    });
    if (this.buffer.length >= this.batchSize) return this.flush();
    this.timer ??= setTimeout(() => void this.flush(), this.batchDelayMs);
    this.timer.unref?.();
  }

  /** Writes every queued row (tests and shutdown call it). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    this.buffer = [];
    if (rows.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        await this.db.query(
          `insert into security_events (kind, source, detail, created_at)
           select * from unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[])`,
          [rows.map((r) => r.kind), rows.map((r) => r.source), rows.map((r) => r.detail), rows.map((r) => r.at.toISOString())],
        );
      } catch (err) {
        // The refusals stand either way; the log lines above still hold every event.
        this.log.error({ err, lost: rows.length }, 'could not store security events');
      }
    });
    return this.writing;
  }

  /** Events counted in the current window (for tests and health pages). */
  recentCount(): number {
    this.trim(this.now());
    return this.times.length - this.head;
  }

  private count(kind: string): void {
    const now = this.now();
    this.trim(now);
    this.times.push(now);
    this.kindsSinceAlert.set(kind, (this.kindsSinceAlert.get(kind) ?? 0) + 1);
    const recent = this.times.length - this.head;
    if (recent > this.threshold && (this.lastAlertAt === undefined || now - this.lastAlertAt >= this.windowMs)) {
      this.lastAlertAt = now;
      this.log.error(
        { alert: 'security_events_burst', count: recent, windowMs: this.windowMs, kinds: Object.fromEntries(this.kindsSinceAlert) },
        `ALERT: ${recent} security events within ${Math.round(this.windowMs / 1000)} s`,
      );
      this.kindsSinceAlert = new Map();
    }
  }

  private trim(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

const SECRET_KEYS = /^(sign|signature|pin|supervisorpin|password|auth_?code|private.*|token|app_auth_token)$/i;

/** Flat, short, secret-free detail: strings cut to 128 characters, secret-looking keys dropped. */
export function sanitize(detail: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) {
    if (SECRET_KEYS.test(k) || v === undefined) continue;
    if (typeof v === 'string') out[k] = v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
    else out[k] = JSON.stringify(v).slice(0, MAX_TEXT);
  }
  return out;
}
