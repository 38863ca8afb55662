import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, catalogue, errorCodes, renderErrorsMarkdown } from './index.ts';

const docsPath = new URL('../../../docs/errors.md', import.meta.url);

describe('error catalogue', () => {
  it('gives every code an origin prefix, a 4xx/5xx status and a cause id', () => {
    for (const code of errorCodes) {
      const d = catalogue[code];
      expect(code).toMatch(/^(REQ|TRM|PAY|CHN|OPS|SYS)_[A-Z0-9_]+$/);
      expect(d.status).toBeGreaterThanOrEqual(400);
      expect(d.status).toBeLessThan(600);
      expect(d.cause).toMatch(/^[a-z]+\.[a-z0-9_]+$/);
    }
  });

  it('has Chinese and English text for every message and remedy', () => {
    for (const code of errorCodes) {
      const d = catalogue[code];
      for (const text of [d.message, d.remedy]) {
        expect(text.zh, code).toMatch(/[\u4e00-\u9fff]/);
        expect(text.en, code).toMatch(/^[\x20-\x7e\u2013\u2014\u2019\u201c\u201d\u4e00-\u9fff]+$/);
        expect(text.en.trim(), code).not.toBe('');
      }
    }
  });

  it('matches docs/errors.md (run `npm run docs:errors` after changing the catalogue)', () => {
    expect(readFileSync(docsPath, 'utf8')).toBe(renderErrorsMarkdown());
  });

  it('turns an AppError into a problem body with the catalogue text', () => {
    const err = new AppError('REQ_AMOUNT_INVALID', { param: 'amount', detail: 'amount "1e3" is not decimal' });
    const p = err.toProblem('req-1');
    expect(p).toMatchObject({
      status: 400,
      code: 'REQ_AMOUNT_INVALID',
      cause: 'operation.amount_invalid',
      retryable: false,
      param: 'amount',
      requestId: 'req-1',
      detail: 'amount "1e3" is not decimal',
    });
    expect(p.message.zh).toBe('金额格式不对');
  });
});
