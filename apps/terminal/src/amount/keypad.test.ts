import { describe, expect, it } from 'vitest';
import { applyAmountKey, checkAmount, displayAmount, keyboardToAmountKey, type AmountKey } from './keypad.ts';

const type = (keys: AmountKey[], from = ''): string => keys.reduce(applyAmountKey, from);

describe('amount keypad', () => {
  it('builds 12.34 from its keys and accepts it', () => {
    const typed = type(['1', '2', '.', '3', '4']);
    expect(typed).toBe('12.34');
    expect(checkAmount(typed)).toEqual({ ok: true, fen: 1234, yuan: '12.34' });
  });

  it('keeps at most two decimals, also through the 00 key', () => {
    expect(type(['5', '.', '1', '2', '3'])).toBe('5.12');
    expect(type(['5', '.', '1', '00'])).toBe('5.10');
    expect(type(['5', '.', '00', '7'])).toBe('5.00');
    expect(type(['5', '.', '.'])).toBe('5.');
  });

  it('never shows a leading zero and starts a bare dot as 0.', () => {
    expect(type(['0', '0', '7'])).toBe('7');
    expect(type(['00'])).toBe('0');
    expect(type(['00', '00', '5'])).toBe('5');
    expect(type(['.', '5'])).toBe('0.5');
    expect(type(['0', '.', '0', '1'])).toBe('0.01');
  });

  it('refuses a tenth integer digit (the channel ceiling is nine digits)', () => {
    expect(type(['1', '2', '3', '4', '5', '6', '7', '8', '9', '1'])).toBe('123456789');
    expect(type(['9', '9', '9', '9', '9', '9', '9', '9', '00'])).toBe('99999999');
  });

  it('deletes one key with back and everything with clear', () => {
    expect(type(['1', '2', '.', '3', 'back'])).toBe('12.');
    expect(type(['back'])).toBe('');
    expect(type(['1', '2', 'clear'])).toBe('');
  });

  it('enables 收款 only for 0.01 up to the limit', () => {
    expect(checkAmount('')).toEqual({ ok: false, reason: 'empty' });
    expect(checkAmount('0')).toEqual({ ok: false, reason: 'too_small' });
    expect(checkAmount('0.00')).toEqual({ ok: false, reason: 'too_small' });
    expect(checkAmount('0.01')).toMatchObject({ ok: true, fen: 1 });
    expect(checkAmount('12.')).toMatchObject({ ok: true, fen: 1200, yuan: '12.00' });
    expect(checkAmount('100000000')).toMatchObject({ ok: true, fen: 10_000_000_000 });
    expect(checkAmount('100000000.01')).toEqual({ ok: false, reason: 'too_large' });
    expect(checkAmount('500', 20_000)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('maps keyboard keys; Enter and Escape are left to the screen', () => {
    expect(keyboardToAmountKey('7')).toBe('7');
    expect(keyboardToAmountKey('.')).toBe('.');
    expect(keyboardToAmountKey('Backspace')).toBe('back');
    expect(keyboardToAmountKey('Enter')).toBeNull();
    expect(keyboardToAmountKey('Escape')).toBeNull();
    expect(keyboardToAmountKey('a')).toBeNull();
  });

  it('shows 0.00 while nothing is typed', () => {
    expect(displayAmount('')).toBe('0.00');
    expect(displayAmount('3.')).toBe('3.');
  });
});
