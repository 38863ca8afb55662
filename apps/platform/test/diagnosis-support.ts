import { activate, diagnoseFailure, type DiagnoseFailureResult, type SelfCheckOptions, TerminalClient } from '@scanpay/terminal-sdk';
import type { Evidence } from '@scanpay/diagnosis';
import { newId } from '../src/lib/ids.ts';
import { newActivationCode } from '../src/modules/merchants/seed-demo.ts';
import { hashActivationCode } from '../src/modules/terminals/activate.ts';
import { insertTerminal } from '../src/modules/terminals/store.ts';
import type { Harness } from './harness.ts';

/** Registers a terminal of the harness merchant; activated unless `pending`. */
export async function registerTerminal(h: Harness, opts: { pending?: boolean; now?: () => number } = {}) {
  const { rows } = await h.db.query<{ store_id: string }>('select store_id from terminals where id = $1', [h.terminalId]);
  const code = newActivationCode();
  const id = newId('trm');
  const serial = `DIAG-${id.slice(-8).toUpperCase()}`;
  await insertTerminal(h.db, {
    id, merchantId: h.merchantId, storeId: rows[0]!.store_id, serial,
    activationCodeHash: hashActivationCode(code), activationExpiresAt: new Date(Date.now() + 3_600_000),
  });
  if (opts.pending) return { id, serial };
  const activated = await activate({ baseUrl: h.baseUrl, activationCode: code, serial, appVersion: '0.1.0', ...(opts.now ? { options: { now: opts.now } } : {}) });
  return { id, serial, client: activated.client, keyPair: activated.keyPair };
}

/** A fault to produce, then what the terminal saw (a thrown error or a failed payment). */
export interface Scenario {
  name: string;
  /** The seed's words for it, for the table. */
  expected: string;
  run(h: Harness): Promise<{ client: TerminalClient; failure?: unknown; evidence?: Evidence[]; selfCheck?: SelfCheckOptions }>;
  /** Puts the shared parts (simulator, merchant) back as they were. */
  undo?(h: Harness): Promise<void>;
  /** Runs after the others, in this order (it stops a service). */
  last?: number;
}

export interface Measured {
  name: string;
  expected: string;
  top1: string;
  confidence: number;
  top3: string[];
  diagnosedBy: 'platform' | 'device';
  msToDiagnosis: number;
  result: DiagnoseFailureResult;
}

/** Produces the failure, then diagnoses it as the terminal would, timing failure → diagnosis. */
export async function measure(h: Harness, s: Scenario): Promise<Measured> {
  const seen = await s.run(h);
  const started = performance.now();
  const result = await diagnoseFailure(seen.client, {
    ...(seen.failure === undefined ? {} : { failure: seen.failure }),
    ...(seen.evidence ? { evidence: seen.evidence } : {}),
    ...(seen.selfCheck ? { selfCheck: seen.selfCheck } : {}),
  });
  const msToDiagnosis = Math.round(performance.now() - started);
  const causes = result.diagnosis.causes;
  return {
    name: s.name,
    expected: s.expected,
    top1: causes[0]?.cause ?? '(none)',
    confidence: causes[0]?.confidence ?? 0,
    top3: causes.slice(0, 3).map((c) => c.cause),
    diagnosedBy: result.diagnosedBy,
    msToDiagnosis,
    result,
  };
}

export function table(rows: readonly Measured[]): string {
  const head = ['scenario', 'expected', 'top-1', 'conf', 'by', 'ms'];
  const body = rows.map((r) => [r.name, r.expected, r.top1 === r.expected ? r.top1 : `✗ ${r.top1}`, r.confidence.toFixed(2), r.diagnosedBy, String(r.msToDiagnosis)]);
  const widths = head.map((_, i) => Math.max(head[i]!.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** A client of an existing terminal id with a key the platform never saw. */
export async function clientWithKey(h: Harness, terminalId: string, privateKey: CryptoKey): Promise<TerminalClient> {
  return new TerminalClient({ baseUrl: h.baseUrl, terminalId, privateKey });
}
