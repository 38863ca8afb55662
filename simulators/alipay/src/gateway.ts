// POST|GET /gateway.do: common-parameter checks, request signature, faults, dispatch and the
// signed answer (brief §1). Every state change is journaled before the answer is written.
import { requestSignString, rsaSign, rsaVerify, type SignType } from './crypto.ts';
import { billDownloadUrl } from './bill.ts';
import type { App } from './model.ts';
import type { Notifier } from './notifier.ts';
import { cancel, close, query, refund, refundQuery } from './ops.ts';
import { pay, precreate } from './pay.ts';
import { fail, replyObject, str, type CallContext, type Handler, type Reply } from './reply.ts';
import type { Sim } from './sim.ts';
import { compactJson, envelope, parseBeijingTime, responseNodeName } from './wire.ts';
import { certSnOf } from './cert.ts';

export const HANDLERS: Record<string, Handler> = {
  'alipay.trade.pay': pay,
  'alipay.trade.precreate': precreate,
  'alipay.trade.query': query,
  'alipay.trade.cancel': cancel,
  'alipay.trade.close': close,
  'alipay.trade.refund': refund,
  'alipay.trade.fastpay.refund.query': refundQuery,
  'alipay.data.dataservice.bill.downloadurl.query': billDownloadUrl,
};

const TRADE_METHODS = Object.keys(HANDLERS).filter((m) => m.startsWith('alipay.trade.'));
const COLLECTING = ['alipay.trade.pay', 'alipay.trade.precreate'];

export interface Answer {
  status: number;
  body: string;
  /** Destroy the socket instead of answering (after the work was committed). */
  drop?: boolean;
  delayMs?: number;
}

function json(status: number, body: string): Answer {
  return { status, body };
}

/** Merchant/product state (fidelity §3.2 B, C) checked before a trade method runs. */
function merchantRefusal(method: string, merchant: App, viaToken: boolean): Reply | undefined {
  if (!TRADE_METHODS.includes(method)) return undefined;
  const m = merchant.merchant;
  // A service provider acting for a merchant without the product hears it from the token layer.
  if (viaToken && !m.faceToFaceSigned) return fail('aop.no-product-reg-by-partner');
  if (!m.appOnline || !m.faceToFaceSigned) return fail('isv.insufficient-isv-permissions');
  if (!COLLECTING.includes(method)) return undefined;
  if (m.contractExpired) return fail('ACQ.ACCESS_FORBIDDEN');
  if (m.status === 'frozen') return fail('ACQ.SELLER_BEEN_BLOCKED');
  if (m.status === 'closed') return fail('ACQ.MERCHANT_STATUS_NOT_NORMAL');
  return undefined;
}

interface Checked {
  app?: App;
  merchant?: App;
  signType: SignType;
  reply?: Reply;
  biz: Record<string, unknown>;
}

/** The common-parameter checks, in the order the gateway applies them. */
function checkCommon(sim: Sim, method: string, params: Record<string, string>): Checked {
  const requested: SignType = params.sign_type === 'RSA' ? 'RSA' : 'RSA2';
  const out: Checked = { signType: requested, biz: {} };
  const stop = (reply: Reply): Checked => ({ ...out, reply });
  const appId = params.app_id;
  if (!appId) return stop(fail('isv.missing-app-id'));
  const app = sim.store.apps.get(appId);
  if (!app) return stop(fail('isv.invalid-app-id', `无效的AppID参数: ${appId}`));
  out.app = app;
  out.merchant = app;
  out.signType = app.signType;
  const charset = params.charset;
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) return stop(fail('isv.invalid-charset', `不支持的字符集: ${charset}, 请使用 utf-8`));
  if (params.format !== undefined && params.format.toUpperCase() !== 'JSON') return stop(fail('isv.invalid-format'));
  if (!params.version) return stop(fail('isv.missing-version'));
  if (params.version !== '1.0') return stop(fail('isv.invalid-parameter', `version 只能为 1.0: ${params.version}`));
  if (!params.sign_type) return stop(fail('isv.missing-signature-type'));
  if (params.sign_type !== 'RSA' && params.sign_type !== 'RSA2') return stop(fail('isv.invalid-signature-type'));
  if (params.sign_type !== app.signType) return stop(fail('isv.missing-signature-config', `应用未配置 ${params.sign_type} 公钥, 已配置 ${app.signType}`));
  if (!params.sign) return stop(fail('isv.missing-signature'));
  if (!params.timestamp) return stop(fail('isv.missing-timestamp'));
  const at = parseBeijingTime(params.timestamp);
  if (at === undefined) return stop(fail('isv.invalid-timestamp', `非法的时间戳参数: ${params.timestamp}, 格式为 yyyy-MM-dd HH:mm:ss (北京时间)`));
  if (Math.abs(at - Date.now()) > sim.config.timestampSkewMs) {
    return stop(fail('isv.invalid-timestamp', `时间戳与网关时间相差超过 ${sim.config.timestampSkewMs / 60_000} 分钟: ${params.timestamp}`));
  }
  const signString = requestSignString(params);
  if (!rsaVerify(signString, params.sign, app.publicKeyPem, app.signType)) {
    return stop(fail('isv.invalid-signature', `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${signString}`));
  }
  if (params.app_auth_token) {
    const token = sim.store.tokens.get(params.app_auth_token);
    if (!token || token.appId !== app.appId) return stop(fail('aop.invalid-app-auth-token'));
    if (token.expiresAt !== undefined && token.expiresAt < Date.now()) return stop(fail('aop.app-auth-token-time-out'));
    if (token.methods && !token.methods.includes(method)) return stop(fail('aop.invalid-app-auth-token-no-api'));
    const merchant = sim.store.apps.get(token.merchantAppId);
    if (!merchant) return stop(fail('aop.invalid-app-auth-token'));
    out.merchant = merchant;
  }
  const raw = params.biz_content;
  if (raw === undefined || raw === '') return stop(fail('ACQ.INVALID_PARAMETER', 'biz_content 不能为空'));
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    out.biz = parsed as Record<string, unknown>;
  } catch {
    return stop(fail('ACQ.INVALID_PARAMETER', 'biz_content 不是合法的 JSON 对象'));
  }
  const refusal = merchantRefusal(method, out.merchant!, out.merchant !== app);
  return refusal ? stop(refusal) : out;
}

