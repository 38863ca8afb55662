import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyScannedText, maskPaymentCode } from './classify.ts';

describe('classifyScannedText', () => {
  it.each([
    ['281234567890123456', 'alipay'],
    ['2512345678901234', 'alipay'], // 16 digits, the shortest Alipay code
    ['300000000000000000000000', 'alipay'], // 24 digits, the longest
    ['134567890123456789', 'wechat'],
    ['6212345678901234567', 'unionpay'],
  ])('routes %s to %s', (code, channel) => {
    expect(classifyScannedText(code)).toEqual({ kind: 'payment_code', channel, code });
  });

  it('cleans what scanners and people add: CR/LF, tabs, groups of four, full-width digits', () => {
    expect(classifyScannedText('281234567890123456\r\n')).toMatchObject({ code: '281234567890123456' });
    expect(classifyScannedText('\t2812 3456 7890 1234 56')).toMatchObject({ code: '281234567890123456' });
    expect(classifyScannedText('２８１２３４５６７８９０１２３４５６')).toMatchObject({ code: '281234567890123456' });
  });

  it.each([
    ['https://qr.alipay.com/fkx12345abcde', 'alipay'],
    ['HTTPS://QR.ALIPAY.COM/FKX0123456789', 'alipay'],
    ['https://qr.alipay.com/bax01234567890', 'alipay'],
    ['alipays://platformapi/startapp?appId=20000056', 'alipay'],
    ['wxp://f2f0abcdefghijklmn', 'wechat'],
    ['weixin://wxpay/bizpayurl?pr=abc', 'wechat'],
    ['https://qr.95516.com/00010000/0123456789', 'unionpay'],
    ['https://shop.invalid/pay?id=1', 'unknown'],
  ])('recognises the collection code %s', (text, wallet) => {
    expect(classifyScannedText(text)).toEqual({ kind: 'collection_code', wallet });
  });

  it('refuses text that is not a payment code', () => {
    expect(classifyScannedText('hello')).toEqual({ kind: 'not_payment_code', reason: 'text' });
    expect(classifyScannedText('00020101021126...')).toEqual({ kind: 'not_payment_code', reason: 'merchant_qr' });
  });

  it.each([
    ['991234567890123456', 'unknown_prefix'],
    ['28123', 'bad_length'],
    ['2812345678901234567890123', 'bad_length'], // 25 digits
    ['1' + '2'.repeat(199), 'too_long'],
    ['2'.repeat(600), 'too_long'],
  ])('refuses %s as %s', (text, reason) => {
    expect(classifyScannedText(text)).toEqual({ kind: 'unknown_format', reason });
  });

  it('says empty for nothing or whitespace', () => {
    expect(classifyScannedText('')).toEqual({ kind: 'empty' });
    expect(classifyScannedText(' \r\n')).toEqual({ kind: 'empty' });
  });

  it('never calls a string with a non-digit a payment code', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const c = classifyScannedText(s);
        if (c.kind === 'payment_code') expect(c.code).toMatch(/^[0-9]{16,24}$/);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('maskPaymentCode', () => {
  it('keeps only the prefix and the length', () => {
    expect(maskPaymentCode('281234567890123456')).toBe('2812…(18)');
  });
});
