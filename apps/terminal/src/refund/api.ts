/**
 * Refunds through the signed client: POST /v1/payments/:id/refunds with the supervisor PIN, then
 * GET /v1/refunds/:id until decided. The Idempotency-Key is fixed when the refund screen opens
 * (UX.md §2 step 10), so a retry after a network problem can never refund twice.
 */
import type { TerminalClient } from '@scanpay/terminal-sdk';
import type { Text } from '../i18n.tsx';

/** The platform's refund as the terminal API returns it (packages/contracts `Refund`). */
export interface RefundView {
  id: string;
  paymentId: string;
  outRequestNo: string;
  status: 'processing' | 'succeeded' | 'failed';
  pending: boolean;
  amount: string;
  amountFen: number;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  display: Text;
  failure: { code: string; message: Text; remedy: Text } | null;
}

export interface RefundInput {
  amount: string;
  reason?: string;
  supervisorPin: string;
}

export function requestRefund(client: TerminalClient, paymentId: string, input: RefundInput, idempotencyKey: string): Promise<RefundView> {
  const body = { amount: input.amount, supervisorPin: input.supervisorPin, ...(input.reason ? { reason: input.reason } : {}) };
  return client.request<RefundView>('POST', `/v1/payments/${encodeURIComponent(paymentId)}/refunds`, body, {
    'idempotency-key': idempotencyKey,
  });
}

export function getRefund(client: TerminalClient, refundId: string, waitSeconds = 0): Promise<RefundView> {
  const q = waitSeconds > 0 ? `?wait=${Math.min(25, Math.round(waitSeconds))}` : '';
  return client.request<RefundView>('GET', `/v1/refunds/${encodeURIComponent(refundId)}${q}`);
}
