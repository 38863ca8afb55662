// The book, held in memory and journaled: every change is one NDJSON line written (writeSync)
// before the caller answers, so `kill -9` loses nothing that was answered. At start the journal
// is replayed, then rewritten compacted through a temp file and a rename.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App, AppAuthToken, Buyer, Meta, Notification, PaymentCode, Trade } from './model.ts';

export interface Collections {
  app: App;
  buyer: Buyer;
  trade: Trade;
  code: PaymentCode;
  notify: Notification;
  token: AppAuthToken;
  meta: Meta;
}
export type Kind = keyof Collections;
export type Put = { [K in Kind]: [K, string, Collections[K]] }[Kind];

interface JournalLine {
  p?: Put[];
  reset?: true;
}

const KINDS: Kind[] = ['app', 'buyer', 'trade', 'code', 'notify', 'token', 'meta'];
const META_KEY = 'meta';

export class Store {
  readonly apps = new Map<string, App>();
  readonly buyers = new Map<string, Buyer>();
  readonly trades = new Map<string, Trade>();
  readonly codes = new Map<string, PaymentCode>();
  readonly notifications = new Map<string, Notification>();
  readonly tokens = new Map<string, AppAuthToken>();
  readonly tradeNoIndex = new Map<string, string>();
  meta: Meta = { seq: 0, buyerSeq: 0 };
  private fd: number | undefined;
  private metaDirty = false;

  constructor(
    private readonly file: string | undefined,
    private readonly fsync = false,
  ) {}

  /** Replays the journal (a torn last line from a crash is skipped) and compacts it. */
  open(): { lines: number; skipped: number } {
    let lines = 0;
    let skipped = 0;
    if (!this.file) return { lines, skipped };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    if (fs.existsSync(this.file)) {
      for (const text of fs.readFileSync(this.file, 'utf8').split('\n')) {
        if (!text) continue;
        try {
          this.apply(JSON.parse(text) as JournalLine);
          lines++;
        } catch {
          skipped++;
        }
      }
    }
    this.compact();
    this.fd = fs.openSync(this.file, 'a');
    return { lines, skipped };
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Durably records the changes, then applies them. Callers answer only after this returns. */
  commit(...puts: Put[]): void {
    if (this.metaDirty) {
      puts.push(this.metaPut());
      this.metaDirty = false;
    }
    if (puts.length === 0) return;
    this.write({ p: puts });
    this.apply({ p: puts });
  }

  /** Sequence numbers are journaled with the next commit (ids of uncommitted work may be skipped). */
  nextSeq(): number {
    this.meta = { ...this.meta, seq: this.meta.seq + 1 };
    this.metaDirty = true;
    return this.meta.seq;
  }

  nextBuyerSeq(): number {
    this.meta = { ...this.meta, buyerSeq: this.meta.buyerSeq + 1 };
    this.metaDirty = true;
    return this.meta.buyerSeq;
  }

  metaPut(): Put {
    return ['meta', META_KEY, this.meta];
  }

  /** Clears trades, buyers, codes, notifications and tokens; keeps apps and counters. */
  reset(): void {
    this.write({ reset: true });
    this.apply({ reset: true });
  }

  private write(line: JournalLine): void {
    if (this.fd === undefined) return;
    fs.writeSync(this.fd, `${JSON.stringify(line)}\n`);
    if (this.fsync) fs.fdatasyncSync(this.fd);
  }

  private apply(line: JournalLine): void {
    if (line.reset) {
      this.buyers.clear();
      this.trades.clear();
      this.codes.clear();
      this.notifications.clear();
      this.tokens.clear();
      this.tradeNoIndex.clear();
    }
    for (const put of line.p ?? []) this.applyPut(put);
  }

  private applyPut(put: Put): void {
    switch (put[0]) {
      case 'app': this.apps.set(put[1], put[2]); break;
      case 'buyer': this.buyers.set(put[1], put[2]); break;
      case 'trade':
        this.trades.set(put[1], put[2]);
        if (put[2].tradeNo) this.tradeNoIndex.set(put[2].tradeNo, put[1]);
        break;
      case 'code': this.codes.set(put[1], put[2]); break;
      case 'notify': this.notifications.set(put[1], put[2]); break;
      case 'token': this.tokens.set(put[1], put[2]); break;
      case 'meta': this.meta = put[2]; break;
    }
  }

  private snapshot(): Put[] {
    const puts: Put[] = [this.metaPut()];
    const maps: { [K in Kind]?: Map<string, Collections[K]> } = {
      app: this.apps, buyer: this.buyers, trade: this.trades, code: this.codes,
      notify: this.notifications, token: this.tokens,
    };
    for (const kind of KINDS) {
      const map = maps[kind] as Map<string, never> | undefined;
      for (const [key, value] of map ?? []) puts.push([kind, key, value] as Put);
    }
    return puts;
  }

  private compact(): void {
    if (!this.file) return;
    const now = Date.now();
    // Expired or used payment codes are of no further use.
    for (const [key, code] of this.codes) if (code.usedAt || code.expiresAt < now) this.codes.delete(key);
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    for (const put of this.snapshot()) fs.writeSync(fd, `${JSON.stringify({ p: [put] })}\n`);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
  }
}
