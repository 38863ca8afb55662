import { canonicalDeviceRequest, DEVICE_HEADERS, EMPTY_BODY_SHA256, type EcPublicJwk } from '@scanpay/contracts';

/** WebCrypto, the same in the browser and in Node 20. */
const subtle = globalThis.crypto.subtle;

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * Makes the device's key pair. In a browser the private key is not extractable: it stays in
 * IndexedDB as a CryptoKey and can sign but never be read. The CLI needs to keep it in a file,
 * so it asks for an extractable one.
 */
export async function generateDeviceKey(opts: { extractable?: boolean } = {}): Promise<CryptoKeyPair> {
  return subtle.generateKey(ECDSA, opts.extractable ?? false, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

export async function exportPublicJwk(key: CryptoKey): Promise<EcPublicJwk> {
  const jwk = await subtle.exportKey('jwk', key);
  return { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
}

export async function importPrivateJwk(jwk: JsonWebKey): Promise<CryptoKey> {
  return subtle.importKey('jwk', jwk, ECDSA, false, ['sign']);
}

export async function exportPrivateJwk(key: CryptoKey): Promise<JsonWebKey> {
  return subtle.exportKey('jwk', key);
}

export async function sha256Hex(text: string): Promise<string> {
  if (text.length === 0) return EMPTY_BODY_SHA256;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function base64(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

/** 24 random bytes, URL-safe base64: a fresh nonce per request. */
export function newNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(18));
  return base64(bytes.buffer).replaceAll('+', '-').replaceAll('/', '_');
}

export async function signRequest(p: {
  terminalId: string;
  privateKey: CryptoKey;
  method: string;
  pathWithQuery: string;
  body: string;
  timestampMs: number;
  nonce?: string;
}): Promise<Record<string, string>> {
  const nonce = p.nonce ?? newNonce();
  const timestamp = String(Math.round(p.timestampMs));
  const canonical = canonicalDeviceRequest({
    terminalId: p.terminalId,
    method: p.method,
    pathWithQuery: p.pathWithQuery,
    timestamp,
    nonce,
    bodySha256Hex: await sha256Hex(p.body),
  });
  const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, p.privateKey, new TextEncoder().encode(canonical));
  return {
    [DEVICE_HEADERS.terminal]: p.terminalId,
    [DEVICE_HEADERS.timestamp]: timestamp,
    [DEVICE_HEADERS.nonce]: nonce,
    [DEVICE_HEADERS.signature]: base64(signature),
  };
}
