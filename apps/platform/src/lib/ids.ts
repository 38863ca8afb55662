import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID: 48 bits of milliseconds then 80 random bits, Crockford base32, sortable by time. */
export function ulid(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[(bytes[i] as number) % 32];
  return time + random;
}

export type IdPrefix = 'mch' | 'sto' | 'trm' | 'pay' | 'rfd' | 'inc';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}

/** Our order number at the channel: letters and digits only, 28 characters, unique for life. */
export function newOutTradeNo(): string {
  return `SP${ulid()}`;
}
