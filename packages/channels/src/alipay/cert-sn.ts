/**
 * Certificate-mode serial numbers (protocol brief §1.6), computed the way the official SDKs do:
 * SN = md5(issuerDN + decimal(serialNumber)), lowercase hex, where issuerDN lists the issuer's
 * attributes in reverse order as `CN=..,OU=..,O=..,C=..`. The root SN joins the SNs of the
 * bundle's RSA-signed certificates (signature OID under 1.2.840.113549.1.1) with `_`.
 *
 * Node 20's X509Certificate does not expose the signature algorithm, so a small DER reader
 * walks the few fields we need.
 */
import { createHash, X509Certificate } from 'node:crypto';

interface Tlv {
  tag: number;
  start: number; // first content byte
  end: number; // one past the last content byte
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at];
  let lengthByte = der[at + 1];
  if (tag === undefined || lengthByte === undefined) throw new TypeError('truncated DER');
  let start = at + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new TypeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) throw new TypeError('truncated DER');
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  if (start + length > der.length) throw new TypeError('truncated DER');
  return { tag, start, end: start + length };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const tlv = readTlv(der, at);
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

function oid(der: Buffer, tlv: Tlv): string {
  const bytes = der.subarray(tlv.start, tlv.end);
  const first = bytes[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

// The short names the official Node SDK (via @fidm/x509) knows; others print as an empty name.
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
};

function stringValue(der: Buffer, tlv: Tlv): string {
  const bytes = der.subarray(tlv.start, tlv.end);
  // BMPString is UTF-16 big-endian
  if (tlv.tag === 0x1e && bytes.length % 2 === 0) return Buffer.from(bytes).swap16().toString('utf16le');
  if (tlv.tag === 0x14) return bytes.toString('latin1');
  return bytes.toString('utf8');
}

interface ParsedCert {
  issuerDn: string;
  serialDecimal: string;
  signatureOid: string;
}

function parseCertificate(der: Buffer): ParsedCert {
  const cert = readTlv(der, 0);
  const [tbs, sigAlg] = children(der, cert);
  if (!tbs || !sigAlg) throw new TypeError('not an X.509 certificate');
  const sigOid = children(der, sigAlg)[0];
  if (!sigOid) throw new TypeError('not an X.509 certificate');
  const fields = children(der, tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // optional explicit version
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (!serial || !issuer) throw new TypeError('not an X.509 certificate');
  const serialHex = der.subarray(serial.start, serial.end).toString('hex') || '0';
  const attributes: string[] = [];
  for (const rdn of children(der, issuer)) {
    for (const pair of children(der, rdn)) {
      const [type, value] = children(der, pair);
      if (!type || !value) continue;
      attributes.push(`${SHORT_NAMES[oid(der, type)] ?? ''}=${stringValue(der, value)}`);
    }
  }
  return {
    issuerDn: attributes.reverse().join(','),
    serialDecimal: BigInt(`0x${serialHex}`).toString(10),
    signatureOid: oid(der, sigOid),
  };
}

function pemBlocks(pem: string): Buffer[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((m) => Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'));
}

function snOf(cert: ParsedCert): string {
  return createHash('md5').update(cert.issuerDn + cert.serialDecimal, 'utf8').digest('hex');
}

/** The SN of one certificate (the app certificate, or an Alipay public-key certificate). */
export function certSn(pem: string): string {
  const [der] = pemBlocks(pem);
  if (!der) throw new TypeError('no PEM certificate found');
  return snOf(parseCertificate(der));
}

/** The root SN: RSA-signed certificates of the root bundle only, joined with `_`. */
export function rootCertSn(pemBundle: string): string {
  return pemBlocks(pemBundle)
    .map(parseCertificate)
    .filter((cert) => cert.signatureOid.startsWith('1.2.840.113549.1.1'))
    .map(snOf)
    .join('_');
}

/** The public key inside a certificate, as SPKI PEM (usable as `alipayPublicKey`). */
export function publicKeyFromCert(pem: string): string {
  return new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Everything certificate mode needs from the three files the console hands out
 * (`appCertPublicKey_<appid>.crt`, `alipayCertPublicKey_RSA2.crt`, `alipayRootCert.crt`).
 */
export function certModeFromPem(files: { appCert: string; alipayCert: string; alipayRootCert: string }): {
  appCertSn: string;
  alipayRootCertSn: string;
  alipayCertSnToKey: Record<string, string>;
} {
  return {
    appCertSn: certSn(files.appCert),
    alipayRootCertSn: rootCertSn(files.alipayRootCert),
    alipayCertSnToKey: { [certSn(files.alipayCert)]: publicKeyFromCert(files.alipayCert) },
  };
}
