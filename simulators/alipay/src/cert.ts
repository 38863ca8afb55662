// Certificate mode (brief §1.6) is only echoed: the simulator has no X.509 certificate, but it
// answers a stable alipay_cert_sn computed the way SNs are, md5(issuerDN + decimal serial).
import { createHash } from 'node:crypto';

const ISSUER = 'CN=Ant Financial Certification Authority Class 2 R1,OU=Certification Authority,O=Ant Financial,C=CN';

export function certSnOf(publicKeyPem: string): string {
  const serial = BigInt(`0x${createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 16)}`).toString();
  return createHash('md5').update(ISSUER + serial).digest('hex');
}
