/**
 * Alipay OpenAPI v2 (gateway.do) channel on `node:crypto` — face-to-face barcode pay, query,
 * cancel, close, refund, refund query, precreate and the bill download URL.
 *
 * @example
 * const alipay = createAlipayChannel({
 *   appId: '2021000000000001',
 *   privateKey: new Secret(process.env.ALIPAY_PRIVATE_KEY!),
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   gatewayUrl: 'http://127.0.0.1:8090/gateway.do',
 * });
 * const result = await alipay.pay({ outTradeNo: 'T1', authCode: new Secret(code), amountFen: 1234,
 *   subject: 'Coffee', storeId: 'STORE_1', terminalId: 'POS_1', merchant: {} });
 */
import type { KeyObject } from 'node:crypto';
import type { NotificationCheck } from '../channel.ts';
import { buildAlipayChannel, type AlipayChannel, type AlipayChannelConfig } from './channel-core.ts';
import { callGateway, type GatewayConfig } from './client.ts';
import { isSignType, loadPrivateKey, loadPublicKey, notificationSignContent, rsaVerify } from './signing.ts';
import * as wire from './transformers.ts';

export type { AlipayChannel, AlipayChannelConfig } from './channel-core.ts';

/** Throws a TypeError at boot for a configuration that could never work (keys, URL, timeouts). */
export function createAlipayChannel(config: AlipayChannelConfig): AlipayChannel {
  const gateway = gatewayConfig(config);
  return buildAlipayChannel(
    config,
    (call) => callGateway(gateway, call),
    (params) => verifyNotification(gateway, params),
  );
}

function gatewayConfig(config: AlipayChannelConfig): GatewayConfig {
  const signType = config.signType ?? 'RSA2';
  if (!isSignType(signType)) throw new TypeError(`alipay: signType must be RSA2 or RSA, not ${String(signType)}`);
  let gatewayUrl: URL;
  try {
    gatewayUrl = new URL(config.gatewayUrl);
  } catch {
    throw new TypeError('alipay: gatewayUrl is not a URL');
  }
  if (gatewayUrl.protocol !== 'http:' && gatewayUrl.protocol !== 'https:') {
    throw new TypeError('alipay: gatewayUrl must be http(s)');
  }
  if (!config.appId) throw new TypeError('alipay: appId is required');
  const gateway: GatewayConfig = {
    appId: config.appId,
    privateKey: keyOrThrow('privateKey', () => loadPrivateKey(config.privateKey.reveal())),
    alipayPublicKey: keyOrThrow('alipayPublicKey', () => loadPublicKey(config.alipayPublicKey)),
    gatewayUrl,
    signType,
    now: config.now ?? (() => new Date()),
    fetch: config.fetch ?? globalThis.fetch,
  };
  if (config.cert) {
    const keysBySn = new Map<string, KeyObject>();
    for (const [sn, key] of Object.entries(config.cert.alipayCertSnToKey)) {
      keysBySn.set(sn, keyOrThrow(`cert.alipayCertSnToKey[${sn}]`, () => loadPublicKey(key)));
    }
    gateway.cert = { appCertSn: config.cert.appCertSn, alipayRootCertSn: config.cert.alipayRootCertSn, keysBySn };
  }
  return gateway;
}

function keyOrThrow(name: string, load: () => KeyObject): KeyObject {
  try {
    return load();
  } catch (err) {
    // Never echo the key itself.
    throw new TypeError(`alipay: ${name} is not a usable RSA key (${err instanceof Error ? err.message : 'invalid'})`);
  }
}

/**
 * V1 notification check (brief §5): fail closed without a signature; `sign` and `sign_type`
 * excluded; the key chosen by `alipay_cert_sn` in certificate mode; `app_id` must be ours.
 * Amount and order checks are the platform's.
 */
function verifyNotification(gateway: GatewayConfig, params: Record<string, string>): NotificationCheck {
  const sign = params.sign;
  if (!sign) return { ok: false, reason: 'missing_signature', detail: 'notification has no sign' };
  const signType = params.sign_type || gateway.signType;
  if (!isSignType(signType)) return { ok: false, reason: 'malformed', detail: `unsupported sign_type ${signType}` };
  let key = gateway.alipayPublicKey;
  const certSn = params.alipay_cert_sn;
  if (gateway.cert && certSn) {
    const byCert = gateway.cert.keysBySn.get(certSn);
    if (!byCert) return { ok: false, reason: 'bad_signature', detail: `unknown alipay_cert_sn ${certSn}` };
    key = byCert;
  }
  let verified = rsaVerify(notificationSignContent(params), sign, key, signType);
  if (!verified && certSn !== undefined) {
    // Some clients (smartwalle) leave alipay_cert_sn out of the signed content too.
    const { alipay_cert_sn: _omit, ...rest } = params;
    verified = rsaVerify(notificationSignContent(rest), sign, key, signType);
  }
  if (!verified) return { ok: false, reason: 'bad_signature', detail: 'notification signature does not verify' };
  if (params.app_id !== gateway.appId) {
    return { ok: false, reason: 'wrong_app', detail: `notification for app ${params.app_id ?? '(none)'}` };
  }
  return wire.readNotification(params);
}

export { certModeFromPem, certSn, publicKeyFromCert, rootCertSn } from './cert-sn.ts';
export { DECLINE_RULES, PUBLIC_CODE_RULES, UNKNOWN_SUB_CODES, mapGatewayError } from './error-map.ts';
export type { AlipayApi, DeclineRule } from './error-map.ts';
export type { SignType } from './signing.ts';
