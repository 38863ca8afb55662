import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  compareVersions,
  diagnose,
  formatDiagnosis,
  type Audience,
  type Diagnosis,
  type Lang,
  type SelfCheckEvidence,
} from '@scanpay/diagnosis';
import type { Text } from '@scanpay/errors';
import { diagnoseFailure, type DiagnoseFailureResult, importPrivateJwk, TerminalClient } from '@scanpay/terminal-sdk';
import { dataDir, paths, readJson, type Runtime, type StoredTerminal } from '../local-state.ts';
import { checkLabels, doctorWords as w } from './doctor-texts.ts';

export const DOCTOR_HELP = `Usage: scanpay doctor [--terminal <id>] [--json] [--lang zh|en|both] [--audience cashier|merchant|operator]

一键自检: runs the terminal self-check as the demo terminal (platform, clock, device key,
merchant, channel, versions), sends it to the platform, which adds what it knows and records an
incident, and prints the most likely causes with what to do. When the platform cannot be reached
or refuses this terminal, the diagnosis is made here from what the terminal saw.

  --terminal     the terminal to check (only the demo terminal's identity is kept here)
  --json         print one JSON object
  --lang         zh, en or both (default both)
  --audience     cashier (default: the best cause and what to do), merchant, or operator (with the evidence)
  --platform     the platform URL (default: the one \`scanpay start\` recorded)
  --app-version  the app version to check against the policy (default: this CLI's)

Exit status: 0 nothing wrong found, 1 a cause was found, 64 bad usage.`;

const CLI_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const say = (text: Text, lang: Lang) => (lang === 'both' ? `${text.zh} / ${text.en}` : text[lang]);
const colon = (lang: Lang) => (lang === 'zh' ? '：' : ': ');
/** Columns on a terminal: CJK characters take two. */
const columns = (s: string) => [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - columns(s)));
const seconds = (ms: number) => {
  const s = Math.round(ms / 100) / 10;
  return `${s > 0 ? '+' : ''}${s === 0 ? '0.0' : s.toFixed(1)} s`;
};

/** Whether a check passed, and a few words on what it found. */
function verdict(e: SelfCheckEvidence): { ok: boolean; detail: string } {
  switch (e.check) {
    case 'platform':
    case 'channel':
      return { ok: e.ok, detail: e.ok ? `${e.latencyMs ?? '?'} ms` : [e.failure, e.code, e.httpStatus].filter(Boolean).join(' ') };
    case 'clock':
      return { ok: Math.abs(e.offsetMs) <= 30_000, detail: seconds(e.offsetMs) };
    case 'version': {
      const ok = compareVersions(e.current, e.minimum) >= 0;
      return { ok, detail: `${e.component} ${e.current} ${ok ? '≥' : '<'} ${e.minimum}` };
    }
    case 'device_auth':
      return { ok: e.ok, detail: e.ok ? '' : (e.code ?? '') };
    case 'merchant': {
      const ok = e.status === 'active' && e.productSigned !== false && (e.contract ?? 'valid') === 'valid';
      return { ok, detail: [e.status, e.productSigned === false ? 'product not signed' : '', e.contract && e.contract !== 'valid' ? `contract ${e.contract}` : ''].filter(Boolean).join(', ') };
    }
    case 'link':
      return { ok: e.online, detail: e.network ?? '' };
    case 'dns':
    case 'tls':
      return { ok: e.ok, detail: e.host ?? '' };
    case 'camera':
    case 'scan_head':
      return { ok: e.result === 'pass', detail: e.result };
    case 'scan_profile':
      return { ok: e.ok, detail: e.problems.join(', ') };
  }
}

function checkLines(result: DiagnoseFailureResult, lang: Lang): string[] {
  const report = result.report;
  if (!report) return [];
  const label = (c: keyof typeof checkLabels) => say(checkLabels[c], lang);
  const width = Math.max(...Object.keys(checkLabels).map((c) => columns(label(c as keyof typeof checkLabels))));
  const lines = report.evidence.map((e) => {
    const v = verdict(e);
    return `  ${v.ok ? '✓' : '✗'} ${pad(label(e.check), width)}  ${v.ok ? say(w.ok, lang) : say(w.problem, lang)}${v.detail ? `  ${v.detail}` : ''}`;
  });
  for (const s of report.skipped) lines.push(`  – ${pad(label(s.check), width)}  ${say(w.skipped, lang)}${colon(lang)}${say(s.reason, lang)}`);
  return lines;
}

