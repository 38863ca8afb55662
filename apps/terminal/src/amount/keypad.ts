/**
 * The amount the cashier types, as a string of keys (UX.md §2 step 2): digits, "00", ".", ⌫ and 清空,
 * from the on-screen keypad or a keyboard. The string is only ever a prefix of a valid yuan amount, so
 * the display never shows something the platform would refuse; `parseYuan` decides whether 收款 is on.
 */
import { formatYuan, MAX_PAYMENT_FEN, parseYuan, type Fen } from '@scanpay/money';

export type AmountKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'back' | 'clear';

/** 100,000,000.00 yuan is the channel's ceiling: nine integer digits are enough. */
const MAX_INTEGER_DIGITS = 9;

export function applyAmountKey(typed: string, key: AmountKey): string {
  if (key === 'clear') return '';
  if (key === 'back') return typed.slice(0, -1);
  const [whole = '', decimals] = typed.split('.');
  if (key === '.') {
    if (decimals !== undefined) return typed;
    return typed === '' ? '0.' : `${typed}.`;
  }
  if (decimals !== undefined) {
    // At most two decimals: "00" fills what is left.
    const room = 2 - decimals.length;
    return room <= 0 ? typed : typed + key.slice(0, room);
  }
  if (whole === '0') return key === '00' || key === '0' ? typed : key; // no leading zeros
  if (whole === '' && (key === '00' || key === '0')) return '0';
  const next = whole + key;
  return next.length > MAX_INTEGER_DIGITS ? typed : next;
}

/** Maps a keyboard key to a keypad key (Enter and Escape are handled by the screen). */
export function keyboardToAmountKey(key: string): AmountKey | null {
  if (/^[0-9]$/.test(key)) return key as AmountKey;
  if (key === '.' || key === 'Decimal') return '.';
  if (key === 'Backspace') return 'back';
  if (key === 'Delete') return 'clear';
  return null;
}

export type AmountCheck =
  | { ok: true; fen: Fen; yuan: string }
  | { ok: false; reason: 'empty' | 'too_small' | 'too_large' | 'invalid' };

/** Whether 收款 may be pressed: 0.01 ≤ amount ≤ the limit. "12." counts as "12". */
export function checkAmount(typed: string, maxFen: Fen = MAX_PAYMENT_FEN): AmountCheck {
  const cleaned = typed.endsWith('.') ? typed.slice(0, -1) : typed;
  if (cleaned === '') return { ok: false, reason: 'empty' };
  const parsed = parseYuan(cleaned, { min: 1, max: maxFen });
  if (parsed.ok) return { ok: true, fen: parsed.fen, yuan: formatYuan(parsed.fen) };
  const reason = { below_minimum: 'too_small', above_maximum: 'too_large', empty: 'empty' } as const;
  return { ok: false, reason: reason[parsed.reason as keyof typeof reason] ?? 'invalid' };
}

/** What the big display shows while typing: "0.00" when empty, otherwise the keys as typed. */
export function displayAmount(typed: string): string {
  return typed === '' ? '0.00' : typed;
}
