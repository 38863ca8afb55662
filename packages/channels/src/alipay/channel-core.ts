/**
 * The Alipay channel over any v2 transport: edge validation, biz_content, and the mapping of
 * answers to results. `createAlipayChannel` (index.ts) plugs in our own signed client; the
 * conformance suite also plugs in the official `alipay-sdk`, so both clients face the same
 * scenarios through the same rules. Not exported from the package: a transport decides what
 * counts as verified, so only these two may exist.
 */
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
import type { GatewayCall, GatewayResult } from './client.ts';
import type { AlipayApi } from './error-map.ts';
import type { SignType } from './signing.ts';
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

/** Sends one signed gateway call and returns a verified answer or an unknown. */
export type GatewaySend = (call: GatewayCall) => Promise<GatewayResult>;
export type NotificationVerifier = (params: Record<string, string>) => NotificationCheck;

/** Throws a TypeError at boot for settings that could never work (timeouts, notify URL). */
export function buildAlipayChannel(config: AlipayChannelConfig, send: GatewaySend, verify: NotificationVerifier): AlipayChannel {
  const payMs = positiveMs('timeouts.payMs', config.timeouts?.payMs ?? 10_000);
  const otherMs = positiveMs('timeouts.otherMs', config.timeouts?.otherMs ?? 5_000);
  if (config.notifyUrl !== undefined && !/^https?:\/\/\S{1,248}$/.test(config.notifyUrl)) {
    throw new TypeError('alipay: notifyUrl must be an http(s) URL of ≤ 256 characters');
  }
  const extras = { sysServiceProviderId: config.sysServiceProviderId };

  const call = (api: AlipayApi, bizContent: Record<string, unknown>, merchant: ChannelMerchant, notifyUrl?: string) =>
    send({
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
      check.checkTill(req);
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
      check.checkBillType(req.type);
      check.checkBillPeriod(req.period);
      return wire.toBillUrlResult(await call('bill', wire.billBizContent(req), req.merchant));
    },

    verifyNotification: verify,
  };
}

function positiveMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`alipay: ${name} must be a positive number of milliseconds`);
  return value;
}
