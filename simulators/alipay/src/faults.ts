// Fault injection rules (PUT /__sim/faults). Randomness comes from a seeded PRNG so runs repeat.
import { seededRng, type Rng } from './rng.ts';

export const GATEWAY_KINDS = [
  'drop_response', 'delay', 'system_error', 'wait_buyer', 'bad_signature', 'unsigned_error',
  'http_500', 'cancel_retry', 'sub_code',
] as const;
export const NOTIFY_KINDS = ['notify_duplicate', 'notify_delay', 'notify_reorder'] as const;
export type FaultKind = (typeof GATEWAY_KINDS)[number] | (typeof NOTIFY_KINDS)[number];

export interface FaultRule {
  kind: FaultKind;
  /** e.g. 'alipay.trade.pay'; absent = any method. */
  method?: string;
  probability?: number;
  /** Apply to the next N matching calls only. */
  count?: number;
  /** delay: real ms before answering; notify_delay: simulated ms (divided by timeScale). */
  ms?: number;
  /** system_error / unsigned_error: whether the call was still processed behind the error. */
  commit?: boolean;
  /** wait_buyer: simulated ms until the buyer confirms; null = never (auto-close). */
  confirmAfterMs?: number | null;
  /** notify_duplicate: copies per delivery. */
  times?: number;
  /** notify_reorder: notifications per batch released in reverse, and the longest hold (simulated ms). */
  batch?: number;
  maxHoldMs?: number;
  /** sub_code / system_error / unsigned_error / cancel_retry: the answer. */
  code?: string;
  subCode?: string;
  subMsg?: string;
}

export interface ActiveRule extends FaultRule {
  id: number;
  remaining?: number;
  hits: number;
}

const NUMERIC_LIMITS: [keyof FaultRule, number, number][] = [
  ['probability', 0, 1], ['count', 1, 1e9], ['ms', 0, 86_400_000 * 30], ['times', 1, 20],
  ['batch', 2, 100], ['maxHoldMs', 0, 86_400_000 * 30],
];

/** Returns an error message, or undefined when the rule is well formed. */
export function validateRule(rule: unknown): string | undefined {
  if (typeof rule !== 'object' || rule === null) return 'rule must be an object';
  const r = rule as Record<string, unknown>;
  const kinds: readonly string[] = [...GATEWAY_KINDS, ...NOTIFY_KINDS];
  if (typeof r.kind !== 'string' || !kinds.includes(r.kind)) return `kind must be one of ${kinds.join(', ')}`;
  if (r.method !== undefined && typeof r.method !== 'string') return 'method must be a string';
  for (const [field, min, max] of NUMERIC_LIMITS) {
    const v = r[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return `${field} must be a number in [${min}, ${max}]`;
  }
  if (r.count !== undefined && !Number.isInteger(r.count)) return 'count must be an integer';
  if (r.confirmAfterMs !== undefined && r.confirmAfterMs !== null && (typeof r.confirmAfterMs !== 'number' || r.confirmAfterMs < 0)) {
    return 'confirmAfterMs must be a non-negative number or null';
  }
  if (r.kind === 'delay' && typeof r.ms !== 'number') return 'delay needs ms';
  if (r.kind === 'notify_delay' && typeof r.ms !== 'number') return 'notify_delay needs ms';
  if (r.kind === 'sub_code' && (typeof r.code !== 'string' || typeof r.subCode !== 'string')) return 'sub_code needs code and subCode';
  for (const f of ['code', 'subCode', 'subMsg'] as const) {
    if (r[f] !== undefined && typeof r[f] !== 'string') return `${f} must be a string`;
  }
  if (r.code !== undefined && !/^\d{5}$/.test(r.code as string)) return 'code must be five digits';
  return undefined;
}

function appliesTo(kind: FaultKind, method: string): boolean {
  if (kind === 'wait_buyer') return method === 'alipay.trade.pay';
  if (kind === 'cancel_retry') return method === 'alipay.trade.cancel';
  return true;
}

export class Faults {
  private rules: ActiveRule[] = [];
  private rng: Rng;
  private seed: number;
  private nextId = 1;

  constructor(defaultSeed: number) {
    this.seed = defaultSeed;
    this.rng = seededRng(defaultSeed);
  }

  set(rules: FaultRule[], seed?: number): void {
    if (seed !== undefined) this.seed = seed;
    this.rng = seededRng(this.seed);
    this.rules = rules.map((r) => ({ ...r, id: this.nextId++, remaining: r.count, hits: 0 }));
  }

  add(rule: FaultRule): ActiveRule {
    const active = { ...rule, id: this.nextId++, remaining: rule.count, hits: 0 };
    this.rules.push(active);
    return active;
  }

  clear(): void {
    this.rules = [];
  }

  list(): { seed: number; rules: ActiveRule[] } {
    return { seed: this.seed, rules: this.rules.map((r) => ({ ...r })) };
  }

  /** The first gateway rule that fires for this call (its count is consumed). */
  pickGateway(method: string): ActiveRule | undefined {
    for (const rule of this.rules) {
      if (!(GATEWAY_KINDS as readonly string[]).includes(rule.kind)) continue;
      if (this.fires(rule, method)) return rule;
    }
    return undefined;
  }

  /** Every notification rule that fires for a notification caused by `method` (one per kind). */
  pickNotify(method: string): ActiveRule[] {
    const fired: ActiveRule[] = [];
    for (const rule of this.rules) {
      if (!(NOTIFY_KINDS as readonly string[]).includes(rule.kind)) continue;
      if (fired.some((f) => f.kind === rule.kind)) continue;
      if (this.fires(rule, method)) fired.push(rule);
    }
    return fired;
  }

  private fires(rule: ActiveRule, method: string): boolean {
    if (rule.method !== undefined && rule.method !== method) return false;
    if (!appliesTo(rule.kind, method)) return false;
    if (rule.remaining !== undefined && rule.remaining <= 0) return false;
    if (this.rng() >= (rule.probability ?? 1)) return false;
    if (rule.remaining !== undefined) rule.remaining--;
    rule.hits++;
    return true;
  }
}
