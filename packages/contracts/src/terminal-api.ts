/**
 * The terminal API (`/v1/…`): request and response shapes shared by the platform, the terminal
 * SDK and the cashier app. Amounts travel as yuan strings typed by a person ("12.34") and come
 * back both as that string and as integer fen.
 */
import { z } from 'zod';

const Text = z.object({ zh: z.string(), en: z.string() });

export const EcPublicJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(40).max(48),
  y: z.string().min(40).max(48),
});
export type EcPublicJwk = z.infer<typeof EcPublicJwk>;

export const ActivateRequest = z.object({
  activationCode: z.string().min(6).max(64),
  serial: z.string().min(1).max(64),
  publicKey: EcPublicJwk,
  appVersion: z.string().max(32).optional(),
  osVersion: z.string().max(64).optional(),
});
export type ActivateRequest = z.infer<typeof ActivateRequest>;

export const ActivateResponse = z.object({
  terminalId: z.string(),
  serial: z.string(),
  merchant: z.object({ id: z.string(), name: z.string() }),
  store: z.object({ id: z.string(), name: z.string() }),
  serverTime: z.string(),
});
export type ActivateResponse = z.infer<typeof ActivateResponse>;

export const CreatePaymentRequest = z.object({
  /** Yuan, as typed: "12.34". */
  amount: z.string().max(32),
  /** The scanned payment code (付款码). */
  authCode: z.string().max(1024),
  subject: z.string().max(256).optional(),
  operatorId: z.string().max(32).optional(),
});
export type CreatePaymentRequest = z.infer<typeof CreatePaymentRequest>;

/** 顾客扫码: the terminal shows a QR of the order (Alipay precreate) and the customer scans it. */
export const CreateQrPaymentRequest = z.object({
  /** Yuan, as typed: "12.34". */
  amount: z.string().max(32),
  subject: z.string().max(256).optional(),
  operatorId: z.string().max(32).optional(),
});
export type CreateQrPaymentRequest = z.infer<typeof CreateQrPaymentRequest>;

/** `code`: the cashier scanned the customer's payment code; `qr`: the customer scans our QR. */
export const PaymentKind = z.enum(['code', 'qr']);
export type PaymentKind = z.infer<typeof PaymentKind>;

export const PaymentStatus = z.enum([
  'processing', // sent or about to be sent; the outcome is being established
  'waiting_buyer', // the customer must confirm on the phone (password)
  'succeeded',
  'failed',
  'cancelled', // the outcome was unknown and the trade was cancelled: nothing charged
  'reversed', // the customer was charged and the money is being returned
  'partially_refunded',
  'refunded',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const PaymentFailure = z.object({
  code: z.string(),
  cause: z.string(),
  action: z.string(),
  message: Text,
  remedy: Text,
  channelCode: z.string().nullable(),
  channelSubCode: z.string().nullable(),
});

export const Payment = z.object({
  id: z.string(),
  outTradeNo: z.string(),
  status: PaymentStatus,
  /** True while the outcome is not final: keep asking, never scan again. */
  pending: z.boolean(),
  amount: z.string(),
  amountFen: z.number().int(),
  refundedAmount: z.string(),
  currency: z.literal('CNY'),
  channel: z.string(),
  tradeNo: z.string().nullable(),
  subject: z.string(),
  merchant: z.object({ id: z.string(), name: z.string() }),
  storeId: z.string(),
  terminalId: z.string(),
  operatorId: z.string().nullable(),
  buyerLogonId: z.string().nullable(),
  paycode: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  /** One sentence for the cashier, Chinese first. */
  display: Text,
  failure: PaymentFailure.nullable(),
  kind: PaymentKind,
  /** A QR order's code to render (the channel's URL), only while the buyer may still scan and pay. */
  qrCode: z.string().nullable(),
  /** When the platform stops waiting for the scan (then a final query, then cancel). */
  qrExpiresAt: z.string().nullable(),
});
export type Payment = z.infer<typeof Payment>;

export const CreateRefundRequest = z.object({
  /** Yuan, as typed: "3.50". At most what was paid minus what is already refunded or in flight. */
  amount: z.string().max(32),
  reason: z.string().max(256).optional(),
  /** The store's 6-digit supervisor PIN (主管密码). */
  supervisorPin: z.string().max(32),
});
export type CreateRefundRequest = z.infer<typeof CreateRefundRequest>;

export const RefundStatus = z.enum([
  'processing', // recorded; the channel's answer is being established
  'succeeded',
  'failed', // a definite refusal: nothing was refunded
]);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const Refund = z.object({
  id: z.string(),
  paymentId: z.string(),
  /** Our refund request number at the channel, one per refund for life. */
  outRequestNo: z.string(),
  status: RefundStatus,
  /** True while the outcome is not final: ask again, never refund again. */
  pending: z.boolean(),
  amount: z.string(),
  amountFen: z.number().int(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  display: Text,
  failure: PaymentFailure.nullable(),
});
export type Refund = z.infer<typeof Refund>;
