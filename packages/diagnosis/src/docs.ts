/** Renders docs/diagnosis.md from the cause catalogue. Pure, so a test can compare it with the file. */
import { catalogue, errorCodes } from '@scanpay/errors';
import { categories, describePattern, formatWeight, type Cause, type Text } from './cause.ts';
import { causes } from './causes/index.ts';
import { CATALOGUE_CODE_WEIGHT } from './engine.ts';
import { sources, type Source } from './facts.ts';
import { autoFixLabels } from './format.ts';

const cell = (s: string) => s.replaceAll('|', '\\|');

/** Who produces each evidence source (`src/evidence.ts` has the fields). */
const producers: Record<Source, string> = {
  error: '`ErrorEvidence`: a refusal’s catalogue `code`, with a channel decline’s finer `cause`',
  transport: '`TransportEvidence`: no answer from the platform (terminal) or the channel (platform)',
  'self_check.link': 'self-check: the device’s own link (online, signal)',
  'self_check.platform': 'self-check: a signed health request to the platform; an answer’s `code` counts as an error code',
  'self_check.channel': 'self-check: the platform probing the channel; an answer’s `code` counts as an error code',
  'self_check.dns': 'self-check: resolving the platform’s host name',
  'self_check.tls': 'self-check: a TLS handshake with the platform',
  'self_check.clock': 'self-check: device clock minus the platform’s (ms)',
  'self_check.version': 'self-check: a version against the compatibility policy’s minimum',
  'self_check.device_auth': 'self-check: a request signed with the device key; a refusal’s `code` counts as an error code',
  'self_check.merchant': 'self-check: the merchant’s status, contract and product',
  'self_check.camera': 'self-check: the camera against a known test pattern',
  'self_check.scan_head': 'self-check: the scan head reads the test code',
  'self_check.scan_profile': 'self-check: the scan profile against the platform’s',
  scan: '`ScanEvidence`: one scan session’s frame-analysis summary (ratios over ≥ 5 frames)',
  telemetry: '`TelemetryEvidence`: one device over a window, with the fleet’s scan success rate',
  ticket: '`TicketEvidence`: a support ticket’s age against its SLA (`slaUsed` = age / SLA)',
  update: '`UpdateEvidence`: the device against the rollout meant for it',
};

function factsUsed(source: Source): string {
  const names = new Set(causes.flatMap((c) => c.patterns.filter((p) => p.source === source).flatMap((p) => Object.keys(p.where))));
  return [...names].sort().map((n) => `\`${n}\``).join(', ');
}
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
    `#### <a id="${anchor(cause.id)}"></a>\`${cause.id}\` — ${both(cause.title)}`,
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
    '',
    '## Evidence sources',
    '',
    '| source | produced by | facts the rules read |',
    '|---|---|---|',
    ...sources.map((s) => `| \`${s}\` | ${cell(producers[s])} | ${factsUsed(s) || (s === 'error' ? 'the code itself' : '')} |`),
    '',
    '## Causes',
    '',
    '| cause | category | audience | auto-fix |',
    '|---|---|---|---|',
    ...causes.map((c) => `| [\`${c.id}\`](#${anchor(c.id)}) | ${c.category} | ${c.audience.join(', ')} | ${c.autoFix ?? ''} |`),
    '',
  ];
  for (const category of categories) {
    const inCategory = causes.filter((c) => c.category === category.zh);
    if (inCategory.length === 0) continue;
    lines.push(`### ${category.zh} · ${cell(category.en)}`, '');
    for (const cause of inCategory) lines.push(...section(cause));
  }
  return lines.join('\n');
}
