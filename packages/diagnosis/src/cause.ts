/**
 * The shape of a cause and of the evidence patterns that point to it. Patterns are plain data
 * (source, fact conditions, weight), typed against `FactsBySource` so that a misspelt fact does
 * not compile, and rendered as they are into docs/diagnosis.md and into every explanation.
 */
import type { Text } from '@scanpay/errors';
import type { FactsBySource, Source } from './facts.ts';

export type { Text };

export type Audience = 'cashier' | 'merchant' | 'operator';

/** Fixes the terminal or the platform can apply by itself, named as ids they implement. */
export type AutoFixId =
  | 'push_update'
  | 'resync_clock'
  | 'switch_network'
  | 'reactivate'
  | 'refresh_scan_profile'
  | 'retry_later';

/** The source document's sections, in its order, with the id prefix each uses. */
export const categories = [
  { prefix: 'compatibility', zh: '技术兼容性', en: 'Technical compatibility' },
  { prefix: 'hardware', zh: '硬件设备', en: 'Hardware' },
  { prefix: 'configuration', zh: '软件配置', en: 'Software configuration' },
  { prefix: 'network', zh: '网络环境', en: 'Network' },
  { prefix: 'power', zh: '电源', en: 'Power' },
  { prefix: 'security', zh: '安全验证', en: 'Security checks' },
  { prefix: 'account', zh: '账户状态', en: 'Merchant account' },
  { prefix: 'buyer', zh: '买家', en: 'Buyer' },
  { prefix: 'operation', zh: '用户操作', en: 'Operation' },
  { prefix: 'support', zh: '更新与服务支持', en: 'Updates and support' },
  { prefix: 'system', zh: '平台', en: 'Platform' },
] as const;

export type Category = (typeof categories)[number]['zh'];
export type CategoryPrefix = (typeof categories)[number]['prefix'];

type NumberCondition = number | { gte?: number; lte?: number; gt?: number; lt?: number };
/** A literal means "equals"; `{ in }` any of; number ranges are inclusive unless gt/lt. */
export type Condition<V> = [V] extends [number]
  ? NumberCondition
  : [V] extends [boolean]
    ? boolean
    : [V] extends [string]
      ? V | { in: readonly V[] }
      : never;

export type Where<S extends Source> = {
  [F in keyof FactsBySource[S]]?: Condition<NonNullable<FactsBySource[S][F]>>;
};

/**
 * Evidence from `source` whose facts meet every condition in `where`. A positive weight (0..1]
 * supports the cause; a negative one contradicts it (the cause's confidence is scaled by 1 − |w|).
 */
export type EvidencePattern = {
  [S in Source]: { source: S; where: Where<S>; weight: number };
}[Source];

export interface Cause {
  /** `category.name`, stable once published. */
  id: string;
  category: Category;
  title: Text;
  audience: readonly Audience[];
  /** Concrete steps, in order, Chinese first. */
  remedy: readonly Text[];
  autoFix?: AutoFixId;
  /** Besides these, every catalogue error code whose `cause` is this id points to it (weight 0.9). */
  patterns: readonly EvidencePattern[];
}

export const t = (zh: string, en: string): Text => ({ zh, en });

/** A pattern builder that keeps the fact names checked against the source. */
export function on<S extends Source>(source: S, where: Where<S>, weight: number): EvidencePattern {
  return { source, where, weight } as EvidencePattern;
}

export function categoryOfPrefix(prefix: string): Category | undefined {
  return categories.find((c) => c.prefix === prefix)?.zh;
}

type FactValue = string | number | boolean | undefined;

function meets(value: FactValue, condition: unknown): boolean {
  if (value === undefined) return false;
  if (typeof condition !== 'object' || condition === null) return value === condition;
  if ('in' in condition) return (condition.in as readonly unknown[]).includes(value);
  if (typeof value !== 'number') return false;
  const c = condition as { gte?: number; lte?: number; gt?: number; lt?: number };
  return (
    (c.gte === undefined || value >= c.gte) &&
    (c.lte === undefined || value <= c.lte) &&
    (c.gt === undefined || value > c.gt) &&
    (c.lt === undefined || value < c.lt)
  );
}

export function patternMatches(pattern: EvidencePattern, source: Source, facts: object): boolean {
  if (pattern.source !== source) return false;
  const values = facts as Record<string, FactValue>;
  return Object.entries(pattern.where).every(([fact, condition]) => meets(values[fact], condition));
}

function describeCondition(fact: string, condition: unknown): string {
  if (typeof condition !== 'object' || condition === null) return `${fact} = ${String(condition)}`;
  if ('in' in condition) return `${fact} ∈ {${(condition.in as readonly unknown[]).join(', ')}}`;
  const c = condition as Record<string, number>;
  const ops: Record<string, string> = { gte: '≥', lte: '≤', gt: '>', lt: '<' };
  return Object.entries(c)
    .map(([op, n]) => `${fact} ${ops[op] ?? op} ${n}`)
    .join(', ');
}

/** `self_check.clock: absOffsetMs ≥ 300000`: the pattern in words, for docs and explanations. */
export function describePattern(pattern: EvidencePattern): string {
  const conditions = Object.entries(pattern.where).map(([fact, c]) => describeCondition(fact, c));
  return conditions.length ? `${pattern.source}: ${conditions.join(', ')}` : pattern.source;
}

export const formatWeight = (w: number) => `${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(2)}`;
