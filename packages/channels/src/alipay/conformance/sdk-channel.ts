/**
 * The conformance scenarios with the official `alipay-sdk` (v4, `exec` = API v2) as the client:
 * the SDK signs, sends, parses and verifies; our channel core only validates the input and maps
 * the SDK's answer to the same results, so a scenario passes only if the SDK can talk to the
 * simulator exactly as our client does. Settings per brief §7.4: `validateSign: true`,
 * `camelcase: false`, `keyType` from the PEM, and an explicit Beijing `timestamp`.
 */
import { createPrivateKey } from 'node:crypto';
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import type { ChannelUnknown, NotificationCheck } from '../../channel.ts';
import { buildAlipayChannel, type AlipayChannel, type AlipayChannelConfig } from '../channel-core.ts';
import type { GatewayCall, GatewayResult } from '../client.ts';
import { beijingTimestamp } from '../signing.ts';
import { readNotification } from '../transformers.ts';

/** The SDK wants bare base64 or a PEM without a trailing newline; bare is the safe form. */
const bare = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

export function createSdkChannel(config: AlipayChannelConfig): AlipayChannel {
  const now = config.now ?? (() => new Date());
  const privateKey = config.privateKey.reveal();
  // The SDK verifies every answer with one Alipay key; it never picks one by alipay_cert_sn.
  const alipayPublicKey = Object.values(config.cert?.alipayCertSnToKey ?? {})[0] ?? config.alipayPublicKey;
  const sdks = new Map<number, AlipaySdk>();
  // exec has no per-call timeout: one SDK per timeout the core asks for (pay vs the rest).
  const sdkFor = (timeout: number): AlipaySdk => {
    let sdk = sdks.get(timeout);
    if (!sdk) {
      sdk = new AlipaySdk({
        appId: config.appId,
        privateKey: bare(privateKey),
        keyType: keyTypeOf(privateKey),
        alipayPublicKey: bare(alipayPublicKey),
        gateway: config.gatewayUrl,
        signType: config.signType ?? 'RSA2',
        camelcase: false,
        timeout,
        ...(config.cert ? { appCertSn: config.cert.appCertSn, alipayRootCertSn: config.cert.alipayRootCertSn } : {}),
      });
      sdks.set(timeout, sdk);
    }
    return sdk;
  };

  const send = async (call: GatewayCall): Promise<GatewayResult> => {
    // Never pass an undefined top-level param (it crashes exec) nor an empty one (it is signed).
    const params: Record<string, unknown> = { timestamp: beijingTimestamp(now()), bizContent: call.bizContent };
    if (call.notifyUrl) params.notify_url = call.notifyUrl;
    if (call.appAuthToken) params.app_auth_token = call.appAuthToken;
    try {
      const node = (await sdkFor(call.timeoutMs).exec(call.method, params, { validateSign: true })) as Record<string, unknown>;
      // exec returned, so the answer carried a sign that verified; the raw text is not exposed.
      return { kind: 'answer', node, signed: true, code: typeof node.code === 'string' ? node.code : '', raw: JSON.stringify(node) };
    } catch (err) {
      return sdkFailure(call.method, err);
    }
  };

  const verify = (params: Record<string, string>): NotificationCheck => {
    if (!params.sign) return { ok: false, reason: 'missing_signature', detail: 'notification has no sign' };
    let verified: boolean;
    try {
      verified = sdkFor(5_000).checkNotifySignV2(params);
    } catch (err) {
      // e.g. an unknown sign_type: the SDK throws instead of answering false.
      return { ok: false, reason: 'malformed', detail: `alipay-sdk: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!verified) return { ok: false, reason: 'bad_signature', detail: 'checkNotifySignV2 refused it' };
    if (params.app_id !== config.appId) return { ok: false, reason: 'wrong_app', detail: `notification for app ${params.app_id ?? '(none)'}` };
    return readNotification(params);
  };

  return buildAlipayChannel(config, send, verify);
}

/** The SDK must be told the private key's format (it defaults to PKCS1; the key tool emits PKCS8). */
function keyTypeOf(key: string): 'PKCS1' | 'PKCS8' {
  if (key.includes('BEGIN RSA PRIVATE KEY')) return 'PKCS1';
  if (key.includes('BEGIN PRIVATE KEY')) return 'PKCS8';
  try {
    createPrivateKey({ key: Buffer.from(bare(key), 'base64'), format: 'der', type: 'pkcs8' });
    return 'PKCS8';
  } catch {
    return 'PKCS1';
  }
}

/** What each SDK exception means for us: always `unknown`, with the reason our client would give. */
export function sdkFailure(method: string, err: unknown): ChannelUnknown {
  const message = err instanceof Error ? err.message : String(err);
  const detail = `${method}: alipay-sdk: ${message.slice(0, 200)}`;
  if (err instanceof AlipayRequestError) {
    if (message.startsWith('验签失败')) return { kind: 'unknown', reason: 'bad_signature', detail };
    if (message.startsWith('HTTP 请求错误')) return { kind: 'unknown', reason: 'http_status', detail };
    if (message.startsWith('Response 格式错误')) return { kind: 'unknown', reason: 'unparsable', detail };
    if (/timeout/i.test(message)) return { kind: 'unknown', reason: 'timeout', detail };
    if (errorCodes(err).includes('ECONNREFUSED')) return { kind: 'unknown', reason: 'network', notSent: true, detail };
    return { kind: 'unknown', reason: 'network', detail };
  }
  // With validateSign, an answer without `sign` makes the SDK's verifier throw a TypeError.
  if (err instanceof TypeError) return { kind: 'unknown', reason: 'bad_signature', detail };
  return { kind: 'unknown', reason: 'network', detail };
}

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}
