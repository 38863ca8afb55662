/**
 * Drives one payment through the SDK's `pay()` / `resumePending()` and turns its progress into what
 * the cashier sees. The rule it keeps: while a payment is undecided the screen says so and keeps
 * asking (same Idempotency-Key, the SDK's backoff), and no new scan can start — even past the SDK's
 * deadline, after a reload, or when the network is gone.
 */
import type { CreatePaymentRequest, CreateQrPaymentRequest, Payment } from '@scanpay/contracts';
import {
  ApiError,
  NetworkError,
  pay,
  payByQr,
  PaymentStillPending,
  PendingPaymentExists,
  resumePending,
  stopPayment,
  type PayProgress,
  type PendingPaymentStore,
  type TerminalClient,
} from '@scanpay/terminal-sdk';
import type { Text } from '../i18n.tsx';

export interface Refusal {
  code: string;
  message: Text;
  remedy: Text;
  action?: string;
}

export type PayView =
  | { stage: 'sending'; amount: string; kind?: 'qr' }
  /** 顾客扫码: the QR to show until the buyer has paid or the order is cancelled (`expiresAt`: local ms). */
  | { stage: 'qr'; amount: string; payment: Payment; qrCode: string; expiresAt: number }
  /** 取消收款 was asked for: the platform makes a final query, then cancels. */
  | { stage: 'stopping'; amount: string; payment?: Payment }
  | { stage: 'processing'; amount: string; payment: Payment }
  | { stage: 'waiting_buyer'; amount: string; payment: Payment; since: number }
  | { stage: 'confirming'; amount: string; reason: string; payment?: Payment; problem?: Refusal }
  | { stage: 'done'; amount: string; payment: Payment }
  | { stage: 'refused'; amount: string; refusal: Refusal };

