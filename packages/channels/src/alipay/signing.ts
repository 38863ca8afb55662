/**
 * Alipay OpenAPI v2 signing, as pure functions (protocol brief §1.3–§1.5, §5).
 *
 * - Requests: every parameter except `sign`, empty values dropped, sorted by key, `k=v` joined
 *   with `&`, raw values (no URL-encoding); `sign_type` IS signed.
 * - Responses: the signature covers the exact raw text of the response node's value. We cut it out
 *   of the body with a small JSON scanner and never re-serialise it.
 * - Notifications (V1): like requests, but `sign` AND `sign_type` are left out.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export type SignType = 'RSA2' | 'RSA';

const DIGEST: Record<SignType, string> = { RSA2: 'sha256', RSA: 'sha1' };

export function isSignType(value: string): value is SignType {
  return value === 'RSA2' || value === 'RSA';
}

/**
 * The string to sign: drop the excluded keys (always `sign`) and empty values, sort keys in
 * code-unit order (what Java's TreeMap and the Node SDK's `sort()` do), join raw `k=v` with `&`.
 */
export function signContent(
  params: Readonly<Record<string, string | undefined | null>>,
  exclude: readonly string[] = ['sign'],
): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key))
    .filter((key) => {
      const value = params[key];
      return value !== undefined && value !== null && value !== '';
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${params[key] as string}`)
    .join('&');
}

/** V1 notification content: `sign` and `sign_type` both excluded (brief §5, Java rsaCheckV1). */
export function notificationSignContent(params: Readonly<Record<string, string>>): string {
  return signContent(params, ['sign', 'sign_type']);
}

const PEM = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/;

function derFrom(text: string): { label: string | undefined; der: Buffer } {
  const m = PEM.exec(text);
  const body = (m ? m[2] : text) ?? '';
  const compact = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new TypeError('key is neither PEM nor base64');
  return { label: m?.[1], der: Buffer.from(compact, 'base64') };
}

/**
 * An RSA private key from PEM or the bare base64 the Alipay key tool hands out, PKCS#8 or
 * PKCS#1 (the Node SDK assumes PKCS#1 unless told otherwise: brief §7.4; we try both).
 */
export function loadPrivateKey(text: string): KeyObject {
  const { label, der } = derFrom(text.trim());
  const order: Array<'pkcs8' | 'pkcs1'> = label === 'RSA PRIVATE KEY' ? ['pkcs1', 'pkcs8'] : ['pkcs8', 'pkcs1'];
  for (const type of order) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the other encoding
    }
  }
  throw new TypeError('not an RSA private key in PKCS#8 or PKCS#1');
}

/** An RSA public key from PEM or bare base64, SPKI (what the console shows) or PKCS#1. */
export function loadPublicKey(text: string): KeyObject {
  const { label, der } = derFrom(text.trim());
  // createPublicKey would quietly derive a public key from a private one: a key pasted into the
  // wrong field must fail at boot, not turn every answer into a signature failure.
  if (isPrivateKeyDer(der)) throw new TypeError('a private key was given where a public key belongs');
  const order: Array<'spki' | 'pkcs1'> = label === 'RSA PUBLIC KEY' ? ['pkcs1', 'spki'] : ['spki', 'pkcs1'];
  for (const type of order) {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch {
      // try the other encoding
    }
  }
  throw new TypeError('not an RSA public key in SPKI or PKCS#1');
}

function isPrivateKeyDer(der: Buffer): boolean {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch {
      // not this encoding
    }
  }
  return false;
}

/** RSASSA-PKCS1-v1_5 over the UTF-8 bytes, standard base64 with padding. */
export function rsaSign(content: string, key: KeyObject, signType: SignType): string {
  // One-shot: createSign() builds a stream object per call, which costs more than the hashing.
  return sign(DIGEST[signType], Buffer.from(content, 'utf8'), key).toString('base64');
}

/** False (never a throw) for a malformed signature as well as a wrong one. */
export function rsaVerify(content: string, signature: string, key: KeyObject, signType: SignType): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(DIGEST[signType], Buffer.from(content, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Verifies a response node's raw text; retries once with every `\/` replaced by `/`, because
 * some responses were signed over unescaped slashes (Java SDK "JSON \/ problem", brief §1.5).
 */
export function verifyResponseContent(content: string, signature: string, key: KeyObject, signType: SignType): boolean {
  if (rsaVerify(content, signature, key, signType)) return true;
  return content.includes('\\/') && rsaVerify(content.replaceAll('\\/', '/'), signature, key, signType);
}

// ── Raw response envelope ────────────────────────────────────────────────────────────────────

export interface ResponseEnvelope {
  /** The top-level key that held the business object (`<method>_response` or `error_response`). */
  node: string;
  /** The node's value exactly as it appeared in the body: what the signature covers. */
  content: string;
  sign?: string;
  certSn?: string;
}

/**
 * Splits a gateway body into its top-level members, keeping each value's raw text. Returns null
 * for anything that is not one JSON object, or that repeats a key (a body with two response
 * nodes could show the verifier one and the parser another: the Java SDK's anti-injection check).
 */
export function topLevelMembers(raw: string): Map<string, string> | null {
  const text = raw.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  const members = new Map<string, string>();
  let i = skipSpace(text, 1);
  if (text[i] === '}') return i === text.length - 1 ? members : null;
  for (;;) {
    if (text[i] !== '"') return null;
    const keyEnd = endOfString(text, i);
    if (keyEnd < 0) return null;
    let key: string;
    try {
      key = JSON.parse(text.slice(i, keyEnd)) as string;
    } catch {
      return null;
    }
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') return null;
    i = skipSpace(text, i + 1);
    const valueEnd = endOfValue(text, i);
    if (valueEnd < 0 || members.has(key)) return null;
    members.set(key, text.slice(i, valueEnd));
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') {
      i = skipSpace(text, i + 1);
      continue;
    }
    return text[i] === '}' && i === text.length - 1 ? members : null;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  return i;
}

/** Index just past the closing quote of the string starting at `from`, or -1. */
function endOfString(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return -1;
}

/** Index just past the JSON value starting at `from` (object, array, string or literal), or -1. */
function endOfValue(text: string, from: number): number {
  const first = text[from];
  if (first === '"') return endOfString(text, from);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = from; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        const end = endOfString(text, i);
        if (end < 0) return -1;
        i = end - 1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = from;
  while (i < text.length && !',}] \t\r\n'.includes(text[i] as string)) i++;
  return i > from ? i : -1;
}

/**
 * Finds the response node (`<method>_response`, else the legacy `error_response`) and the
 * `sign` / `alipay_cert_sn` beside it, wherever they sit. Null when the body is malformed.
 */
export function extractResponse(raw: string, method: string): ResponseEnvelope | null {
  const members = topLevelMembers(raw);
  if (!members) return null;
  const own = `${method.replaceAll('.', '_')}_response`;
  const node = members.has(own) ? own : members.has('error_response') ? 'error_response' : undefined;
  if (node === undefined) return null;
  const content = members.get(node) as string;
  if (!content.startsWith('{')) return null; // an encrypted (string) body: we do not use AES
  const envelope: ResponseEnvelope = { node, content };
  const sign = stringMember(members.get('sign'));
  const certSn = stringMember(members.get('alipay_cert_sn'));
  if (sign === null || certSn === null) return null;
  if (sign !== undefined) envelope.sign = sign;
  if (certSn !== undefined) envelope.certSn = certSn;
  return envelope;
}

function stringMember(raw: string | undefined): string | undefined | null {
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

// ── Request building ─────────────────────────────────────────────────────────────────────────

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, whatever the process time zone (brief §1.2, §7.4). */
export function beijingTimestamp(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses a Beijing `yyyy-MM-dd HH:mm:ss`; undefined when malformed. */
export function parseBeijingTimestamp(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return new Date(utc - BEIJING_OFFSET_MS);
}

/** Adds `sign` to the parameters (which must already hold `sign_type`). */
export function signParams(
  params: Readonly<Record<string, string>>,
  key: KeyObject,
  signType: SignType,
): Record<string, string> {
  return { ...params, sign: rsaSign(signContent(params), key, signType) };
}
