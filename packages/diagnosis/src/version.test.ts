import { describe, expect, it } from 'vitest';
import { compareVersions } from './version.ts';

describe('compareVersions', () => {
  it.each([
    ['2.10.0', '2.9.3', 1],
    ['2.4', '2.4.0', 0],
    ['v1.2.3', '1.2.3', 0],
    ['2024.5.30', '2024.6.1', -1],
    ['1.0.0-beta', '1.0.0', -1],
    ['1.0.0', '1.0.0-rc.1', 1],
    ['1.0.0-alpha', '1.0.0-beta', -1],
    ['9', '10', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(-expected || 0);
  });
});