function render(sim: Sim, node: string, reply: Reply, signType: SignType, opts: { sign: boolean; tamper?: boolean; certSn?: string }): string {
  const inner = compactJson(replyObject(reply));
  if (!opts.sign) return envelope(node, inner);
  // A signature over other text: well formed, verifies nowhere.
  const signature = rsaSign(opts.tamper ? `${inner} ` : inner, sim.keys.privateKey, signType);
  return envelope(node, inner, signature, opts.certSn);
}

export function handleGateway(sim: Sim, notifier: Notifier, params: Record<string, string>): Answer {
  const method = params.method ?? '';
  const record = (code: string, subCode?: string, outTradeNo?: string, fault?: string) => {
    const call = sim.calls.record({ method: method || '(none)', appId: params.app_id ?? '', code, ...(subCode ? { subCode } : {}), ...(outTradeNo ? { outTradeNo } : {}), ...(fault ? { fault } : {}) });
    sim.log(`gateway #${call.seq} ${call.method} app=${call.appId} ${outTradeNo ?? ''} -> ${code}${subCode ? ` ${subCode}` : ''}${fault ? ` [fault ${fault}]` : ''}`);
  };
  if (!method || !HANDLERS[method]) {
    const reply = method ? fail('isv.invalid-method', `不存在的方法名: ${method}`) : fail('isv.missing-method');
    record(reply.code, reply.subCode);
    return json(200, envelope('error_response', compactJson(replyObject(reply))));
  }
  const node = responseNodeName(method);
  const checked = checkCommon(sim, method, params);
  const certSn = checked.app?.certMode || params.app_cert_sn ? certSnOf(sim.keys.publicKeyPem) : undefined;
  const outTradeNo = str(checked.biz.out_trade_no);
  if (checked.reply) {
    record(checked.reply.code, checked.reply.subCode, outTradeNo);
    return json(200, render(sim, node, checked.reply, checked.signType, { sign: true, certSn }));
  }
  const fault = sim.faults.pickGateway(method);
  const kind = fault?.kind;
  const systemError = (f: typeof fault) => fail(f?.subCode ?? 'isp.unknow-error', f?.subMsg, { out_trade_no: outTradeNo }, f?.code ?? '20000');
  if (kind === 'http_500') {
    record('HTTP 500', undefined, outTradeNo, kind);
    return { status: 500, body: '<html><body>500 Internal Server Error</body></html>' };
  }
  let reply: Reply | undefined;
  if (kind === 'sub_code') reply = fail(fault!.subCode!, fault!.subMsg, { out_trade_no: outTradeNo }, fault!.code);
  else if (kind === 'cancel_retry') reply = fail(fault!.subCode ?? 'ACQ.SYSTEM_ERROR', fault!.subMsg, { out_trade_no: outTradeNo, retry_flag: 'Y' }, fault!.code ?? '40004');
  else if ((kind === 'system_error' || kind === 'unsigned_error') && !fault!.commit) reply = systemError(fault);
  if (!reply) {
    const context: CallContext = { sim, notifier, method, app: checked.app!, merchant: checked.merchant!, params, biz: checked.biz, ...(fault ? { fault } : {}) };
    const handled = HANDLERS[method]!(context);
    reply = kind === 'system_error' || kind === 'unsigned_error' ? systemError(fault) : handled;
  }
  record(reply.code, reply.subCode, outTradeNo, kind);
  const body = render(sim, node, reply, checked.signType, { sign: kind !== 'unsigned_error', tamper: kind === 'bad_signature', certSn });
  return {
    status: 200,
    body,
    ...(kind === 'drop_response' ? { drop: true } : {}),
    ...(kind === 'delay' ? { delayMs: fault!.ms ?? 0 } : {}),
  };
}

export function gatewayParams(url: URL, contentType: string | undefined, body: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  if (body.length > 0) {
    if (contentType && !contentType.toLowerCase().includes('application/x-www-form-urlencoded')) return undefined;
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  }
  return params;
}
