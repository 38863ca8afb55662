import type { ActivateResponse, CreatePaymentRequest, CreateQrPaymentRequest, Payment, TerminalConfig } from '@scanpay/contracts';
import type { Problem } from '@scanpay/errors';
import { exportPublicJwk, generateDeviceKey, signRequest } from './signing.ts';

/** The platform refused: `problem` carries the stable code and the zh/en message and remedy. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(`${problem.code}: ${problem.message?.en ?? problem.title}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  get retryable(): boolean {
    return this.problem.retryable === true;
  }
}

/** No answer: the request may or may not have reached the platform. Retry with the same key. */
export class NetworkError extends Error {
  /** Set when an answer came but could not be used (a status without a problem body). */
  readonly httpStatus: number | undefined;
  constructor(message: string, options?: { cause?: unknown; httpStatus?: number }) {
    super(message, options);
    this.name = 'NetworkError';
    this.httpStatus = options?.httpStatus;
  }
}

export interface TerminalCredentials {
  baseUrl: string;
  terminalId: string;
  privateKey: CryptoKey;
}

export interface ClientOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

async function send(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new NetworkError(`no answer from ${new URL(url).host}: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new NetworkError(`unreadable answer (HTTP ${res.status}) from ${new URL(url).host}`, { httpStatus: res.status });
  }
  if (res.status >= 400) {
    const problem = body && typeof body === 'object' && 'code' in body ? (body as Problem) : undefined;
    if (!problem) throw new NetworkError(`HTTP ${res.status} without a problem body`, { httpStatus: res.status });
    throw new ApiError(res.status, problem);
  }
  return { status: res.status, body };
}

/** A signed client for one activated terminal. */
export class TerminalClient {
  readonly credentials: TerminalCredentials;
  /** The fetch and the device clock the client was made with (the self-check uses the same). */
  readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  readonly now: () => number;
  /** Learned from the platform when our clock is off, so requests keep working (auto-fix). */
  clockOffsetMs = 0;

  constructor(credentials: TerminalCredentials, options: ClientOptions = {}) {
    this.credentials = credentials;
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  async request<T>(method: string, pathWithQuery: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const attempt = async () => {
      const signed = await signRequest({
        terminalId: this.credentials.terminalId,
        privateKey: this.credentials.privateKey,
        method,
        pathWithQuery,
        body: text,
        timestampMs: this.now() + this.clockOffsetMs,
      });
      return send(
        this.fetchFn,
        new URL(pathWithQuery, this.credentials.baseUrl).toString(),
        {
          method,
          headers: { ...signed, ...headers, ...(text ? { 'content-type': 'application/json' } : {}) },
          ...(text ? { body: text } : {}),
        },
        this.timeoutMs + (pathWithQuery.includes('wait=') ? 30_000 : 0),
      );
    };
    try {
      return (await attempt()).body as T;
    } catch (err) {
      // A skewed clock is fixed here once, from the platform's own time, then the request is signed again.
      if (err instanceof ApiError && err.code === 'TRM_TIMESTAMP_SKEW' && typeof err.problem.serverTime === 'string') {
        this.clockOffsetMs = Date.parse(err.problem.serverTime) - this.now();
        return (await attempt()).body as T;
      }
      throw err;
    }
  }

  createPayment(req: CreatePaymentRequest, idempotencyKey: string): Promise<Payment> {
    return this.request<Payment>('POST', '/v1/payments', req, { 'idempotency-key': idempotencyKey });
  }

  /** 顾客扫码: a QR order for the customer to scan; the answer carries `qrCode` and `qrExpiresAt`. */
  createQrPayment(req: CreateQrPaymentRequest, idempotencyKey: string): Promise<Payment> {
    return this.request<Payment>('POST', '/v1/payments/qr', req, { 'idempotency-key': idempotencyKey });
  }

  /**
   * 取消收款: asks the platform to stop waiting (final query, then cancel). The answer is the payment
   * as it is, usually still pending: keep asking with `getPayment`. 409 PAY_INVALID_STATE when it
   * was already decided.
   */
  cancelPayment(id: string, idempotencyKey: string): Promise<Payment> {
    return this.request<Payment>('POST', `/v1/payments/${encodeURIComponent(id)}/cancel`, undefined, { 'idempotency-key': idempotencyKey });
  }

  getPayment(id: string, waitSeconds = 0): Promise<Payment> {
    const q = waitSeconds > 0 ? `?wait=${Math.min(25, Math.round(waitSeconds))}` : '';
    return this.request<Payment>('GET', `/v1/payments/${encodeURIComponent(id)}${q}`);
  }

  listPayments(limit = 20): Promise<{ payments: Payment[] }> {
    return this.request('GET', `/v1/payments?limit=${limit}`);
  }

  /** What the operator wants this terminal to run with: the scan profile in force, its version and scope. */
  getConfig(): Promise<TerminalConfig> {
    return this.request<TerminalConfig>('GET', '/v1/terminals/self/config');
  }
}

export interface ActivationResult {
  response: ActivateResponse;
  keyPair: CryptoKeyPair;
  client: TerminalClient;
}

/** Makes the device key, activates with the code the operator gave, and returns a signed client. */
export async function activate(p: {
  baseUrl: string;
  activationCode: string;
  serial: string;
  appVersion?: string;
  osVersion?: string;
  extractableKey?: boolean;
  options?: ClientOptions;
}): Promise<ActivationResult> {
  const keyPair = await generateDeviceKey({ extractable: p.extractableKey ?? false });
  const { body } = await send(
    p.options?.fetch ?? globalThis.fetch.bind(globalThis),
    new URL('/v1/terminals/activate', p.baseUrl).toString(),
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        activationCode: p.activationCode,
        serial: p.serial,
        publicKey: await exportPublicJwk(keyPair.publicKey),
        ...(p.appVersion ? { appVersion: p.appVersion } : {}),
        ...(p.osVersion ? { osVersion: p.osVersion } : {}),
      }),
    },
    p.options?.timeoutMs ?? 15_000,
  );
  const response = body as ActivateResponse;
  const client = new TerminalClient(
    { baseUrl: p.baseUrl, terminalId: response.terminalId, privateKey: keyPair.privateKey },
    p.options,
  );
  return { response, keyPair, client };
}
