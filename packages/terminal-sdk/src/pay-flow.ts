import type { CreatePaymentRequest, Payment } from '@scanpay/contracts';
import { ApiError, NetworkError, type TerminalClient } from './client.ts';

/**
 * The terminal's side of "never charge twice, never lose a payment": the idempotency key and the
 * request are stored before the first send; every retry reuses them; after a reconnect or a
 * restart the stored payment is resumed and its outcome shown, and no new scan is allowed until
 * it is decided.
 */
export interface PendingPayment {
  idempotencyKey: string;
  request: CreatePaymentRequest;
  paymentId?: string;
  createdAt: number;
}

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
  const existing = await store.load();
  if (existing) throw new PendingPaymentExists(existing);
  const pending: PendingPayment = { idempotencyKey: newIdempotencyKey(), request, createdAt: Date.now() };
  await store.save(pending);
  return drive(client, store, pending, options);
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
