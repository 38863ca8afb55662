import { describe, expect, it } from 'vitest';
import { sources } from '@scanpay/diagnosis';
import { checkLabels, doctorWords } from './doctor-texts.ts';

const CJK = /[\u4e00-\u9fff]/;

describe('scanpay doctor texts', () => {
  it('labels every self-check the diagnosis package knows', () => {
    const checks = sources.filter((s) => s.startsWith('self_check.')).map((s) => s.slice('self_check.'.length)).sort();
    expect(Object.keys(checkLabels).sort()).toEqual(checks);
  });

  it('says everything in Chinese and in English', () => {
    for (const [key, text] of Object.entries({ ...checkLabels, ...doctorWords })) {
      expect(text.zh, key).toMatch(CJK);
      expect(text.en, key).toMatch(/[A-Za-z]{2}/);
      expect(text.en, key).not.toMatch(CJK);
    }
  });
});
