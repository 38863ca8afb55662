// Alipay OpenAPI v2 signing, written independently of any client code on purpose:
// a simulator that shared the adapter's signing code would share its bugs.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as rsaSignRaw,
  verify as rsaVerifyRaw,
  type KeyObject,
} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SignType = 'RSA2' | 'RSA';

const HASH_OF: Record<SignType, string> = { RSA2: 'sha256', RSA: 'sha1' };

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function joinSorted(params: Record<string, string | undefined>, excluded: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !excluded.includes(key))
    .filter((key) => params[key] !== undefined && params[key] !== '')
    .sort(byteOrder)
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** Gateway request (brief §1.3): everything but `sign`, empty values dropped, sorted, raw values. */
export function requestSignString(params: Record<string, string | undefined>): string {
  return joinSorted(params, ['sign']);
}

/** Async notification, "V1" (brief §5): `sign` and `sign_type` both excluded. */
export function notifySignString(params: Record<string, string | undefined>): string {
  return joinSorted(params, ['sign', 'sign_type']);
}

export function rsaSign(text: string, privateKey: KeyObject | string, signType: SignType): string {
  return rsaSignRaw(HASH_OF[signType], Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

export function rsaVerify(text: string, signature: string, publicKey: KeyObject | string, signType: SignType): boolean {
  try {
    return rsaVerifyRaw(HASH_OF[signType], Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Accepts a PEM (SPKI or PKCS#1) or the bare base64 the Alipay console hands out; returns SPKI PEM. */
export function toRsaPublicKey(input: string): KeyObject {
  const text = input.trim();
  let key: KeyObject;
  if (text.includes('-----BEGIN')) {
    key = createPublicKey(text);
  } else {
    const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    try {
      key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      key = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`not an RSA key: ${key.asymmetricKeyType}`);
  return key;
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

export interface AlipayKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

function generate(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

/** The simulator's own "Alipay" key pair: generated once per dataDir, fresh per start without one. */
export function loadOrCreateAlipayKeys(dataDir?: string): AlipayKeys {
  let privatePem: string;
  if (!dataDir) {
    privatePem = generate().privatePem;
  } else {
    const dir = path.join(dataDir, 'keys');
    const privateFile = path.join(dir, 'alipay_private_key.pem');
    const publicFile = path.join(dir, 'alipay_public_key.pem');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (fs.existsSync(privateFile)) {
      privatePem = fs.readFileSync(privateFile, 'utf8');
    } else {
      const pair = generate();
      privatePem = pair.privatePem;
      writeAtomic(privateFile, pair.privatePem, 0o600);
      writeAtomic(publicFile, pair.publicPem, 0o644);
    }
  }
  const privateKey = createPrivateKey(privatePem);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKeyPem(publicKey) };
}
