/**
 * What pay-by-code and the QR order share before the channel is called: the amount and subject
 * rules, the merchant's context for the channel, and the intent written in one statement with its
 * idempotency key and its safety-net resolution job.
 */
import { Secret } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { parseYuan } from '@scanpay/money';
import { newId, newOutTradeNo } from '../../../lib/ids.ts';
import type { MerchantRow } from '../../merchants/store.ts';
import type { TerminalRow } from '../../terminals/store.ts';
import type { PaymentsDeps } from '../deps.ts';
import { checkIdempotencyKey } from '../idempotency.ts';
import { insertIntent, type PaymentRow } from '../store.ts';

export const DEFAULT_SUBJECT = '扫码付收款';
// Alipay refuses some characters in subject (protocol brief §2.2); refuse them before recording anything.
const SUBJECT = /^[^/=&<>\\\u0000-\u001f]{1,128}$/;

/** The amount as typed ("12.34") in fen, or the refusal a person understands. */
export function amountFenOrThrow(typed: string): number {
  const amount = parseYuan(typed);
  if (amount.ok) return amount.fen;
  throw new AppError(
    amount.reason === 'empty' ? 'REQ_AMOUNT_MISSING'
      : amount.reason === 'below_minimum' || amount.reason === 'above_maximum' ? 'REQ_AMOUNT_OUT_OF_RANGE'
        : 'REQ_AMOUNT_INVALID',
    { param: 'amount', detail: `amount ${JSON.stringify(typed.slice(0, 32))}: ${amount.reason}` },
  );
}

export function subjectOrThrow(subject: string | undefined): string {
  const s = subject ?? DEFAULT_SUBJECT;
  if (!SUBJECT.test(s)) throw new AppError('REQ_SUBJECT_INVALID', { param: 'subject' });
  return s;
}

export function merchantContext(m: MerchantRow) {
  return {
    ...(m.channel_auth_token ? { authToken: new Secret(m.channel_auth_token) } : {}),
    ...(m.channel_seller_id ? { sellerId: m.channel_seller_id } : {}),
  };
}

export type Intent = { kind: 'new'; payment: PaymentRow } | { kind: 'replay'; paymentId: string };

export interface IntentInput {
  terminal: TerminalRow;
  key: string;
  path: '/v1/payments' | '/v1/payments/qr';
  requestHash: string;
  amountFen: number;
  subject: string;
  channel: string;
  paycodeMasked: string;
  operatorId: string | null;
  kind: 'code' | 'qr';
  /** The end of the query phase of the resolution job (and a QR order's deadline). */
  queryDeadlineAt: Date;
  qrExpiresAt?: Date;
}

/**
 * The intent, its idempotency key, its first event and its safety-net resolution job, written by
 * one statement (atomic and durable before the channel is called). When the key already exists
 * nothing is written, and the key's row says whether this is a replay, a 409 or a 422.
 */
export async function persistIntent(deps: PaymentsDeps, p: IntentInput, now: Date): Promise<Intent> {
  const created = await insertIntent(deps.db, {
    payment: {
      id: newId('pay'),
      merchant_id: p.terminal.merchant_id,
      store_id: p.terminal.store_id,
      terminal_id: p.terminal.id,
      out_trade_no: newOutTradeNo(),
      channel: p.channel,
      amount_fen: p.amountFen,
      subject: p.subject,
      paycode_masked: p.paycodeMasked,
      operator_id: p.operatorId,
      idempotency_key: p.key,
      // The platform's clock, which also schedules the resolution job (tests may move it).
      created_at: now,
      kind: p.kind,
      qr_expires_at: p.qrExpiresAt ?? null,
    },
    path: p.path,
    requestHash: p.requestHash,
    keyLockedUntil: new Date(now.getTime() + deps.timings.payTimeoutMs + 5_000),
    // The safety net: if this process dies before the answer is stored, the job resolves it.
    jobNextRunAt: new Date(now.getTime() + deps.timings.safetyNetDelayMs),
    jobQueryDeadlineAt: p.queryDeadlineAt,
  });
  if (created) return { kind: 'new', payment: created };
  const check = await checkIdempotencyKey(deps.db, p.terminal.id, p.key, p.requestHash, now);
  if (check.kind === 'replay') return { kind: 'replay', paymentId: check.resourceId };
  // The key's row vanished between the two statements (pruned): treat as in progress, the client retries.
  throw new AppError('REQ_IDEMPOTENCY_IN_PROGRESS');
}
