/**
 * Refunds through the signed client: POST /v1/payments/:id/refunds with the supervisor PIN, then
 * GET /v1/refunds/:id until decided. The Idempotency-Key is fixed when the refund screen opens
 * (UX.md §2 step 10), so a retry after a network problem can never refund twice.
 */
import type { CreateRefundRequest, Refund } from '@scanpay/contracts';
import type { TerminalClient } from '@scanpay/terminal-sdk';

export type RefundView = Refund;

export function requestRefund(client: TerminalClient, paymentId: string, input: CreateRefundRequest, idempotencyKey: string): Promise<Refund> {
  const body: CreateRefundRequest = { amount: input.amount, supervisorPin: input.supervisorPin, ...(input.reason ? { reason: input.reason } : {}) };
  return client.request<Refund>('POST', `/v1/payments/${encodeURIComponent(paymentId)}/refunds`, body, {
    'idempotency-key': idempotencyKey,
  });
}

export function getRefund(client: TerminalClient, refundId: string, waitSeconds = 0): Promise<Refund> {
  const q = waitSeconds > 0 ? `?wait=${Math.min(25, Math.round(waitSeconds))}` : '';
  return client.request<Refund>('GET', `/v1/refunds/${encodeURIComponent(refundId)}${q}`);
}

export async function listRefunds(client: TerminalClient, paymentId: string): Promise<Refund[]> {
  return (await client.request<{ refunds: Refund[] }>('GET', `/v1/payments/${encodeURIComponent(paymentId)}/refunds`)).refunds;
}
