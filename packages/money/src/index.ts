/**
 * Money is integer fen (分) everywhere inside scanpay. Yuan strings ("12.34") exist only where a
 * person types an amount and at a channel's edge, and are parsed and formatted strictly here.
 */
export type Fen = number;

/** Alipay's per-trade ceiling, 100,000,000.00 yuan (protocol brief §2.1). */
export const MAX_PAYMENT_FEN: Fen = 10_000_000_000;
export const MIN_PAYMENT_FEN: Fen = 1;

export type YuanParseFailure =
  | 'empty'
  | 'format' // anything but ASCII digits with an optional dot: exponents, signs, full-width digits, spaces
  | 'too_many_decimals'
  | 'below_minimum'
  | 'above_maximum';

export type YuanParseResult = { ok: true; fen: Fen } | { ok: false; reason: YuanParseFailure };

// ASCII digits only: `\d` would be ASCII in JS too, but spelling it out makes the intent plain.
const YUAN = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Parses a yuan amount typed by a person or sent by a terminal: "12", "12.3", "12.34".
 * Refuses "1e3", "-1", "+1", " 1", "１２" (full-width), "1.", ".5", "01", and more than two decimals.
 */
export function parseYuan(
  input: string,
  limits: { min?: Fen; max?: Fen } = { min: MIN_PAYMENT_FEN, max: MAX_PAYMENT_FEN },
): YuanParseResult {
  if (input.length === 0) return { ok: false, reason: 'empty' };
  if (input.length > 20) return { ok: false, reason: 'format' };
  const m = YUAN.exec(input);
  if (!m) return { ok: false, reason: 'format' };
  const whole = m[1] as string;
  const decimals = m[2] ?? '';
  if (decimals.length > 2) return { ok: false, reason: 'too_many_decimals' };
  if (whole.length > 12) return { ok: false, reason: 'above_maximum' };
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  if (limits.min !== undefined && fen < limits.min) return { ok: false, reason: 'below_minimum' };
  if (limits.max !== undefined && fen > limits.max) return { ok: false, reason: 'above_maximum' };
  return { ok: true, fen };
}

/** Formats integer fen as a yuan string with exactly two decimals: 1234 → "12.34". */
export function formatYuan(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${whole}.${cents.toString().padStart(2, '0')}`;
}

/**
 * Parses a yuan string as a channel sends it back ("12.34", "12.3", "12"). Unlike parseYuan it
 * has no payment range, and returns null instead of a reason: a channel value that does not
 * parse is treated as an unverifiable answer by the caller.
 */
export function parseChannelYuan(input: string): Fen | null {
  const r = parseYuan(input, {});
  return r.ok ? r.fen : null;
}

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertFen(value: unknown): asserts value is Fen {
  if (!isFen(value)) throw new TypeError(`not an integer amount of fen: ${String(value)}`);
}
