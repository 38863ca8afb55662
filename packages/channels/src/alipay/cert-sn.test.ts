/**
 * Certificate serial numbers, checked against the official SDK's own computation (it derives the
 * SNs when given certificate contents). Certificates are built here with a tiny DER writer, so
 * the test needs no openssl and no fixtures.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { describe, expect, it } from 'vitest';
import { certModeFromPem, certSn, publicKeyFromCert, rootCertSn } from './cert-sn.ts';
import { sharedKeys } from './test-support.ts';

// ── a minimal DER writer ─────────────────────────────────────────────────────────────────────
const len = (n: number): Buffer => (n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(content.length), content]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const int = (hex: string) => {
  const bytes = Buffer.from(hex, 'hex');
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
};
const oid = (dotted: string) => {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const part of rest) {
    const stack = [part & 0x7f];
    for (let v = part >>> 7; v > 0; v >>>= 7) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
};
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const printable = (s: string) => tlv(0x13, Buffer.from(s, 'latin1'));
const NAME_OIDS: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };
const name = (attrs: Array<[string, string]>) =>
  seq(...attrs.map(([k, v]) => set(seq(oid(NAME_OIDS[k] as string), k === 'C' ? printable(v) : utf8(v)))));

const RSA_SHA256 = '1.2.840.113549.1.1.11';
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

function certificate(opts: { serialHex: string; issuer: Array<[string, string]>; subjectKey: KeyObject; signer: KeyObject; algorithm: string }): string {
  const algId = opts.algorithm === RSA_SHA256 ? seq(oid(RSA_SHA256), tlv(0x05, Buffer.alloc(0))) : seq(oid(opts.algorithm));
  const tbs = seq(
    tlv(0xa0, int('02')),
    int(opts.serialHex),
    algId,
    name(opts.issuer),
    seq(tlv(0x17, Buffer.from('260101000000Z')), tlv(0x17, Buffer.from('360101000000Z'))),
    name([['CN', 'subject']]),
    opts.subjectKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, opts.signer);
  const der = seq(tbs, algId, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

const keys = sharedKeys();
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ANT_CA: Array<[string, string]> = [['C', 'CN'], ['O', 'Ant Financial'], ['OU', 'Certification Authority'], ['CN', 'Ant Financial Certification Authority Class 2 R1']];

const appCert = certificate({ serialHex: '2026112700000001', issuer: ANT_CA, subjectKey: keys.app.publicKey, signer: keys.alipay.privateKey, algorithm: RSA_SHA256 });
const alipayCert = certificate({ serialHex: '9a1f00000000000000000000000000ff', issuer: ANT_CA, subjectKey: keys.alipay.publicKey, signer: keys.alipay.privateKey, algorithm: RSA_SHA256 });
const rsaRoot = certificate({ serialHex: '7e', issuer: [['C', 'CN'], ['O', 'Ant Financial'], ['CN', '根证书 Root R1']], subjectKey: keys.alipay.publicKey, signer: keys.alipay.privateKey, algorithm: RSA_SHA256 });
const ecRoot = certificate({ serialHex: '01', issuer: [['C', 'CN'], ['CN', 'EC root']], subjectKey: ec.publicKey, signer: ec.privateKey, algorithm: ECDSA_SHA256 });
const rsaRoot2 = certificate({ serialHex: '0102030405', issuer: [['CN', 'Second']], subjectKey: keys.app.publicKey, signer: keys.app.privateKey, algorithm: RSA_SHA256 });
const rootBundle = rsaRoot + ecRoot + rsaRoot2;

describe('certificate serial numbers (brief §1.6)', () => {
  it('is md5 of the reversed issuer DN and the decimal serial', () => {
    const expected = createHash('md5')
      .update(`CN=Ant Financial Certification Authority Class 2 R1,OU=Certification Authority,O=Ant Financial,C=CN${BigInt('0x2026112700000001').toString(10)}`)
      .digest('hex');
    expect(certSn(appCert)).toBe(expected);
  });

  it('agrees with the official SDK for the app cert, the Alipay cert and the root bundle', () => {
    const sdk = new AlipaySdk({
      appId: '2021000000000001', privateKey: keys.app.privatePkcs8Base64, keyType: 'PKCS8',
      appCertContent: appCert, alipayPublicCertContent: alipayCert, alipayRootCertContent: rootBundle,
    });
    expect(certSn(appCert)).toBe(sdk.config.appCertSn);
    expect(certSn(alipayCert)).toBe(sdk.config.alipayCertSn);
    expect(rootCertSn(rootBundle)).toBe(sdk.config.alipayRootCertSn);
  });

  it('leaves non-RSA roots out of the root SN', () => {
    expect(rootCertSn(rootBundle).split('_')).toEqual([certSn(rsaRoot), certSn(rsaRoot2)]);
  });

  it('builds the certificate-mode config, with the Alipay key found by its SN', () => {
    const mode = certModeFromPem({ appCert, alipayCert, alipayRootCert: rootBundle });
    expect(mode.appCertSn).toBe(certSn(appCert));
    expect(mode.alipayCertSnToKey[certSn(alipayCert)]).toBe(publicKeyFromCert(alipayCert));
    expect(publicKeyFromCert(alipayCert)).toBe(keys.alipay.publicSpkiPem);
  });

  it('refuses text without a certificate', () => {
    expect(() => certSn('nothing here')).toThrow(TypeError);
    expect(rootCertSn('')).toBe('');
  });
});
