import { catalogue, type ErrorCode, type Text } from './catalogue.ts';

/** The body of every refusal scanpay sends (RFC 9457 problem details, with our fields). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  cause: string;
  retryable: boolean;
  message: Text;
  remedy: Text;
  detail?: string;
  param?: string;
  requestId?: string;
  [extra: string]: unknown;
}

/**
 * A refusal or fault with a catalogue code. `detail` is for developers and logs (English, never
 * secrets); `param` names the offending field; `extra` adds machine-readable context.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly causeId: string;
  readonly param: string | undefined;
  readonly extra: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    options: { detail?: string; param?: string; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    const def = catalogue[code];
    super(options.detail ?? def.message.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = def.status;
    this.retryable = def.retryable;
    this.causeId = def.cause;
    this.param = options.param;
    this.extra = options.extra ?? {};
  }

  toProblem(requestId?: string): Problem {
    return problemFor(this.code, {
      detail: this.message,
      ...(this.param === undefined ? {} : { param: this.param }),
      ...(requestId === undefined ? {} : { requestId }),
      extra: this.extra,
    });
  }
}

export function problemFor(
  code: ErrorCode,
  options: { detail?: string; param?: string; requestId?: string; extra?: Record<string, unknown> } = {},
): Problem {
  const def = catalogue[code];
  return {
    ...options.extra,
    type: `https://scanpay.dev/errors#${code.toLowerCase()}`,
    title: def.message.en,
    status: def.status,
    code,
    cause: def.cause,
    retryable: def.retryable,
    message: def.message,
    remedy: def.remedy,
    ...(options.detail === undefined ? {} : { detail: options.detail }),
    ...(options.param === undefined ? {} : { param: options.param }),
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
  };
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
