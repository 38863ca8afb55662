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
 *   subject: 'Coffee', merchant: {} });
 */
import type { KeyObject } from 'node:crypto';
import type { Secret } from '@scanpay/contracts';
import type {
  BillRequest,
  Channel,
  ChannelMerchant,
  NotificationCheck,
  PayRequest,
  PrecreateRequest,
  RefundRequest,
  TradeRef,
} from '../channel.ts';
import { callGateway, type GatewayConfig } from './client.ts';
import type { AlipayApi } from './error-map.ts';
import { isSignType, loadPrivateKey, loadPublicKey, notificationSignContent, rsaVerify, type SignType } from './signing.ts';
import * as wire from './transformers.ts';
import * as check from './validate.ts';

export interface AlipayChannelConfig {
  appId: string;
  /** App private key: PEM or bare base64, PKCS#8 or PKCS#1. */
  privateKey: Secret<string>;
  /** Alipay public key, PEM or bare base64 (public-key mode; the fallback in certificate mode). */
  alipayPublicKey: string;
  /** e.g. `http://127.0.0.1:8090/gateway.do` */
  gatewayUrl: string;
  /** Default RSA2 (SHA256withRSA). */
  signType?: SignType;
  /** Defaults: 10 s for pay (the buyer's phone may be slow), 5 s otherwise. */
  timeouts?: { payMs?: number; otherMs?: number };
  /** Certificate mode: our SNs and the Alipay public keys by their cert SN (see `certModeFromPem`). */
  cert?: { appCertSn: string; alipayRootCertSn: string; alipayCertSnToKey: Record<string, string> };
  /** Service-provider mode: sent as extend_params.sys_service_provider_id on pay and precreate. */
  sysServiceProviderId?: string;
  /** Default notify_url, unless a request names its own. */
  notifyUrl?: string;
  /** Clock; the wire timestamp is Beijing time whatever the process time zone. */
  now?: () => Date;
  fetch?: typeof fetch;
}

/** The Alipay channel: the `Channel` contract with every optional capability present. */
export type AlipayChannel = Channel & Required<Pick<Channel, 'precreate' | 'close' | 'billDownloadUrl'>>;

/** Throws a TypeError at boot for a configuration that could never work (keys, URL). */
export function createAlipayChannel(config: AlipayChannelConfig): AlipayChannel {
  const gateway = gatewayConfig(config);
  const payMs = positiveMs('timeouts.payMs', config.timeouts?.payMs ?? 10_000);
  const otherMs = positiveMs('timeouts.otherMs', config.timeouts?.otherMs ?? 5_000);
  if (config.notifyUrl !== undefined && !/^https?:\/\/\S{1,248}$/.test(config.notifyUrl)) {
    throw new TypeError('alipay: notifyUrl must be an http(s) URL of ≤ 256 characters');
  }
  const extras = { sysServiceProviderId: config.sysServiceProviderId };

  const call = (api: AlipayApi, bizContent: Record<string, unknown>, merchant: ChannelMerchant, notifyUrl?: string) =>
    callGateway(gateway, {
      method: wire.METHODS[api],
      bizContent,
      timeoutMs: api === 'pay' ? payMs : otherMs,
      notifyUrl,
      appAuthToken: merchant.authToken?.reveal(),
    });

  const checkRef = (ref: TradeRef) => check.checkOrderNo(ref.outTradeNo, 'outTradeNo');
  const checkRefund = (req: RefundRequest) => {
    checkRef(req);
    check.checkOrderNo(req.outRequestNo, 'outRequestNo');
    check.checkAmount(req.amountFen, 'amountFen');
    check.checkText(req.reason, 'reason', 256);
  };
  const checkOrder = (req: PayRequest | PrecreateRequest) => {
    check.checkOrderNo(req.outTradeNo, 'outTradeNo');
    check.checkAmount(req.amountFen, 'amountFen');
    check.checkSubject(req.subject);
    check.checkShortId(req.storeId, 'storeId');
    check.checkShortId(req.terminalId, 'terminalId');
    check.checkShortId(req.operatorId, 'operatorId');
    check.checkTimeoutMinutes(req.timeoutMinutes);
    check.checkNotifyUrl(req.notifyUrl);
  };

  return {
    id: 'alipay',
    notificationAck: 'success',

    async pay(req: PayRequest) {
      checkOrder(req);
      check.checkAuthCode(req.authCode.reveal());
      const result = await call('pay', wire.payBizContent(req, extras), req.merchant, req.notifyUrl ?? config.notifyUrl);
      return wire.toPayResult(result, req.outTradeNo);
    },

    async query(ref: TradeRef) {
      checkRef(ref);
      return wire.toQueryResult(await call('query', wire.tradeBizContent(ref), ref.merchant), ref.outTradeNo);
    },

    async cancel(ref: TradeRef) {
      checkRef(ref);
      return wire.toCancelResult(await call('cancel', wire.tradeBizContent(ref), ref.merchant));
    },

    async close(ref: TradeRef) {
      checkRef(ref);
      return wire.toCloseResult(await call('close', wire.tradeBizContent(ref), ref.merchant));
    },

    async refund(req: RefundRequest) {
      checkRefund(req);
      return wire.toRefundResult(await call('refund', wire.refundBizContent(req), req.merchant), req);
    },

    async refundQuery(req: RefundRequest) {
      checkRefund(req);
      return wire.toRefundQueryResult(await call('refund_query', wire.refundQueryBizContent(req), req.merchant), req);
    },

    async precreate(req: PrecreateRequest) {
      checkOrder(req);
      const result = await call('precreate', wire.precreateBizContent(req, extras), req.merchant, req.notifyUrl ?? config.notifyUrl);
      return wire.toPrecreateResult(result, req.outTradeNo);
    },

    async billDownloadUrl(req: BillRequest) {
      check.checkBillPeriod(req.period);
      return wire.toBillUrlResult(await call('bill', wire.billBizContent(req), req.merchant));
    },

    verifyNotification(params: Record<string, string>): NotificationCheck {
      return verifyNotification(gateway, params);
    },
  };
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

function positiveMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`alipay: ${name} must be a positive number of milliseconds`);
  return value;
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
