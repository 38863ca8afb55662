import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateRefundRequest, Refund } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import type { PaymentsDeps } from './deps.ts';
import { requireIdempotencyKey } from './idempotency.ts';
import { createRefund } from './operations/refund.ts';
import { presentRefund } from './refund-present.ts';
import { findRefund, listPaymentRefunds, type RefundRow } from './refunds-store.ts';
import { findPayment } from './store.ts';

const PaymentId = z.object({ id: z.string().regex(/^pay_[0-9a-z]{26}$/) });
const RefundId = z.object({ id: z.string().regex(/^rfd_[0-9a-z]{26}$/) });

export async function refundRoutes(app: FastifyInstance, deps: PaymentsDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/payments/:id/refunds',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'Refund all or part of a payment',
        description:
          'Needs the store’s supervisor PIN (5 wrong tries in 15 minutes lock refunds for 15 minutes). ' +
          'Never more than paid minus what is refunded or in progress. Retry with the same Idempotency-Key ' +
          'after any network problem: it never refunds twice. While `pending` is true, ask again with ' +
          'GET /v1/refunds/{id}; never refund again.',
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        params: PaymentId,
        body: CreateRefundRequest,
        response: { 200: Refund },
      },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const out = await createRefund(deps, {
        terminal: request.terminal!,
        idempotencyKey: key,
        paymentId: request.params.id,
        body: request.body,
      });
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      return out.refund;
    },
  );

  r.get(
    '/v1/refunds/:id',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'A refund of this terminal’s merchant',
        description: '`wait` (seconds, up to 25) holds the answer until the refund is no longer pending.',
        params: RefundId,
        querystring: z.object({ wait: z.coerce.number().int().min(0).max(25).optional() }),
        response: { 200: Refund },
      },
    },
    async (request) => {
      const merchantId = request.terminal!.merchant_id;
      const deadline = Date.now() + (request.query.wait ?? 0) * 1000;
      let row = await ownRefund(deps, request.params.id, merchantId);
      while (row.status === 'processing' && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 200));
        row = await ownRefund(deps, request.params.id, merchantId);
      }
      return presentRefund(row);
    },
  );

  r.get(
    '/v1/payments/:id/refunds',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'The refunds of a payment, oldest first',
        params: PaymentId,
        response: { 200: z.object({ refunds: z.array(Refund) }) },
      },
    },
    async (request) => {
      const payment = await findPayment(deps.db, request.params.id);
      if (!payment || payment.merchant_id !== request.terminal!.merchant_id) throw new AppError('PAY_NOT_FOUND', { param: 'id' });
      return { refunds: (await listPaymentRefunds(deps.db, payment.id)).map(presentRefund) };
    },
  );
}

/** A terminal sees its own merchant's refunds only; anything else is "not found". */
async function ownRefund(deps: PaymentsDeps, id: string, merchantId: string): Promise<RefundRow> {
  const row = await findRefund(deps.db, id);
  if (!row || row.merchant_id !== merchantId) throw new AppError('PAY_REFUND_NOT_FOUND', { param: 'id' });
  return row;
}
