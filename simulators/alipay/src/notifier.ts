// Async notifications (brief §5): signed V1, form-encoded POST, retried on the schedule until the
// body is exactly `success`. Only loopback URLs are ever contacted: this is a local sandbox.
import * as http from 'node:http';
import { notifySignString, rsaSign } from './crypto.ts';
import type { Notification } from './model.ts';
import type { Sim } from './sim.ts';
import { beijingTime } from './wire.ts';

const POST_TIMEOUT_MS = 15_000;

export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:') return false;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

/** The form fields of one delivery: the stored fields, a fresh notify_time, sign_type and sign. */
export function signedNotificationForm(sim: Sim, n: Notification, now = Date.now()): Record<string, string> {
  const fields: Record<string, string> = { ...n.fields, notify_time: beijingTime(now), sign_type: n.signType };
  fields.sign = rsaSign(notifySignString(fields), sim.keys.privateKey, n.signType);
  return fields;
}

function post(url: string, form: Record<string, string>): Promise<{ ok: boolean; result: string }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      timeout: POST_TIMEOUT_MS,
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Mozilla/4.0 (scanpay alipay simulator)',
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (chunks.length < 64) chunks.push(c); });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ ok: res.statusCode === 200 && text === 'success', result: `HTTP ${res.statusCode}: ${text.slice(0, 60)}` });
      });
      res.on('error', (err) => resolve({ ok: false, result: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ ok: false, result: err.message }));
    req.end(body);
  });
}

export class Notifier {
  private readonly inFlight = new Set<string>();
  /** The reorder batch currently filling: group id and its size. */
  private openGroup: { id: string; batch: number } | undefined;
  private readonly deliveries = new Set<Promise<void>>();

  constructor(private readonly sim: Sim) {}

  arm(n: Notification): void {
    const { timers } = this.sim;
    if (n.status === 'pending') {
      timers.at(`notify:${n.id}`, n.nextAt, () => this.track(this.deliver(n.id)));
    } else if (n.status === 'held' && n.holdGroup) {
      const group = n.holdGroup;
      timers.at(`group:${group}`, n.nextAt, () => this.track(this.releaseGroup(group)));
    } else {
      timers.cancel(`notify:${n.id}`);
    }
  }

  /** Assigns a new held notification to the filling reorder batch; returns its group id. */
  joinGroup(batch: number): string {
    if (!this.openGroup) this.openGroup = { id: `g${this.sim.store.nextSeq()}`, batch };
    return this.openGroup.id;
  }

  /** After a held notification is committed: release its batch once full. */
  afterHold(group: string): void {
    const members = this.groupMembers(group);
    if (this.openGroup?.id === group && members.length >= this.openGroup.batch) {
      this.openGroup = undefined;
      this.sim.timers.cancel(`group:${group}`);
      this.track(this.releaseGroup(group));
    }
  }

  /** Sends every pending notification now (admin flush). */
  flush(): Promise<void> {
    const ids = [...this.sim.store.notifications.values()].filter((n) => n.status === 'pending').map((n) => n.id);
    const groups = new Set([...this.sim.store.notifications.values()].filter((n) => n.status === 'held').map((n) => n.holdGroup!));
    return Promise.all([...ids.map((id) => this.deliver(id)), ...[...groups].map((g) => this.releaseGroup(g))]).then(() => {});
  }

  /** Waits for deliveries already started (used by close()). */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  reset(): void {
    this.openGroup = undefined;
  }

  private track(p: Promise<void>): void {
    this.deliveries.add(p);
    p.catch((err) => this.sim.log(`notify error: ${String(err)}`)).finally(() => this.deliveries.delete(p));
  }

  private groupMembers(group: string): Notification[] {
    return [...this.sim.store.notifications.values()].filter((n) => n.status === 'held' && n.holdGroup === group);
  }

  /** A reorder batch goes out newest first, one after the other. */
  private async releaseGroup(group: string): Promise<void> {
    if (this.openGroup?.id === group) this.openGroup = undefined;
    const members = this.groupMembers(group).sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : 1));
    for (const member of members) await this.deliver(member.id);
  }

  async deliver(id: string): Promise<void> {
    if (this.inFlight.has(id)) return;
    const { sim } = this;
    const first = sim.store.notifications.get(id);
    if (!first || (first.status !== 'pending' && first.status !== 'held')) return;
    this.inFlight.add(id);
    try {
      if (!isLoopbackUrl(first.url)) {
        sim.log(`notify ${first.outTradeNo}: refused non-loopback URL ${first.url}`);
        sim.commit(['notify', id, { ...first, status: 'refused', lastResult: 'refused: not a loopback URL' }]);
        return;
      }
      let acked = false;
      let result = '';
      for (let copy = 0; copy < first.copies; copy++) {
        const answer = await post(first.url, signedNotificationForm(sim, first));
        acked ||= answer.ok;
        result = answer.result;
      }
      const current = sim.store.notifications.get(id);
      if (!current) return; // reset meanwhile
      const attempts = current.attempts + 1;
      const schedule = sim.config.notifyScheduleMs;
      let next: Notification;
      if (acked) next = { ...current, attempts, status: 'done', lastResult: result };
      else if (attempts > schedule.length) next = { ...current, attempts, status: 'failed', lastResult: result };
      else next = { ...current, attempts, status: 'pending', lastResult: result, nextAt: Date.now() + sim.scaled(schedule[attempts - 1]!) };
      sim.log(`notify ${current.outTradeNo} ${current.tradeStatus} attempt ${attempts}: ${result} -> ${next.status}`);
      sim.commit(['notify', id, next]);
    } finally {
      this.inFlight.delete(id);
    }
  }
}
