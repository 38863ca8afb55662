/**
 * The diagnosis engine: evidence in, ranked causes out. Pure and deterministic (no clock, no I/O;
 * the order of the evidence changes nothing but the order of the listed matches).
 *
 * Scoring. Every rule that matches adds its weight once, however many pieces of evidence match
 * it: supports combine as a noisy-OR, 1 − Π(1 − w), so several weak signals add up without ever
 * reaching certainty; each matched contradiction scales the result by (1 − |w|). Rules are:
 *  - a catalogue error code points at its own `cause` (weight 0.9);
 *  - a finer cause reported with the code (a channel decline's `cause`, on a refusal or on the
 *    channel self-check) gets 0.92, and the
 *    code's coarser catalogue cause then keeps 0.5 (a reported id the catalogue lacks is ignored);
 *  - the catalogue's evidence patterns, with their own weights.
 */
import { catalogue, isErrorCode } from '@scanpay/errors';
import {
  describePattern,
  formatWeight,
  patternMatches,
  type Audience,
  type AutoFixId,
  type Category,
  type Cause,
  type Text,
} from './cause.ts';
import { causes as defaultCauses } from './causes/index.ts';
import type { Evidence } from './evidence.ts';
import { catalogueCodeOf, factsOf, reportedCauseOf } from './facts.ts';

export const CATALOGUE_CODE_WEIGHT = 0.9;
export const REPORTED_CAUSE_WEIGHT = 0.92;
export const CODE_UNDER_REPORTED_CAUSE_WEIGHT = 0.5;
export const DEFAULT_MIN_CONFIDENCE = 0.1;

export interface EvidenceMatch {
  /** Position in the evidence list given to `diagnose`. */
  evidenceIndex: number;
  evidence: Evidence;
  /** `code:<ErrorCode>`, `cause:<cause id>` (reported with the code) or `pattern:<cause id>#<n>`. */
  rule: string;
  weight: number;
  /** The rule in words, e.g. `+0.90 self_check.clock: absOffsetMs ≥ 300000`. */
  why: string;
}

export interface RankedCause {
  cause: string;
  category: Category;
  title: Text;
  audience: readonly Audience[];
  /** 0..1, rounded to three decimals. */
  confidence: number;
  supportingEvidence: EvidenceMatch[];
  contradictingEvidence: EvidenceMatch[];
  remedy: readonly Text[];
  autoFix?: AutoFixId;
}

export interface Diagnosis {
  /** Best first; ties keep the catalogue's order. */
  causes: RankedCause[];
  /** Indices of evidence that supported no known cause (passing checks, unknown codes…). */
  unexplained: number[];
  evidenceCount: number;
}

export interface DiagnoseOptions {
  /** Causes below this are left out (default 0.1). */
  minConfidence?: number;
  /** At most this many causes. */
  limit?: number;
  /** Only causes addressed to this audience. */
  audience?: Audience;
  /** Another cause catalogue (tests, extensions); defaults to the built-in one. */
  causes?: readonly Cause[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** All the rule hits per cause id, supports and contradictions apart. */
function collectMatches(evidence: readonly Evidence[], catalogueCauses: readonly Cause[]) {
  const hits = new Map<string, EvidenceMatch[]>();
  const add = (causeId: string, match: EvidenceMatch) => {
    const list = hits.get(causeId);
    if (list) list.push(match);
    else hits.set(causeId, [match]);
  };

  const known = new Set(catalogueCauses.map((c) => c.id));
  evidence.forEach((e, evidenceIndex) => {
    const code = catalogueCodeOf(e);
    if (code === undefined) return;
    // A cause id we do not know cannot be ranked: fall back on the code's own cause at full weight.
    const finer = reportedCauseOf(e);
    const reported = finer !== undefined && known.has(finer) ? finer : undefined;
    const codeCause = isErrorCode(code) ? catalogue[code].cause : undefined;
    if (reported !== undefined) {
      const weight = REPORTED_CAUSE_WEIGHT;
      add(reported, { evidenceIndex, evidence: e, rule: `cause:${reported}`, weight, why: `${formatWeight(weight)} ${code} reported with cause ${reported}` });
    }
    if (codeCause !== undefined && codeCause !== reported) {
      const weight = reported === undefined ? CATALOGUE_CODE_WEIGHT : CODE_UNDER_REPORTED_CAUSE_WEIGHT;
      add(codeCause, { evidenceIndex, evidence: e, rule: `code:${code}`, weight, why: `${formatWeight(weight)} error code ${code}` });
    }
  });

  const extracted = evidence.map(factsOf);
  for (const cause of catalogueCauses) {
    cause.patterns.forEach((pattern, n) => {
      extracted.forEach(({ source, facts }, evidenceIndex) => {
        if (!patternMatches(pattern, source, facts)) return;
        add(cause.id, {
          evidenceIndex,
          evidence: evidence[evidenceIndex]!,
          rule: `pattern:${cause.id}#${n}`,
          weight: pattern.weight,
          why: `${formatWeight(pattern.weight)} ${describePattern(pattern)}`,
        });
      });
    });
  }
  return hits;
}

/** Each rule counts once: the product runs over distinct rules, not over pieces of evidence. */
function score(matches: readonly EvidenceMatch[]): number {
  const weightByRule = new Map<string, number>();
  for (const m of matches) weightByRule.set(m.rule, m.weight);
  let missing = 1;
  let kept = 1;
  for (const w of weightByRule.values()) {
    if (w > 0) missing *= 1 - Math.min(w, 1);
    else kept *= 1 - Math.min(-w, 1);
  }
  return (1 - missing) * kept;
}

/**
 * Ranks the causes that the evidence points to, best first, each with the evidence for and
 * against it, its remedy and its auto-fix.
 *
 * @example
 * diagnose([{ kind: 'self_check', check: 'clock', offsetMs: 420_000 }]).causes[0]?.cause
 * // → 'network.clock_skew'
 */
export function diagnose(evidence: readonly Evidence[], options: DiagnoseOptions = {}): Diagnosis {
  const catalogueCauses = options.causes ?? defaultCauses;
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const hits = collectMatches(evidence, catalogueCauses);

  const explained = new Set<number>();
  const ranked: { order: number; result: RankedCause }[] = [];
  catalogueCauses.forEach((cause, order) => {
    const matches = hits.get(cause.id) ?? [];
    const supporting = matches.filter((m) => m.weight > 0).sort(byEvidenceThenRule);
    if (supporting.length === 0) return;
    for (const m of supporting) explained.add(m.evidenceIndex);
    const confidence = round3(score(matches));
    if (confidence < minConfidence) return;
    if (options.audience !== undefined && !cause.audience.includes(options.audience)) return;
    ranked.push({
      order,
      result: {
        cause: cause.id,
        category: cause.category,
        title: cause.title,
        audience: cause.audience,
        confidence,
        supportingEvidence: supporting,
        contradictingEvidence: matches.filter((m) => m.weight < 0).sort(byEvidenceThenRule),
        remedy: cause.remedy,
        ...(cause.autoFix === undefined ? {} : { autoFix: cause.autoFix }),
      },
    });
  });

  ranked.sort((a, b) => b.result.confidence - a.result.confidence || a.order - b.order);
  const limited = options.limit === undefined ? ranked : ranked.slice(0, options.limit);
  return {
    causes: limited.map((r) => r.result),
    unexplained: evidence.map((_, i) => i).filter((i) => !explained.has(i)),
    evidenceCount: evidence.length,
  };
}

function byEvidenceThenRule(a: EvidenceMatch, b: EvidenceMatch): number {
  return a.evidenceIndex - b.evidenceIndex || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
