import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreatePaymentRequest, CreateQrPaymentRequest, Payment } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { findMerchant } from '../merchants/store.ts';
import type { PaymentsDeps } from './deps.ts';
import { requireIdempotencyKey } from './idempotency.ts';
import { payByCode } from './operations/pay-by-code.ts';
import { createQrPayment } from './operations/qr-payment.ts';
import { stopPayment } from './operations/stop.ts';
import { presentPayment } from './present.ts';
import { findPayment, listTerminalPayments, type PaymentRow } from './store.ts';
import { PENDING_STATES } from './transitions.ts';

const PaymentId = z.object({ id: z.string().regex(/^pay_[0-9a-z]{26}$/) });

export async function paymentRoutes(app: FastifyInstance, deps: PaymentsDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/payments',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'Pay by the customer’s payment code',
        description:
          'Records the payment, then charges the scanned code once. Retry with the same Idempotency-Key ' +
          'after any network problem: it never charges twice. While `pending` is true, ask again with ' +
          'GET /v1/payments/{id}; never scan again.',
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        body: CreatePaymentRequest,
        response: { 200: Payment },
      },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const out = await payByCode(deps, {
        terminal: request.terminal!,
        idempotencyKey: key,
        body: request.body,
        rawBody: request.rawBody ?? '',
      });
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      return out.payment;
    },
  );

  r.post(
    '/v1/payments/qr',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'A QR the customer scans (顾客扫码)',
        description:
          'For a customer who cannot show a payment code: records the payment, asks the channel for a ' +
          'QR order once, and answers with `qrCode` (render it as a QR) and `qrExpiresAt`. The payment ' +
          'stays pending while the buyer has not scanned and paid; at `qrExpiresAt` it is cancelled. ' +
          'Retry with the same Idempotency-Key after any network problem: it never makes a second order. ' +
          'Then ask with GET /v1/payments/{id} until `pending` is false.',
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        body: CreateQrPaymentRequest,
        response: { 200: Payment },
      },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const out = await createQrPayment(deps, {
        terminal: request.terminal!,
        idempotencyKey: key,
        body: request.body,
        rawBody: request.rawBody ?? '',
      });
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      return out.payment;
    },
  );

  r.post(
    '/v1/payments/:id/cancel',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'Stop waiting for the buyer (取消收款)',
        description:
          'Ends the wait of an undecided payment: the platform makes a final query, then cancels the ' +
          'trade with the channel. The answer is the payment as it is (usually still pending): keep ' +
          'asking with GET /v1/payments/{id}. It ends `cancelled` (nothing charged), `reversed`, or ' +
          '`succeeded` if the buyer paid just before. A decided payment gives 409 PAY_INVALID_STATE. ' +
          'Retry with the same Idempotency-Key: a replay answers with the payment as it is now.',
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        params: PaymentId,
        response: { 200: Payment },
      },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const out = await stopPayment(deps, { terminal: request.terminal!, idempotencyKey: key, paymentId: request.params.id });
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      return out.payment;
    },
  );

  r.get(
    '/v1/payments/:id',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'A payment of this terminal’s merchant',
        description: '`wait` (seconds, up to 25) holds the answer until the payment is no longer pending.',
        params: PaymentId,
        querystring: z.object({ wait: z.coerce.number().int().min(0).max(25).optional() }),
        response: { 200: Payment },
      },
    },
    async (request) => {
      const terminal = request.terminal!;
      const deadline = Date.now() + (request.query.wait ?? 0) * 1000;
      let row = await ownPayment(deps, request.params.id, terminal.merchant_id);
      while (PENDING_STATES.has(row.status) && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 200));
        row = await ownPayment(deps, request.params.id, terminal.merchant_id);
      }
      const merchant = terminal.merchant ?? (await findMerchant(deps.db, row.merchant_id));
      return presentPayment(row, merchant?.name ?? '');
    },
  );

  r.get(
    '/v1/payments',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['payments'],
        summary: 'This terminal’s recent payments, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: z.object({ payments: z.array(Payment) }) },
      },
    },
    async (request) => {
      const terminal = request.terminal!;
      const merchant = terminal.merchant ?? (await findMerchant(deps.db, terminal.merchant_id));
      const rows = await listTerminalPayments(deps.db, terminal.id, request.query.limit);
      return { payments: rows.map((row) => presentPayment(row, merchant?.name ?? '')) };
    },
  );
}

/** A terminal sees its own merchant's payments only; anything else is "not found". */
async function ownPayment(deps: PaymentsDeps, id: string, merchantId: string): Promise<PaymentRow> {
  const row = await findPayment(deps.db, id);
  if (!row || row.merchant_id !== merchantId) throw new AppError('PAY_NOT_FOUND', { param: 'id' });
  return row;
}