export interface RunnerOptions {
  onView: (view: PayView) => void;
  /** false when a request got no answer, true when one did: drives the offline banner. */
  onReachable?: (reachable: boolean) => void;
  /** How long one SDK call waits before it reports "still pending" (and we go on asking). */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const sleepMs = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

export function refusalOf(err: unknown): Refusal {
  if (err instanceof ApiError) {
    const p = err.problem;
    return {
      code: p.code,
      message: p.message ?? { zh: p.title, en: p.title },
      remedy: p.remedy ?? { zh: '', en: '' },
      ...(typeof p.action === 'string' ? { action: p.action } : {}),
    };
  }
  return {
    code: 'CLIENT_ERROR',
    message: { zh: '收款出错', en: 'The payment could not be processed' },
    remedy: { zh: '请重试；仍不行请联系服务商', en: 'Try again; if it persists, contact support' },
  };
}

export class PayRunner {
  private running: Promise<void> | null = null;
  private amount = '';
  private waitingSince: number | undefined;
  private lastPayment: Payment | undefined;
  /** The cashier asked to stop this payment (取消收款); its outcome is still awaited. */
  private stopping = false;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly client: TerminalClient,
    private readonly store: PendingPaymentStore,
    private readonly options: RunnerOptions,
  ) {
    this.sleep = options.sleep ?? sleepMs;
    this.now = options.now ?? Date.now;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves once no payment is being driven (the store is then empty or the outcome shown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Whether an undecided payment is stored: nothing new may be charged until it is resolved. */
  async hasPending(): Promise<boolean> {
    return (await this.store.load()) !== null;
  }

  /** Starts a payment. Refuses (returns false) while another one is undecided. */
  async start(request: CreatePaymentRequest): Promise<boolean> {
    await this.idle();
    if (await this.hasPending()) {
      void this.resume();
      return false;
    }
    this.amount = request.amount;
    this.options.onView({ stage: 'sending', amount: request.amount });
    this.stopping = false;
    this.drive(() => pay(this.client, this.store, request, this.sdkOptions()));
    return true;
  }

  /** 顾客扫码: starts a QR order. Refuses (false) while another payment is undecided: never a second QR. */
  async startQr(request: CreateQrPaymentRequest): Promise<boolean> {
    await this.idle();
    if (await this.hasPending()) {
      void this.resume();
      return false;
    }
    this.amount = request.amount;
    this.options.onView({ stage: 'sending', amount: request.amount, kind: 'qr' });
    this.stopping = false;
    this.drive(() => payByQr(this.client, this.store, request, this.sdkOptions()));
    return true;
  }

  /**
   * 取消收款: asks the platform to stop waiting (final query, then cancel) and shows 正在撤销 until
   * the pay loop, which keeps asking, sees the outcome. False when there is nothing to stop.
   */
  async stop(): Promise<boolean> {
    const id = this.lastPayment?.id ?? (await this.store.load())?.paymentId;
    if (!id || (this.lastPayment && !this.lastPayment.pending)) return false;
    this.stopping = true;
    this.options.onView({ stage: 'stopping', amount: this.amount, ...(this.lastPayment ? { payment: this.lastPayment } : {}) });
    try {
      const payment = await stopPayment(this.client, id, { store: this.store, ...(this.options.sleep ? { sleep: this.options.sleep } : {}) });
      this.options.onReachable?.(true);
      // A decided answer is left to the pay loop, which shows (and announces) it once.
      if (payment.pending) this.show(payment);
      return true;
    } catch (err) {
      // The stop was not taken: back to the waiting screen, from which the cashier may press again.
      this.stopping = false;
      this.options.onReachable?.(!(err instanceof NetworkError));
      if (this.lastPayment) this.show(this.lastPayment);
      return false;
    }
  }

  /** Continues the stored payment (on start-up, after a reload). False when there is none. */
  async resume(): Promise<boolean> {
    if (this.running) return true;
    const pending = await this.store.load();
    if (!pending) return false;
    this.amount = pending.request.amount;
    this.stopping = pending.stopRequestedAt !== undefined;
    this.options.onView({ stage: 'confirming', amount: this.amount, reason: 'resumed' });
    this.drive(() => this.resumeOrThrow());
    return true;
  }

  /** 查询结果: asks the platform now and shows what it says; the pay loop keeps running beside it. */
  async queryNow(): Promise<Payment | null> {
    const id = this.lastPayment?.id ?? (await this.store.load())?.paymentId;
    if (!id) return null;
    try {
      const payment = await this.client.getPayment(id);
      this.options.onReachable?.(true);
      this.show(payment);
      return payment;
    } catch {
      this.options.onReachable?.(false);
      return null;
    }
  }

  private async resumeOrThrow(): Promise<Payment> {
    const payment = await resumePending(this.client, this.store, this.sdkOptions());
    if (!payment) throw new Error('nothing to resume');
    return payment;
  }

  private sdkOptions() {
    return {
      onProgress: (p: PayProgress) => this.progress(p),
      deadlineMs: this.options.deadlineMs ?? 120_000,
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
    };
  }

  private progress(p: PayProgress): void {
    switch (p.stage) {
      case 'sending':
      case 'done': // shown once `pay()` returns
        return;
      case 'retrying':
        if (p.reason === 'network') this.options.onReachable?.(false);
        this.options.onView({
          stage: 'confirming',
          amount: this.amount,
          reason: p.reason,
          ...(this.lastPayment ? { payment: this.lastPayment } : {}),
        });
        return;
      case 'pending':
        this.options.onReachable?.(true);
        this.show(p.payment);
        return;
    }
  }

  private show(payment: Payment): void {
    this.lastPayment = payment;
    this.amount = payment.amount;
    if (!payment.pending) {
      this.stopping = false;
      this.options.onView({ stage: 'done', amount: payment.amount, payment });
    } else if (this.stopping) {
      this.options.onView({ stage: 'stopping', amount: payment.amount, payment });
    } else if (payment.kind === 'qr' && payment.qrCode && payment.qrExpiresAt) {
      // The platform's deadline on this device's clock (the client learns the offset when it is off).
      const expiresAt = Date.parse(payment.qrExpiresAt) - this.client.clockOffsetMs;
      this.options.onView({ stage: 'qr', amount: payment.amount, payment, qrCode: payment.qrCode, expiresAt });
    } else if (payment.status === 'waiting_buyer') {
      this.waitingSince ??= this.now();
      this.options.onView({ stage: 'waiting_buyer', amount: payment.amount, payment, since: this.waitingSince });
    } else {
      this.options.onView({ stage: 'processing', amount: payment.amount, payment });
    }
  }

  private drive(first: () => Promise<Payment>): void {
    this.waitingSince = undefined;
    this.lastPayment = undefined;
    const loop = async () => {
      let next = first;
      for (let round = 0; ; round++) {
        try {
          const payment = await next();
          this.options.onReachable?.(true);
          this.show(payment);
          return;
        } catch (err) {
          if (err instanceof PendingPaymentExists) {
            next = () => this.resumeOrThrow();
            continue;
          }
          if (err instanceof PaymentStillPending) {
            // Past one SDK deadline: the payment stays undecided and we keep asking, a little slower.
            await this.sleep(2000);
            next = () => this.resumeOrThrow();
            continue;
          }
          if (err instanceof Error && err.message === 'nothing to resume') return;
          // A refusal after which the SDK cleared the store is definite: nothing was charged.
          if (!(await this.store.load())) {
            this.options.onView({ stage: 'refused', amount: this.amount, refusal: refusalOf(err) });
            return;
          }
          // Still stored: the outcome is not known. Say so, wait, ask again.
          this.options.onView({
            stage: 'confirming',
            amount: this.amount,
            reason: err instanceof ApiError ? err.code : 'error',
            problem: refusalOf(err),
            ...(this.lastPayment ? { payment: this.lastPayment } : {}),
          });
          await this.sleep(Math.min(10_000, 1000 * 2 ** Math.min(round, 4)));
          next = () => this.resumeOrThrow();
        }
      }
    };
    this.running = loop().finally(() => {
      this.running = null;
    });
  }
}
