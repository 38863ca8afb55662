import type { Evidence, ErrorEvidence, TransportFailure } from '@scanpay/diagnosis';
import { findMerchant } from '../merchants/store.ts';
import { findPayment, listTerminalPayments, type PaymentRow } from '../payments/store.ts';
import type { TerminalRow } from '../terminals/store.ts';
import { channelViews, type DiagnosisDeps, merchantView } from './self-status.ts';
import { channelUnknownsOf, recentRefusals } from './store.ts';

/** What happened before this long ago is history, not the failure being diagnosed. */
export const RECENT_MS = 15 * 60_000;
const MAX_PAYMENTS = 5;

const TRANSPORT_FAILURES: ReadonlySet<string> = new Set<TransportFailure>([
  'offline', 'dns', 'tls', 'refused', 'reset', 'timeout', 'network', 'http_status', 'system_error', 'bad_signature', 'unparsable',
]);

const has = (evidence: readonly Evidence[], check: string) =>
  evidence.some((e) => e.kind === 'self_check' && e.check === check);

function failureOf(p: PaymentRow): ErrorEvidence | undefined {
  if (p.status !== 'failed' || !p.failure_code) return undefined;
  return {
    kind: 'error',
    code: p.failure_code,
    ...(p.failure_cause ? { cause: p.failure_cause } : {}),
    channel: p.channel,
    ...(p.channel_raw_code ? { rawCode: p.channel_raw_code } : {}),
    ...(p.channel_raw_sub_code ? { rawSubCode: p.channel_raw_sub_code } : {}),
    operation: 'pay',
    origin: 'platform',
    at: (p.decided_at ?? p.updated_at).toISOString(),
  };
}

/**
 * The terminal's recent payments back to its last successful one: a failure after that is what
 * the cashier is asking about; anything before it was already overcome.
 */
function sinceLastSuccess(rows: readonly PaymentRow[], now: Date): PaymentRow[] {
  const out: PaymentRow[] = [];
  for (const p of rows) {
    if (now.getTime() - p.created_at.getTime() > RECENT_MS) break;
    if (p.status === 'succeeded') break;
    out.push(p);
    if (out.length === MAX_PAYMENTS) break;
  }
  return out;
}

/**
 * What the platform knows that the terminal cannot see: its recent failed payments and the
 * channel's silences behind them, the channel and the merchant as the platform sees them, and
 * the refusals it gave this terminal. The terminal's own fresh checks win: the platform fills in
 * only the checks the terminal did not send.
 */
export async function platformEvidence(
  deps: DiagnosisDeps,
  terminal: TerminalRow,
  given: readonly Evidence[],
  opts: { paymentId?: string } = {},
): Promise<Evidence[]> {
  const now = deps.now();
  const out: Evidence[] = [];
  const at = now.toISOString();

  const [rows, merchant, refusals] = await Promise.all([
    listTerminalPayments(deps.db, terminal.id, 10),
    findMerchant(deps.db, terminal.merchant_id),
    recentRefusals(deps.db, terminal.id, RECENT_MS),
  ]);
  const payments = sinceLastSuccess(rows, now);
  if (opts.paymentId && !payments.some((p) => p.id === opts.paymentId)) {
    const p = await findPayment(deps.db, opts.paymentId);
    if (p && p.merchant_id === terminal.merchant_id) payments.unshift(p);
  }

  const seenErrors = new Set(given.filter((e) => e.kind === 'error').map((e) => `${e.code}|${e.rawSubCode ?? ''}`));
  for (const p of payments) {
    const failure = failureOf(p);
    const key = failure && `${failure.code}|${failure.rawSubCode ?? ''}`;
    if (failure && key && !seenErrors.has(key)) {
      seenErrors.add(key);
      out.push(failure);
    }
  }
  const silences = new Set<string>();
  for (const u of await channelUnknownsOf(deps.db, payments.map((p) => p.id))) {
    if (!TRANSPORT_FAILURES.has(u.reason) || silences.has(u.reason)) continue;
    silences.add(u.reason);
    out.push({ kind: 'transport', target: 'channel', failure: u.reason as TransportFailure, origin: 'platform', at: u.created_at.toISOString() });
  }

  const needChannel = !has(given, 'channel');
  const needMerchant = !has(given, 'merchant');
  if ((needChannel || needMerchant) && merchant) {
    const channels = await channelViews(deps, merchant);
    if (needChannel) {
      for (const c of channels) {
        const { id: _id, source: _source, observedAt, ...reach } = c;
        out.push({ kind: 'self_check', check: 'channel', ...reach, origin: 'platform', at: observedAt });
      }
    }
    if (needMerchant) out.push({ kind: 'self_check', check: 'merchant', ...merchantView(merchant, rows, channels), origin: 'platform', at });
  }

  for (const r of refusals) {
    const seen = r.last_at.toISOString();
    if (r.code === 'TRM_TIMESTAMP_SKEW') {
      if (!has(given, 'clock') && r.last_clock_offset_ms !== null) {
        out.push({ kind: 'self_check', check: 'clock', offsetMs: Math.round(r.last_clock_offset_ms), reference: 'platform', origin: 'platform', at: seen });
      }
    } else if (!has(given, 'device_auth')) {
      out.push({ kind: 'error', code: r.code, operation: 'device_auth', origin: 'platform', at: seen });
    }
  }
  return out;
}
