/**
 * A diagnosis as plain text: for `scanpay doctor` (operator, with the evidence) and for the
 * terminal's failure screen (cashier: the best cause and what to do, nothing more).
 */
import { formatWeight, type Audience, type AutoFixId, type Text } from './cause.ts';
import type { Diagnosis, EvidenceMatch, RankedCause } from './engine.ts';
import type { Evidence } from './evidence.ts';

export type Lang = 'zh' | 'en' | 'both';

export interface FormatOptions {
  lang: Lang;
  audience: Audience;
  /** How many causes to show (default 3; the cashier screen passes 1). */
  max?: number;
  /** List the evidence for and against each cause (default: only for operators). */
  explain?: boolean;
}

export const autoFixLabels: Record<AutoFixId, Text> = {
  push_update: { zh: '推送升级', en: 'Push the update' },
  resync_clock: { zh: '自动校准时间', en: 'Resynchronise the clock' },
  switch_network: { zh: '切换到备用网络', en: 'Switch to the backup network' },
  reactivate: { zh: '重新激活终端', en: 'Activate the terminal again' },
  refresh_scan_profile: { zh: '恢复推荐扫码配置', en: 'Restore the recommended scan profile' },
  retry_later: { zh: '稍后自动重试', en: 'Retry automatically later' },
};

const words = {
  likely: { zh: '最可能的原因', en: 'Most likely cause' },
  also: { zh: '其他可能', en: 'Also possible' },
  confidence: { zh: '把握', en: 'confidence' },
  autoFix: { zh: '可自动修复', en: 'Auto-fix' },
  nothing: { zh: '没有可诊断的信息', en: 'Nothing to diagnose' },
  noProblem: { zh: '未发现明确原因', en: 'No clear cause found' },
  unexplained: { zh: '条信息无法归因，请联系服务商', en: 'observations could not be explained: contact support' },
  handOff: {
    cashier: { zh: '请联系店长或服务商处理', en: 'Ask the manager or support to handle this' },
    merchant: { zh: '请联系服务商处理', en: 'Contact support to handle this' },
  },
  for: { zh: '依据', en: 'for' },
  against: { zh: '反证', en: 'against' },
} satisfies Record<string, unknown>;

function say(text: Text, lang: Lang): string {
  return lang === 'both' ? `${text.zh} / ${text.en}` : text[lang];
}

/** Operators see every remedy; a merchant also sees the cashier's; otherwise hand the problem on. */
function remedyFor(cause: RankedCause, audience: Audience): readonly Text[] {
  if (audience === 'operator' || cause.audience.includes(audience)) return cause.remedy;
  if (audience === 'merchant' && cause.audience.includes('cashier')) return cause.remedy;
  return [words.handOff[audience]];
}

const percent = (c: number) => `${Math.round(c * 100)}%`;

/** One line per evidence kind, short enough for a terminal screen or a log. */
export function describeEvidence(e: Evidence): string {
  const fields = (o: object) =>
    Object.entries(o)
      .filter(([k, v]) => v !== undefined && !['kind', 'check', 'at', 'deviceId', 'origin'].includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
  switch (e.kind) {
    case 'error': {
      const raw = [e.rawCode, e.rawSubCode].filter(Boolean).join(' ');
      return `error ${e.code}${e.cause ? ` cause=${e.cause}` : ''}${raw ? ` (${raw})` : ''}`;
    }
    case 'self_check':
      return `self_check.${e.check} ${fields(e)}`;
    default:
      return `${e.kind} ${fields(e)}`;
  }
}

function explainLines(cause: RankedCause, lang: Lang): string[] {
  const line = (label: Text) => (m: EvidenceMatch) =>
    `     ${say(label, lang)} #${m.evidenceIndex} ${describeEvidence(m.evidence)}  [${m.why}]`;
  return [...cause.supportingEvidence.map(line(words.for)), ...cause.contradictingEvidence.map(line(words.against))];
}

/**
 * @example
 * formatDiagnosis(diagnose(evidence), { lang: 'zh', audience: 'cashier', max: 1 })
 * // 最可能的原因：付款码已过期或已使用（把握 90%）\n  1. …
 */
export function formatDiagnosis(diagnosis: Diagnosis, options: FormatOptions): string {
  const { lang, audience } = options;
  const max = options.max ?? 3;
  const explain = options.explain ?? audience === 'operator';
  const colon = lang === 'zh' ? '：' : ': ';
  const lines: string[] = [];
  const [best, ...rest] = diagnosis.causes.slice(0, Math.max(1, max));

  if (best === undefined) {
    lines.push(say(diagnosis.evidenceCount === 0 ? words.nothing : words.noProblem, lang));
  } else {
    const conf = `${say(words.confidence, lang)} ${percent(best.confidence)}`;
    lines.push(`${say(words.likely, lang)}${colon}${say(best.title, lang)}${lang === 'zh' ? `（${conf}）` : ` (${conf})`}`);
    remedyFor(best, audience).forEach((step, i) => lines.push(`  ${i + 1}. ${say(step, lang)}`));
    if (best.autoFix) lines.push(`  ${say(words.autoFix, lang)}${colon}${say(autoFixLabels[best.autoFix], lang)} [${best.autoFix}]`);
    if (explain) lines.push(...explainLines(best, lang));
    if (rest.length) {
      lines.push(`${say(words.also, lang)}${colon.trim()}`);
      for (const cause of rest) {
        lines.push(`  - ${say(cause.title, lang)} ${percent(cause.confidence)} [${cause.cause}]`);
        if (explain) lines.push(...explainLines(cause, lang));
      }
    }
  }
  if (explain && diagnosis.unexplained.length > 0) {
    const n = diagnosis.unexplained.length;
    lines.push(say({ zh: `${n} ${words.unexplained.zh}`, en: `${n} ${words.unexplained.en}` }, lang));
  }
  return `${lines.join('\n')}\n`;
}
