// Shared context of one running simulator: the book, keys, faults, timers and clock.
import type { AlipayKeys } from './crypto.ts';
import { Faults } from './faults.ts';
import type { Notification, Trade } from './model.ts';
import { seededRng, type Rng } from './rng.ts';
import type { Put, Store } from './store.ts';

export interface SimConfig {
  /** Notification retry intervals, simulated ms (divided by timeScale). */
  notifyScheduleMs: number[];
  /** An unpaid barcode trade closes after this, simulated ms. */
  autoCloseMs: number;
  /** A precreate QR stays payable this long, simulated ms. */
  precreateQrTtlMs: number;
  /** Cancel works this long after the trade was created, real ms (age a trade with the admin API). */
  cancelWindowMs: number;
  /** Largest accepted distance between a request timestamp and the simulator's clock. */
  timestampSkewMs: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

export const DEFAULT_CONFIG: SimConfig = {
  notifyScheduleMs: [4 * MIN, 10 * MIN, 10 * MIN, HOUR, 2 * HOUR, 6 * HOUR, 15 * HOUR],
  autoCloseMs: 3 * MIN,
  precreateQrTtlMs: 2 * HOUR,
  cancelWindowMs: 24 * HOUR,
  timestampSkewMs: 15 * MIN,
};

export interface CallRecord {
  seq: number;
  method: string;
  appId: string;
  outTradeNo?: string;
  at: string;
  code: string;
  subCode?: string;
  fault?: string;
}

export class CallLog {
  private ring: CallRecord[] = [];
  private counts: Record<string, number> = {};
  private seq = 0;
  constructor(private readonly capacity = 10_000) {}

  record(call: Omit<CallRecord, 'seq' | 'at'>): CallRecord {
    const full = { seq: ++this.seq, at: new Date().toISOString(), ...call };
    this.ring.push(full);
    if (this.ring.length > this.capacity) this.ring.shift();
    this.counts[call.method] = (this.counts[call.method] ?? 0) + 1;
    return full;
  }

  snapshot(filter: { method?: string; appId?: string; outTradeNo?: string; sinceSeq?: number }) {
    const calls = this.ring.filter((c) =>
      (filter.method === undefined || c.method === filter.method) &&
      (filter.appId === undefined || c.appId === filter.appId) &&
      (filter.outTradeNo === undefined || c.outTradeNo === filter.outTradeNo) &&
      (filter.sinceSeq === undefined || c.seq > filter.sinceSeq));
    return { calls, counts: { ...this.counts }, total: this.seq };
  }

  clear(): void {
    this.ring = [];
    this.counts = {};
  }
}

const MAX_TIMEOUT = 2 ** 31 - 1;

/** Named one-shot timers in real time; re-arming an id replaces it. */
export class Timers {
  private readonly handles = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  constructor(private readonly onError: (err: unknown) => void) {}

  at(id: string, dueMs: number, fn: () => void | Promise<void>): void {
    this.cancel(id);
    if (this.stopped) return;
    const wait = Math.max(0, dueMs - Date.now());
    const handle = setTimeout(() => {
      this.handles.delete(id);
      if (wait > MAX_TIMEOUT) return this.at(id, dueMs, fn);
      try {
        const result = fn();
        if (result instanceof Promise) result.catch(this.onError);
      } catch (err) {
        this.onError(err);
      }
    }, Math.min(wait, MAX_TIMEOUT));
    this.handles.set(id, handle);
  }

  cancel(id: string): void {
    const handle = this.handles.get(id);
    if (handle) clearTimeout(handle);
    this.handles.delete(id);
  }

  clearAll(): void {
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
  }

  /**
   * For good (the simulator is closing): clears every timer and arms none again. A delivery still in
   * flight commits its next attempt when it ends; re-armed, that timer would keep the process alive.
   */
  stop(): void {
    this.stopped = true;
    this.clearAll();
  }
}

export interface Hooks {
  /** Called after a commit for every trade and notification written, to (re)arm their timers. */
  armTrade(trade: Trade): void;
  armNotification(n: Notification): void;
}

export class Sim {
  readonly faults: Faults;
  readonly calls = new CallLog();
  readonly timers: Timers;
  readonly idRng: Rng;
  config: SimConfig;
  timeScale: number;
  baseUrl = '';
  hooks: Hooks = { armTrade: () => {}, armNotification: () => {} };

  constructor(
    readonly store: Store,
    readonly keys: AlipayKeys,
    readonly seed: number,
    timeScale: number,
    readonly log: (line: string) => void,
    config: Partial<SimConfig> = {},
  ) {
    this.faults = new Faults(seed);
    this.idRng = seededRng(seed ^ 0x5eed);
    this.timeScale = timeScale;
    this.config = { ...DEFAULT_CONFIG, ...config };
    this.timers = new Timers((err) => log(`timer error: ${err instanceof Error ? err.stack : String(err)}`));
  }

  /** Real ms from now for a simulated duration. */
  scaled(simMs: number): number {
    return simMs / this.timeScale;
  }

  /** Journal first, then arm timers for what changed. */
  commit(...puts: Put[]): void {
    this.store.commit(...puts);
    for (const put of puts) {
      if (put[0] === 'trade') this.hooks.armTrade(put[2]);
      else if (put[0] === 'notify') this.hooks.armNotification(put[2]);
    }
  }
}
