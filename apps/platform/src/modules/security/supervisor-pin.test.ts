import { describe, expect, it } from 'vitest';
import { hashSupervisorPin, verifySupervisorPin } from './supervisor-pin.ts';

describe('supervisor PIN hashing', () => {
  it('stores a salted scrypt hash that verifies the PIN and nothing else', async () => {
    const a = await hashSupervisorPin('123456');
    const b = await hashSupervisorPin('123456');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b); // salted
    expect(a).not.toContain('123456');
    expect(await verifySupervisorPin('123456', a)).toBe(true);
    for (const wrong of ['123457', '', '12345', '1234567', ' 123456', '１２３４５６']) {
      expect(await verifySupervisorPin(wrong, a), wrong).toBe(false);
    }
    expect(await verifySupervisorPin('123456', 'plain$123456')).toBe(false);
  });

  it('refuses to hash anything but six digits', async () => {
    await expect(hashSupervisorPin('12345a')).rejects.toThrow(TypeError);
  });
});
