/** Renders docs/diagnosis.md from the cause catalogue. Pure, so a test can compare it with the file. */
import { catalogue, errorCodes } from '@scanpay/errors';
import { categories, describePattern, formatWeight, type Cause, type Text } from './cause.ts';
import { causes } from './causes/index.ts';
import { CATALOGUE_CODE_WEIGHT } from './engine.ts';
import { autoFixLabels } from './format.ts';

const cell = (s: string) => s.replaceAll('|', '\\|');
const anchor = (id: string) => id.replace('.', '-');
const both = (t: Text) => `${t.zh} / ${t.en}`;

function recognised(cause: Cause): string[] {
  const codes = errorCodes.filter((c) => catalogue[c].cause === cause.id);
  const lines: string[] = [];
  if (codes.length) {
    lines.push(`  - \`${formatWeight(CATALOGUE_CODE_WEIGHT)}\` error code ${codes.map((c) => `[\`${c}\`](errors.md#${c.toLowerCase()})`).join(', ')}`);
  }
  for (const p of cause.patterns) lines.push(`  - \`${formatWeight(p.weight)}\` ${describePattern(p)}`);
  if (lines.length === 0) lines.push('  - only a finer cause reported with a channel refusal');
  return lines;
}

function section(cause: Cause): string[] {
  return [
    `### <a id="${anchor(cause.id)}"></a>\`${cause.id}\` — ${both(cause.title)}`,
    '',
    `- Category: ${cause.category}`,
    `- Audience: ${cause.audience.join(', ')}`,
    `- Auto-fix: ${cause.autoFix ? `\`${cause.autoFix}\` (${both(autoFixLabels[cause.autoFix])})` : 'none'}`,
    '- Recognised by:',
    ...recognised(cause),
    '- What to do:',
    ...cause.remedy.map((r, i) => `  ${i + 1}. ${r.zh}<br>${r.en}`),
    '',
  ];
}

export function renderDiagnosisMarkdown(): string {
  const lines: string[] = [
    '<!-- Generated from packages/diagnosis/src/causes/*.ts by `npm run docs:diagnosis`. Do not edit by hand. -->',
    '# Diagnosis causes',
    '',
    'Every failure scanpay can explain, grouped by the section of the source document it comes from.',
    '`diagnose(evidence)` (`@scanpay/diagnosis`) ranks these causes from evidence: refusals with their',
    'catalogue code (`docs/errors.md`), transport failures, self-check results (一键自检), scan-session',
    'frame summaries, telemetry, and support / update facts.',
    '',
    'How a cause is scored: each rule below that matches adds its weight once. Supports combine as',
    '1 − Π(1 − w), so weak signals add up but never reach certainty; each matched contradiction',
    '(negative weight) multiplies the result by 1 − |w|. A finer cause reported with a channel refusal',
    '(`ChannelDecline.cause`) counts +0.92 for itself and +0.50 for the code\'s own cause.',
    'Ratios (`darkRatio` …) are computed over at least 5 analysed frames.',
    '',
    '| cause | category | audience | auto-fix |',
    '|---|---|---|---|',
    ...causes.map((c) => `| [\`${c.id}\`](#${anchor(c.id)}) | ${c.category} | ${c.audience.join(', ')} | ${c.autoFix ?? ''} |`),
    '',
  ];
  for (const category of categories) {
    const inCategory = causes.filter((c) => c.category === category.zh);
    if (inCategory.length === 0) continue;
    lines.push(`## ${category.zh} · ${cell(category.en)}`, '');
    for (const cause of inCategory) lines.push(...section(cause));
  }
  return lines.join('\n');
}
