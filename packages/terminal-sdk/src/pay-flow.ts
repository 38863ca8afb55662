import type { CreatePaymentRequest, CreateQrPaymentRequest, Payment } from '@scanpay/contracts';
import { ApiError, NetworkError, type TerminalClient } from './client.ts';

/**
 * The terminal's side of "never charge twice, never lose a payment": the idempotency key and the
 * request are stored before the first send; every retry reuses them; after a reconnect or a
 * restart the stored payment is resumed and its outcome shown, and no new scan is allowed until
 * it is decided.
 */
export type PendingPayment = {
  idempotencyKey: string;
  paymentId?: string;
  createdAt: number;
  /** When the cashier asked the platform to stop waiting (取消收款); the outcome is still awaited. */
  stopRequestedAt?: number;
} & (
  | { kind?: 'code'; request: CreatePaymentRequest }
  /** 顾客扫码: a QR order the customer scans. */
  | { kind: 'qr'; request: CreateQrPaymentRequest }
);

export interface PendingPaymentStore {
  load(): Promise<PendingPayment | null>;
  save(p: PendingPayment): Promise<void>;
  clear(): Promise<void>;
}

export type PayProgress =
  | { stage: 'sending'; attempt: number }
  | { stage: 'retrying'; attempt: number; reason: string; inMs: number }
  | { stage: 'pending'; payment: Payment }
  | { stage: 'done'; payment: Payment };

/** The outcome could not be learned before the deadline; it stays stored and resumes later. */
export class PaymentStillPending extends Error {
  readonly pending: PendingPayment;
  constructor(pending: PendingPayment, reason: string) {
    super(`payment result still pending: ${reason}`);
    this.name = 'PaymentStillPending';
    this.pending = pending;
  }
}

/** A new scan was attempted while an earlier payment is undecided. */
export class PendingPaymentExists extends Error {
  readonly pending: PendingPayment;
  constructor(pending: PendingPayment) {
    super('an earlier payment is still undecided; resume it before charging again');
    this.name = 'PendingPaymentExists';
    this.pending = pending;
  }
}

export interface PayOptions {
  onProgress?: (p: PayProgress) => void;
  /** Give up waiting (the payment stays pending and resumable) after this long. Default 120 s. */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export function newIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `pk_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Exponential backoff with full jitter, so terminals coming back together do not stampede. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(5_000, 500 * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const defaultSleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

export async function pay(
  client: TerminalClient,
  store: PendingPaymentStore,
  request: CreatePaymentRequest,
  options: PayOptions = {},
): Promise<Payment> {
  return start(client, store, { kind: 'code', request }, options);
}

/**
 * 顾客扫码: the same flow for a QR order. Its progress reports the pending payment with `qrCode`
 * (render it) and `qrExpiresAt`; it resolves once the buyer paid or the order was cancelled. Like
 * `pay()`, it refuses while another payment is undecided: never a second QR beside an open one.
 */
export async function payByQr(
  client: TerminalClient,
  store: PendingPaymentStore,
  request: CreateQrPaymentRequest,
  options: PayOptions = {},
): Promise<Payment> {
  return start(client, store, { kind: 'qr', request }, options);
}

async function start(
  client: TerminalClient,
  store: PendingPaymentStore,
  what: { kind: 'code'; request: CreatePaymentRequest } | { kind: 'qr'; request: CreateQrPaymentRequest },
  options: PayOptions,
): Promise<Payment> {
  const existing = await store.load();
  if (existing) throw new PendingPaymentExists(existing);
  const pending: PendingPayment = { idempotencyKey: newIdempotencyKey(), createdAt: Date.now(), ...what };
  await store.save(pending);
  return drive(client, store, pending, options);
}

export interface StopOptions {
  /** Marks the stored payment as being stopped, so a reload shows 正在撤销 again. */
  store?: PendingPaymentStore;
  /** Stop retrying after this long (the payment stays pending; the cashier may press again). Default 30 s. */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * 取消收款: asks the platform to stop waiting for the buyer, retrying with one Idempotency-Key until
 * it answers. Returns the payment as the platform has it — usually still pending: keep following
 * it (the pay flow's own polling does) until it ends cancelled, or succeeded if the buyer paid just
 * before. A payment decided meanwhile is returned as it is.
 */
export async function stopPayment(client: TerminalClient, paymentId: string, options: StopOptions = {}): Promise<Payment> {
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.deadlineMs ?? 30_000);
  const stored = await options.store?.load();
  if (options.store && stored?.paymentId === paymentId && !stored.stopRequestedAt) {
    await options.store.save({ ...stored, stopRequestedAt: Date.now() });
  }
  const key = newIdempotencyKey();
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.cancelPayment(paymentId, key);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'PAY_INVALID_STATE') return client.getPayment(paymentId);
      if (err instanceof ApiError && !err.retryable) throw err;
      if (Date.now() >= deadline) throw err;
      await sleep(retryDelay(attempt, options.random));
    }
  }
}

/** Continues a stored payment after a restart or a reconnect; null when there is none. */
export async function resumePending(
  client: TerminalClient,
  store: PendingPaymentStore,
  options: PayOptions = {},
): Promise<Payment | null> {
  const pending = await store.load();
  return pending ? drive(client, store, pending, options) : null;
}

async function drive(
  client: TerminalClient,
  store: PendingPaymentStore,
  pending: PendingPayment,
  options: PayOptions,
): Promise<Payment> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  const progress = options.onProgress ?? (() => {});

  let payment: Payment | undefined;
  for (let attempt = 0; !payment; attempt++) {
    try {
      progress({ stage: 'sending', attempt });
      // Before the platform gave us an id, resending the same key and body is how we learn it.
      payment = pending.paymentId
        ? await client.getPayment(pending.paymentId)
        : pending.kind === 'qr'
          ? await client.createQrPayment(pending.request, pending.idempotencyKey)
          : await client.createPayment(pending.request, pending.idempotencyKey);
    } catch (err) {
      if (err instanceof ApiError && !err.retryable) {
        // A definite refusal: nothing was charged; the stored intent goes.
        await store.clear();
        throw err;
      }
      const reason = err instanceof ApiError ? err.code : err instanceof NetworkError ? 'network' : String(err);
      if (Date.now() >= deadline) throw new PaymentStillPending(pending, reason);
      const inMs = retryDelay(attempt, random);
      progress({ stage: 'retrying', attempt, reason, inMs });
      await sleep(inMs);
    }
  }
  if (!pending.paymentId) {
    pending.paymentId = payment.id;
    await store.save(pending);
  }

  for (let attempt = 0; payment.pending; ) {
    progress({ stage: 'pending', payment });
    if (Date.now() >= deadline) throw new PaymentStillPending(pending, `still ${payment.status}`);
    try {
      payment = await client.getPayment(payment.id, 10);
      attempt = 0;
    } catch (err) {
      if (err instanceof ApiError && !err.retryable) throw err;
      await sleep(retryDelay(attempt++, random));
    }
  }
  await store.clear();
  progress({ stage: 'done', payment });
  return payment;
}

/** A store that lives as long as the process: for tests and one-shot CLI use. */
export function memoryPendingStore(): PendingPaymentStore {
  let value: PendingPayment | null = null;
  return {
    load: async () => (value ? structuredClone(value) : null),
    save: async (p) => {
      value = structuredClone(p);
    },
    clear: async () => {
      value = null;
    },
  };
}