/** The auto-fix of the best cause: applied already, or the exact steps to apply it here. */
function fixLines(result: DiagnoseFailureResult, dir: string, lang: Lang): string[] {
  const fix = result.diagnosis.causes[0]?.autoFix;
  const applied = result.report?.applied ?? [];
  const c = colon(lang);
  if (fix === 'resync_clock' && applied.includes('resync_clock')) return [`${say(w.fixed, lang)}${c}${say(w.resyncApplied, lang)}`];
  if (fix === 'reactivate') {
    const env = process.env.SCANPAY_DATA_DIR ? `SCANPAY_DATA_DIR=${process.env.SCANPAY_DATA_DIR} ` : '';
    return [
      `${say(w.todo, lang)}${c}${say(w.reactivateSteps, lang)}`,
      `  1. ${say(w.reactivateStop, lang)}`,
      `  2. ${say(w.reactivateRemove, lang)}`,
      `     $ rm ${paths(dir).terminal}`,
      `  3. ${say(w.reactivateStart, lang)}`,
      `     $ ${env}npx scanpay start`,
    ];
  }
  if (fix === 'push_update') {
    const low = result.report?.evidence.find((e) => e.check === 'version' && compareVersions(e.current, e.minimum) < 0);
    const need = low?.check === 'version' ? `  ${say(w.updateNeeded, lang)}${c}${low.component} ≥ ${low.minimum} (${low.current})` : '';
    return [`${say(w.todo, lang)}${c}${say(w.updateHow, lang)}`, ...(need ? [need] : [])];
  }
  if (fix === 'retry_later') return [`${say(w.todo, lang)}${c}${say(w.retryLater, lang)}`];
  return [];
}

export async function doctorCommand(argv: string[], out = console.log, err = console.error): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      terminal: { type: 'string' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'both' },
      audience: { type: 'string', default: 'cashier' },
      platform: { type: 'string' },
      'app-version': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    out(DOCTOR_HELP);
    return 0;
  }
  const lang = values.lang as Lang;
  const audience = values.audience as Audience;
  if (!['zh', 'en', 'both'].includes(lang) || !['cashier', 'merchant', 'operator'].includes(audience)) {
    err(DOCTOR_HELP);
    return 64;
  }
  const dir = dataDir();
  const p = paths(dir);
  const stored = readJson<StoredTerminal>(p.terminal);
  if (stored && values.terminal && values.terminal !== stored.terminalId) {
    err(`${say(w.otherTerminal, lang)}${colon(lang)}${stored.terminalId}`);
    return 64;
  }
  if (!stored) {
    // No device key at all: the terminal is, as far as this machine goes, not activated.
    const diagnosis = diagnose([{ kind: 'self_check', check: 'device_auth', ok: false, code: 'TRM_NOT_ACTIVATED', origin: 'cli' }]);
    return print({ diagnosis, evidence: [], diagnosedBy: 'device' }, { json: values.json, lang, audience, dir, out, header: say(w.noIdentity, lang) });
  }
  const runtime = readJson<Runtime>(p.runtime);
  const baseUrl = values.platform ?? runtime?.platformUrl ?? stored.baseUrl;
  const client = new TerminalClient({ baseUrl, terminalId: stored.terminalId, privateKey: await importPrivateJwk(stored.privateJwk) }, { timeoutMs: 5_000 });
  const result = await diagnoseFailure(client, { selfCheck: { appVersion: values['app-version'] ?? CLI_VERSION } });
  const header = `${say(w.title, lang)}  ${stored.terminalId} → ${baseUrl}  (${result.report?.durationMs ?? 0} ms)`;
  return print(result, { json: values.json, lang, audience, dir, out, header });
}

function print(
  result: DiagnoseFailureResult,
  o: { json: boolean | undefined; lang: Lang; audience: Audience; dir: string; out: (s: string) => void; header: string },
): number {
  const found = result.diagnosis.causes.length > 0;
  if (o.json) {
    o.out(JSON.stringify(jsonView(result)));
    return found ? 1 : 0;
  }
  const by = result.diagnosedBy === 'platform' ? say(w.byPlatform, o.lang) : say(w.byDevice, o.lang);
  const incident = result.incident ? `  (${say(w.incident, o.lang)} ${result.incident.id})` : '';
  const lines = [
    o.header,
    ...checkLines(result, o.lang),
    '',
    `${say(w.diagnosis, o.lang)} — ${by}${incident}`,
    formatDiagnosis(result.diagnosis, { lang: o.lang, audience: o.audience }).trimEnd(),
    ...fixLines(result, o.dir, o.lang),
  ];
  o.out(lines.join('\n'));
  return found ? 1 : 0;
}

function jsonView(r: DiagnoseFailureResult) {
  const d: Diagnosis = r.diagnosis;
  return {
    diagnosedBy: r.diagnosedBy,
    incidentId: r.incident?.id ?? null,
    topCause: d.causes[0]?.cause ?? null,
    causes: d.causes.map((c) => ({ cause: c.cause, confidence: c.confidence, title: c.title, remedy: c.remedy, ...(c.autoFix ? { autoFix: c.autoFix } : {}) })),
    selfCheck: r.report ? { evidence: r.report.evidence, skipped: r.report.skipped, applied: r.report.applied, durationMs: r.report.durationMs } : null,
    evidence: r.evidence,
  };
}
