// Identifier shapes copied from real traffic; digits come from the seeded PRNG plus a persisted
// sequence number, so ids repeat for a seed and never collide across restarts.
import { createHash } from 'node:crypto';
import { randomDigits, type Rng } from './rng.ts';
import { beijingCompactDate, beijingTime } from './wire.ts';

export const DEMO_BUYER_ID = '2088000000000001';

/** 28 digits: yyyyMMdd + "22" + 10 random + 8 sequence. */
export function newTradeNo(rng: Rng, seq: number, now: number): string {
  return `${beijingCompactDate(now)}22${randomDigits(rng, 10)}${String(seq % 1e8).padStart(8, '0')}`;
}

/** 34 characters like real notify_ids: yyyyMMdd + "00222" + HHmmss + 7 random + 8 sequence. */
export function newNotifyId(rng: Rng, seq: number, now: number): string {
  const hms = beijingTime(now).slice(11).replaceAll(':', '');
  return `${beijingCompactDate(now)}00222${hms}${randomDigits(rng, 7)}${String(seq % 1e8).padStart(8, '0')}`;
}

/** A stable 2088… 16-digit user id derived from the app id. */
export function defaultSellerId(appId: string): string {
  const hex = createHash('sha256').update(`seller:${appId}`).digest('hex');
  const digits = BigInt(`0x${hex.slice(0, 15)}`).toString().padStart(12, '0').slice(-12);
  return `2088${digits}`;
}

export function buyerIdFor(n: number): string {
  return `2088${String(100_000_000_000 + n)}`;
}

/** Masked logon id like 138****0001. */
export function maskedLogonId(buyerId: string): string {
  return `138****${buyerId.slice(-4)}`;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newQrCode(rng: Rng): string {
  let tail = '';
  for (let i = 0; i < 21; i++) tail += BASE36[Math.floor(rng() * 36)];
  return `https://qr.alipay.com/bax0${tail}`;
}

export function newPaymentCode(rng: Rng, prefix: string, length: number): string {
  return prefix + randomDigits(rng, Math.max(0, length - prefix.length));
}

/** Real Alipay payment codes: prefix 25–30, 16–24 digits (brief §0.7, §6.1). */
export function isWellFormedAlipayCode(code: string): boolean {
  return /^(2[5-9]|30)\d{14,22}$/.test(code);
}
