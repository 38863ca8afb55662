import { describe, expect, it } from 'vitest';
import { decideRead, paymentCodeInBurst } from './read-decision.ts';

describe('what a read leads to', () => {
  it('pays an Alipay payment code from any source, spaces and CR removed', () => {
    expect(decideRead('2812 3456 7890 1234 56\r', 'wedge')).toEqual({ kind: 'pay', code: '281234567890123456', channel: 'alipay', source: 'wedge' });
  });

  it('stops a collection code with the 收款码 sentence', () => {
    const d = decideRead('https://qr.alipay.com/fkx12345abcde', 'camera');
    expect(d).toMatchObject({ kind: 'reject', reason: 'collection_code' });
    expect(d.kind === 'reject' && d.message.zh).toBe('这是收款码，请让顾客打开付款码');
  });

  it('stops text and unknown numbers, and ignores nothing at all', () => {
    expect(decideRead('hello', 'manual')).toMatchObject({ kind: 'reject', reason: 'not_payment_code' });
    expect(decideRead('991234567890123456', 'manual')).toMatchObject({ kind: 'reject', reason: 'unknown_format' });
    expect(decideRead('   ', 'manual')).toEqual({ kind: 'ignore' });
  });
});

describe('the payment code in a scanner-gun burst', () => {
  const code = '281234567890123456';
  it('is the fast run when the run is a code', () => {
    expect(paymentCodeInBurst({ text: code, full: `12${code}` })).toEqual({ text: code, keys: 18 });
  });
  it('is the longest code-shaped tail when a stall split the burst, leaving what a person typed before', () => {
    expect(paymentCodeInBurst({ text: code.slice(7), full: `3${code}` })).toEqual({ text: code, keys: 18 });
  });
  it('is nothing when no tail is a payment code', () => {
    expect(paymentCodeInBurst({ text: '1234567890', full: '991234567890' })).toBeNull();
  });
});
