/**
 * Alipay code + sub_code → our decline, as data (protocol brief §3; the GSM model in STYLE.md §1).
 * Every row names a CHN_* catalogue code, a diagnosis cause id (`category.name`, often finer
 * than the catalogue code's own cause), the cashier action and a zh/en remedy.
 *
 * Answers that do NOT decline: code 20000 and the system-error sub_codes (the channel itself does
 * not know), `ACQ.TRADE_HAS_SUCCESS` on pay (already paid: query it), and any code we do not
 * recognise. All become `unknown`, so the platform queries instead of failing a payment.
 */
import type { ErrorCode, Text } from '@scanpay/errors';
import type { CashierAction, ChannelDecline, ChannelUnknown } from '../channel.ts';

export type AlipayApi = 'pay' | 'query' | 'cancel' | 'close' | 'refund' | 'refund_query' | 'precreate' | 'bill';

export interface DeclineRule {
  /** Exact sub_code, or a prefix ending in `*` (`isv.decryption-error-*`). */
  subCode: string;
  /** The public codes it arrives under (documentation; the lookup is by sub_code). */
  rawCodes: readonly string[];
  /** Only for this API; a row without `api` applies to all. */
  api?: AlipayApi;
  code: ErrorCode;
  cause: string;
  action: CashierAction;
  remedy: Text;
}

const t = (zh: string, en: string): Text => ({ zh, en });

function rule(
  subCode: string,
  rawCodes: readonly string[],
  code: ErrorCode,
  cause: string,
  action: CashierAction,
  remedy: Text,
  api?: AlipayApi,
): DeclineRule {
  return api === undefined ? { subCode, rawCodes, code, cause, action, remedy } : { subCode, rawCodes, api, code, cause, action, remedy };
}

const FIX_CLIENT = t('请求缺少或带错了公共参数，请联系服务商升级收款软件', 'A common parameter is missing or wrong: contact support to update the payment software');
const NEW_AUTH = t('商户需重新授权服务商（第三方应用授权）', 'The merchant must authorise the service provider again (app authorisation)');

export const DECLINE_RULES: readonly DeclineRule[] = [
  // ── A. Signature, key and configuration ─────────────────────────────────────────────────
  rule('isv.missing-method', ['40001'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.missing-signature', ['40001'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.missing-signature-type', ['40001'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.missing-signature-key', ['40001'], 'CHN_SIGNATURE_CONFIG', 'security.app_public_key_missing', 'stop',
    t('支付宝侧没有应用公钥：在开放平台上传应用公钥', 'Alipay has no app public key: upload it in the Alipay console')),
  rule('isv.missing-app-id', ['40001'], 'CHN_APP_CONFIG', 'compatibility.channel_config_invalid', 'stop',
    t('配置支付宝应用 ID（app_id）', 'Configure the Alipay app id')),
  rule('isv.missing-timestamp', ['40001'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.missing-version', ['40001'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.invalid-method', ['40002'], 'CHN_APP_CONFIG', 'compatibility.channel_config_invalid', 'stop',
    t('接口名称或版本不对，核对网关地址和接口版本', 'Unknown API name: check the gateway URL and the API version')),
  rule('isv.invalid-format', ['40002'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.invalid-signature-type', ['40002'], 'CHN_SIGNATURE_CONFIG', 'security.sign_type_mismatch', 'stop',
    t('签名类型与上传的密钥不符：RSA2 对应 2048 位密钥', 'The sign type does not match the uploaded key: RSA2 needs the 2048-bit key')),
  rule('isv.invalid-signature', ['40002'], 'CHN_SIGNATURE_CONFIG', 'security.channel_keys_misconfigured', 'stop',
    t('验签失败：核对应用私钥与开放平台上传的应用公钥是否成对', 'Signature check failed: make sure the app private key matches the app public key uploaded to Alipay')),
  rule('isv.missing-signature-config', ['40002'], 'CHN_SIGNATURE_CONFIG', 'security.app_public_key_missing', 'stop',
    t('应用未配置该签名方式的公钥或证书，请在开放平台配置', 'No key or certificate for this sign type on the app: configure it in the Alipay console')),
  rule('isv.invalid-app-id', ['40002'], 'CHN_APP_CONFIG', 'compatibility.app_id_invalid', 'stop',
    t('应用 ID 无效：核对 app_id，以及沙箱与正式环境的网关是否用对', 'Unknown app id: check it, and that sandbox and production gateways are not mixed up')),
  rule('isv.invalid-timestamp', ['40002'], 'CHN_CLOCK_REJECTED', 'network.clock_skew', 'stop',
    t('服务器时间不准：校准时间（北京时间）', 'The server clock is off: correct it (Beijing time)')),
  rule('isv.invalid-charset', ['40002'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.invalid-encrypt-type', ['40001', '40002'], 'CHN_APP_CONFIG', 'compatibility.encryption_misconfigured', 'stop',
    t('接口内容加密配置有误：核对 AES 密钥或关闭内容加密', 'Content encryption is misconfigured: check the AES key or turn encryption off')),
  rule('isv.invalid-encrypt', ['40001', '40002'], 'CHN_APP_CONFIG', 'compatibility.encryption_misconfigured', 'stop',
    t('接口内容加密配置有误：核对 AES 密钥或关闭内容加密', 'Content encryption is misconfigured: check the AES key or turn encryption off')),
  rule('isv.decryption-error-*', ['40001', '40002'], 'CHN_APP_CONFIG', 'compatibility.encryption_misconfigured', 'stop',
    t('接口内容解密失败：核对 AES 密钥或关闭内容加密', 'Content decryption failed: check the AES key or turn encryption off')),
  rule('isv.invalid-parameter', ['40002'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop', FIX_CLIENT),
  rule('isv.not-support-app-auth', ['40002'], 'CHN_PERMISSION_MISSING', 'account.app_auth_not_supported', 'stop',
    t('该接口不能以服务商代调用，需由商户自身调用', 'This API cannot be called on the merchant’s behalf: the merchant must call it itself')),
  rule('ACQ.INVALID_PARAMETER', ['40004'], 'CHN_INVALID_PARAMETER', 'compatibility.channel_protocol', 'stop',
    t('业务参数有误，请联系服务商并提供交易号', 'A business parameter was refused: contact support with the payment id')),
  rule('ACQ.PARTNER_ERROR', ['40004'], 'CHN_APP_CONFIG', 'compatibility.app_id_invalid', 'stop',
    t('应用与商户不匹配：请支付宝确认 APP_ID 状态', 'The app does not match the merchant: ask Alipay to confirm the app id status')),
  rule('ACQ.EXIST_FORBIDDEN_WORD', ['40004'], 'CHN_INVALID_PARAMETER', 'operation.subject_forbidden_word', 'stop',
    t('订单标题含违禁词：修改商品名称后重新收款', 'The order title contains a forbidden word: change the item name and charge again')),
  rule('ACQ.TOTAL_FEE_EXCEED', ['40004'], 'CHN_INVALID_PARAMETER', 'operation.amount_over_channel_limit', 'stop',
    t('金额超过单笔上限：核对金额或分笔收款', 'The amount is over the per-order limit: check it or split the payment')),
  rule('ACQ.INVALID_STORE_ID', ['40004'], 'CHN_APP_CONFIG', 'compatibility.store_id_invalid', 'stop',
    t('门店编号无效：核对终端绑定的门店编号', 'The store id is not valid: check the store id bound to this terminal')),
  rule('ACQ.AMOUNT_OR_CURRENCY_ERROR', ['40004'], 'CHN_MERCHANT_CONTRACT_INVALID', 'account.currency_not_signed', 'stop',
    t('币种未签约或金额有误：核对币种签约', 'Currency not contracted or the amount is wrong: check the currency contract')),
  rule('ACQ.CURRENCY_NOT_SUPPORT', ['40004'], 'CHN_MERCHANT_CONTRACT_INVALID', 'account.currency_not_signed', 'stop',
    t('商户未签约该币种', 'The merchant has no contract for this currency')),

  // ── B. Permission, product not signed, authorisation ────────────────────────────────────
  rule('isv.insufficient-isv-permissions', ['40006'], 'CHN_PRODUCT_NOT_SIGNED', 'account.product_not_signed', 'stop',
    t('签约当面付、为应用添加该功能并上线应用；服务商需核对商户签约', 'Sign 当面付, add the feature to the app and put the app online; a service provider checks the merchant’s contract')),
  rule('isv.insufficient-user-permissions', ['40006'], 'CHN_PERMISSION_MISSING', 'account.permission_missing', 'stop',
    t('商户授权范围不足：重新授权', 'The merchant’s authorisation is too narrow: authorise again')),
  rule('ACQ.ACCESS_FORBIDDEN', ['40004'], 'CHN_PRODUCT_NOT_SIGNED', 'account.product_not_signed', 'stop',
    t('未签约条码支付或合约已到期：签约或续约当面付', 'Barcode pay is not contracted or the contract expired: sign or renew 当面付')),
  rule('aop.invalid-app-auth-token', ['20001'], 'CHN_PERMISSION_MISSING', 'account.app_auth_token_invalid', 'stop', NEW_AUTH),
  rule('aop.app-auth-token-time-out', ['20001'], 'CHN_PERMISSION_MISSING', 'account.app_auth_token_expired', 'stop',
    t('商户授权令牌已过期：刷新令牌或重新授权', 'The merchant authorisation token expired: refresh it or authorise again')),
  rule('aop.invalid-app-auth-token-no-api', ['20001'], 'CHN_PERMISSION_MISSING', 'account.permission_missing', 'stop',
    t('商户授权未包含此接口：重新授权并勾选该接口', 'The merchant’s authorisation does not include this API: authorise again including it')),
  rule('aop.no-product-reg-by-partner', ['20001'], 'CHN_PRODUCT_NOT_SIGNED', 'account.product_not_signed', 'stop',
    t('商户未签约任何产品：商户需先签约当面付', 'The merchant has signed no product: sign 当面付 first')),
  rule('aop.invalid-auth-token', ['20001'], 'CHN_PERMISSION_MISSING', 'account.permission_missing', 'stop', NEW_AUTH),
  rule('aop.auth-token-time-out', ['20001'], 'CHN_PERMISSION_MISSING', 'account.permission_missing', 'stop', NEW_AUTH),

  // ── C. Merchant account and status ──────────────────────────────────────────────────────
  rule('ACQ.SELLER_BEEN_BLOCKED', ['40004'], 'CHN_MERCHANT_FROZEN', 'account.merchant_frozen', 'contact_channel',
    t('商户账户被冻结：商户联系支付宝（95188）解冻', 'The merchant account is frozen: the merchant calls Alipay (95188) to unfreeze it')),
  rule('ACQ.BEYOND_PAY_RESTRICTION', ['40004'], 'CHN_MERCHANT_LIMIT_EXCEEDED', 'account.merchant_quota', 'contact_channel',
    t('商户收款额度已满：联系支付宝提升额度', 'The merchant’s collection quota is used up: ask Alipay to raise it')),
  rule('ACQ.BEYOND_PER_RECEIPT_RESTRICTION', ['40004'], 'CHN_MERCHANT_LIMIT_EXCEEDED', 'account.merchant_quota', 'contact_channel',
    t('商户本月收款超限：联系支付宝提升额度', 'The merchant is over its monthly collection limit: ask Alipay to raise it')),
  rule('ACQ.MERCHANT_AGREEMENT_NOT_EXIST', ['40004'], 'CHN_MERCHANT_CONTRACT_INVALID', 'account.merchant_contract', 'contact_channel',
    t('商户协议不存在：重新签约当面付', 'No merchant agreement: sign 当面付 again')),
  rule('ACQ.MERCHANT_AGREEMENT_INVALID', ['40004'], 'CHN_MERCHANT_CONTRACT_INVALID', 'account.merchant_contract', 'contact_channel',
    t('商户协议已失效：重新签约当面付', 'The merchant agreement has lapsed: sign 当面付 again')),
  rule('ACQ.MERCHANT_STATUS_NOT_NORMAL', ['40004'], 'CHN_MERCHANT_CONTRACT_INVALID', 'account.merchant_status_abnormal', 'contact_channel',
    t('商户状态异常：商户联系支付宝核实', 'The merchant status is abnormal: the merchant checks with Alipay')),
  rule('ACQ.SUB_MERCHANT_CREATE_FAIL', ['40004'], 'CHN_APP_CONFIG', 'account.sub_merchant_invalid', 'stop',
    t('二级商户信息有误：修正二级商户资料', 'The sub-merchant data is invalid: correct it')),
  rule('ACQ.SUB_MERCHANT_TYPE_INVALID', ['40004'], 'CHN_APP_CONFIG', 'account.sub_merchant_invalid', 'stop',
    t('二级商户类型无效：修正二级商户资料', 'The sub-merchant type is invalid: correct the sub-merchant data')),
  rule('ACQ.SELLER_BALANCE_NOT_ENOUGH', ['40004'], 'CHN_SELLER_BALANCE_INSUFFICIENT', 'account.merchant_balance_low', 'contact_channel',
    t('商户余额不足，无法退回款项：充值后重试', 'The merchant balance is too low to return the money: top up, then retry')),

  // ── D. Buyer side ───────────────────────────────────────────────────────────────────────
  rule('ACQ.BUYER_BALANCE_NOT_ENOUGH', ['40004'], 'CHN_BUYER_BALANCE_INSUFFICIENT', 'buyer.balance_insufficient', 'other_method',
    t('顾客余额不足：请顾客充值或换银行卡后刷新付款码', 'The customer’s balance is too low: top up or switch to a card, then refresh the code')),
  rule('ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH', ['40004'], 'CHN_BUYER_BALANCE_INSUFFICIENT', 'buyer.bankcard_balance_insufficient', 'other_method',
    t('顾客银行卡余额不足：请换付款方式', 'The customer’s bank card balance is too low: use another funding source')),
  rule('ACQ.ERROR_BALANCE_PAYMENT_DISABLE', ['40004'], 'CHN_BUYER_PAYMENT_SWITCH_OFF', 'buyer.balance_payment_disabled', 'other_method',
    t('顾客关闭了余额支付：请开启后重试或换付款方式', 'The customer turned balance payment off: turn it on and retry, or pay another way')),
  rule('ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR', ['40004'], 'CHN_BUYER_LIMIT_EXCEEDED', 'buyer.limit_exceeded', 'other_method',
    t('顾客当日付款超限：请换账户或付款方式', 'The customer is over the daily limit: use another account or method')),
  rule('ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR', ['40004'], 'CHN_BUYER_LIMIT_EXCEEDED', 'buyer.limit_exceeded', 'other_method',
    t('顾客当月付款超限：请换账户或付款方式', 'The customer is over the monthly limit: use another account or method')),
  rule('ACQ.BUYER_ENABLE_STATUS_FORBID', ['40004'], 'CHN_BUYER_ACCOUNT_RESTRICTED', 'buyer.account_restricted', 'other_method',
    t('顾客账户状态不允许付款：请换付款方式', 'The customer’s account cannot pay: use another method')),
  rule('ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT', ['40004'], 'CHN_BUYER_ACCOUNT_RESTRICTED', 'buyer.real_name_level_insufficient', 'other_method',
    t('顾客实名认证等级不足：请换付款方式', 'The customer’s real-name level is too low: use another method')),
  rule('ACQ.PAYMENT_REQUEST_HAS_RISK', ['40004'], 'CHN_BUYER_RISK_REJECTED', 'security.risk_control', 'other_method',
    t('支付被风控拒绝：请换付款方式', 'Risk control refused the payment: use another method')),
  rule('ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE', ['40004'], 'CHN_PAYMENT_FAILED', 'buyer.no_payment_instrument', 'other_method',
    t('顾客没有可用的付款方式：请换付款方式', 'The customer has no usable funding source: use another method')),
  rule('ACQ.USER_FACE_PAYMENT_SWITCH_OFF', ['40004'], 'CHN_BUYER_PAYMENT_SWITCH_OFF', 'buyer.payment_switch_off', 'other_method',
    t('顾客关闭了当面付：请在手机上开启后重试', 'The customer turned face-to-face payment off: turn it on, then retry')),
  rule('ACQ.MOBILE_PAYMENT_SWITCH_OFF', ['40004'], 'CHN_BUYER_PAYMENT_SWITCH_OFF', 'buyer.payment_switch_off', 'other_method',
    t('顾客关闭了手机支付：请在手机上开启后重试', 'The customer turned mobile payment off: turn it on, then retry')),
  rule('ACQ.BUYER_SELLER_EQUAL', ['40004'], 'CHN_BUYER_IS_SELLER', 'buyer.is_seller', 'other_method',
    t('买家与商户是同一账户：请换其他顾客账户付款', 'The buyer is the merchant itself: another account must pay')),

  // ── E. Payment code ─────────────────────────────────────────────────────────────────────
  rule('ACQ.PAYMENT_AUTH_CODE_INVALID', ['40004'], 'CHN_PAYCODE_INVALID', 'buyer.code_expired_or_used', 'rescan',
    t('付款码无效或已用过：请顾客刷新付款码后重新扫码', 'The code is invalid or used: ask the customer to refresh it and scan again')),
  rule('ACQ.PULL_MOBILE_CASHIER_FAIL', ['40004'], 'CHN_PAYMENT_FAILED', 'buyer.cashier_unreachable', 'rescan',
    t('未能唤起顾客手机收银台：请刷新付款码重新扫码', 'Could not reach the customer’s phone: refresh the code and scan again')),
  rule('ACQ.PAYMENT_FAIL', ['40004'], 'CHN_PAYMENT_FAILED', 'buyer.payment_failed', 'rescan',
    t('支付失败：请刷新付款码重试一次，仍失败请换付款方式', 'Payment failed: refresh the code and retry once, then use another method')),

  // ── F. Order state and idempotency ──────────────────────────────────────────────────────
  // On pay this one is NOT a decline (already paid: the error map turns it into unknown → query).
  rule('ACQ.TRADE_HAS_SUCCESS', ['40004'], 'CHN_ORDER_CONFLICT', 'operation.order_conflict', 'new_order',
    t('该订单号已支付：查询确认，或用新订单号', 'This order number is already paid: query it, or use a new order number')),
  rule('ACQ.TRADE_HAS_CLOSE', ['40004'], 'CHN_ORDER_CONFLICT', 'operation.trade_closed', 'new_order',
    t('交易已关闭：用新订单号重新收款', 'The trade is closed: charge again with a new order number')),
  rule('ACQ.CONTEXT_INCONSISTENT', ['40004'], 'CHN_ORDER_CONFLICT', 'operation.order_conflict', 'new_order',
    t('同一订单号的交易信息不一致：用新订单号重新收款', 'Same order number with different content: charge again with a new order number')),
  rule('ACQ.TRADE_BUYER_NOT_MATCH', ['40004'], 'CHN_ORDER_CONFLICT', 'operation.order_conflict', 'new_order',
    t('订单号已被其他买家使用：用新订单号重新收款', 'The order number belongs to another buyer: charge again with a new order number')),
  rule('ACQ.TRADE_NOT_EXIST', ['40004'], 'CHN_TRADE_NOT_FOUND', 'operation.trade_not_found', 'stop',
    t('支付宝没有这笔交易：核对订单号', 'Alipay has no such trade: check the order number')),
  rule('ACQ.TRADE_STATUS_ERROR', ['40004'], 'CHN_REFUND_REJECTED', 'operation.trade_status_invalid', 'stop',
    t('交易状态不允许退款（未支付或已关闭）：先查询交易状态', 'The trade status does not allow a refund (unpaid or closed): query it first'), 'refund'),
  rule('ACQ.TRADE_STATUS_ERROR', ['40004'], 'CHN_ORDER_CONFLICT', 'operation.trade_status_invalid', 'stop',
    t('交易状态不允许此操作：先查询交易状态', 'The trade status does not allow this: query it first')),
  rule('ACQ.REASON_TRADE_STATUS_INVALID', ['40004'], 'CHN_ORDER_CONFLICT', 'operation.trade_status_invalid', 'stop',
    t('交易状态异常：先查询交易状态', 'The trade status is abnormal: query it first')),
  rule('ACQ.REASON_ILLEGAL_STATUS', ['40004'], 'CHN_ORDER_CONFLICT', 'operation.trade_status_invalid', 'stop',
    t('交易状态异常：先查询交易状态', 'The trade status is abnormal: query it first')),
  rule('ACQ.TRADE_HAS_FINISHED', ['40004'], 'CHN_REFUND_REJECTED', 'operation.trade_finished', 'contact_channel',
    t('交易已完结，不能再退款：线下与顾客结算', 'The trade is finished and cannot be refunded: settle with the customer offline')),
  rule('ACQ.REASON_TRADE_BEEN_FREEZEN', ['40004'], 'CHN_TRADE_FROZEN', 'account.trade_frozen', 'contact_channel',
    t('交易被冻结：商户联系支付宝', 'The trade is frozen: the merchant contacts Alipay')),
  rule('ACQ.TRADE_CANCEL_TIME_OUT', ['40004'], 'CHN_CANCEL_WINDOW_PASSED', 'operation.cancel_window_passed', 'stop',
    t('已超过撤销时限：改用退款', 'Too late to void: use a refund')),
  rule('ACQ.CANCEL_NOT_ALLOWED', ['40004'], 'CHN_CANCEL_WINDOW_PASSED', 'operation.cancel_window_passed', 'stop',
    t('该交易不允许撤销：改用退款', 'This trade cannot be voided: use a refund')),
  rule('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', ['40004'], 'CHN_REFUND_REJECTED', 'operation.refund_amount_invalid', 'stop',
    t('退款金额超过可退金额：核对金额', 'The refund is more than the refundable amount: check it')),
  rule('ACQ.REASON_TRADE_REFUND_FEE_ERR', ['40004'], 'CHN_REFUND_REJECTED', 'operation.refund_amount_invalid', 'stop',
    t('退款金额无效：核对金额', 'The refund amount is not valid: check it')),
  rule('ACQ.REFUND_FEE_ERROR', ['40004'], 'CHN_REFUND_REJECTED', 'operation.refund_amount_invalid', 'stop',
    t('退款金额无效：核对金额', 'The refund amount is not valid: check it')),
  rule('ACQ.DISCORDANT_REPEAT_REQUEST', ['40004'], 'CHN_REFUND_REJECTED', 'operation.refund_request_conflict', 'stop',
    t('退款请求号已用于不同的退款：先查询是否已退，或换新的退款请求号', 'The refund request number was used for a different refund: check whether it refunded, or use a new number')),
  rule('ACQ.TRADE_NOT_ALLOW_REFUND', ['40004'], 'CHN_REFUND_REJECTED', 'operation.refund_not_allowed', 'stop',
    t('该交易不允许退款：核对交易状态与签约', 'This trade cannot be refunded: check its status and the contract')),
  rule('ACQ.NOT_ALLOW_PARTIAL_REFUND', ['40004'], 'CHN_REFUND_REJECTED', 'operation.partial_refund_not_allowed', 'stop',
    t('该交易不支持部分退款：全额退款', 'This trade cannot be partly refunded: refund it in full')),
  rule('ACQ.ONLINE_TRADE_VOUCHER_NOT_ALLOW_REFUND', ['40004'], 'CHN_REFUND_REJECTED', 'operation.refund_not_allowed', 'stop',
    t('使用了线上券的交易不能退款', 'A trade paid with an online voucher cannot be refunded')),
  rule('ACQ.BUYER_NOT_EXIST', ['40004'], 'CHN_REFUND_REJECTED', 'buyer.account_not_found', 'contact_channel',
    t('买家账户不存在（可能已注销）：线下退款', 'The buyer’s account no longer exists: refund offline')),
  rule('ACQ.TRADE_SETTLE_ERROR', ['40004'], 'CHN_REFUND_REJECTED', 'account.settlement_error', 'contact_channel',
    t('交易结算异常：商户联系支付宝', 'Settlement error on the trade: the merchant contacts Alipay')),
  rule('ACQ.REFUND_CHARGE_ERROR', ['40004'], 'CHN_REFUND_REJECTED', 'account.refund_fee_charge_error', 'contact_channel',
    t('退款手续费处理异常：商户联系支付宝', 'The refund fee could not be charged: the merchant contacts Alipay')),
];

/** Sub-codes meaning "Alipay does not know the outcome" (brief §3.2 G), under any code. */
export const UNKNOWN_SUB_CODES: readonly string[] = [
  'ACQ.SYSTEM_ERROR',
  'aop.ACQ.SYSTEM_ERROR',
  'AQC.SYSTEM_ERROR', // a typo that appears in real enums
  'isp.unknow-error',
  'aop.unknow-error',
];

/** Public codes whose sub_code we do not know: what the code alone tells (brief §3.1). */
export const PUBLIC_CODE_RULES: Readonly<Record<string, Omit<DeclineRule, 'subCode' | 'rawCodes'>>> = {
  '20001': { code: 'CHN_PERMISSION_MISSING', cause: 'account.permission_missing', action: 'stop', remedy: NEW_AUTH },
  '40001': { code: 'CHN_INVALID_PARAMETER', cause: 'compatibility.channel_protocol', action: 'stop', remedy: FIX_CLIENT },
  '40002': { code: 'CHN_APP_CONFIG', cause: 'compatibility.channel_config_invalid', action: 'stop',
    remedy: t('核对应用 ID、密钥、网关地址和接口版本', 'Check the app id, the keys, the gateway URL and the API version') },
  '40003': { code: 'CHN_PERMISSION_MISSING', cause: 'account.permission_missing', action: 'stop', remedy: NEW_AUTH },
  '40005': { code: 'CHN_RATE_LIMITED', cause: 'network.channel_rate_limited', action: 'stop',
    remedy: t('调用过于频繁：稍后重试', 'Too many calls: retry shortly') },
  '40006': { code: 'CHN_PRODUCT_NOT_SIGNED', cause: 'account.product_not_signed', action: 'stop',
    remedy: t('签约当面付并为应用添加该功能', 'Sign 当面付 and add the feature to the app') },
};

/** 40004 with a sub_code we do not know: definite, but we can only say which API refused. */
function business40004(api: AlipayApi): Omit<DeclineRule, 'subCode' | 'rawCodes'> {
  if (api === 'pay') {
    return { code: 'CHN_PAYMENT_FAILED', cause: 'buyer.payment_failed', action: 'rescan',
      remedy: t('支付失败：请刷新付款码重试一次，仍失败请换付款方式', 'Payment failed: refresh the code and retry once, then use another method') };
  }
  if (api === 'refund') {
    return { code: 'CHN_REFUND_REJECTED', cause: 'operation.refund_rejected', action: 'stop',
      remedy: t('核对交易状态和退款金额', 'Check the payment status and the refund amount') };
  }
  return { code: 'CHN_INVALID_PARAMETER', cause: 'compatibility.channel_protocol', action: 'stop', remedy: FIX_CLIENT };
}

export function findRule(api: AlipayApi, subCode: string): DeclineRule | undefined {
  const matches = (r: DeclineRule): boolean =>
    r.subCode.endsWith('*') ? subCode.startsWith(r.subCode.slice(0, -1)) : r.subCode === subCode;
  return DECLINE_RULES.find((r) => r.api === api && matches(r)) ?? DECLINE_RULES.find((r) => r.api === undefined && matches(r));
}

export interface GatewayError {
  code: string;
  subCode?: string;
  message?: string;
}

export type MappedError = { kind: 'declined'; decline: ChannelDecline; remedy: Text } | ChannelUnknown;

/** The one place an Alipay error answer becomes a decline or an unknown. */
export function mapGatewayError(api: AlipayApi, error: GatewayError): MappedError {
  const { code, subCode } = error;
  const label = `${code}${subCode ? ` ${subCode}` : ''}`;
  if (code === '20000' || (subCode !== undefined && UNKNOWN_SUB_CODES.includes(subCode))) {
    return { kind: 'unknown', reason: 'system_error', detail: `Alipay system error on ${api} (${label})` };
  }
  // Already paid under this out_trade_no: a success to confirm by query (brief §3.2 F), not a failure.
  if (api === 'pay' && subCode === 'ACQ.TRADE_HAS_SUCCESS') {
    return { kind: 'unknown', reason: 'system_error', detail: 'ACQ.TRADE_HAS_SUCCESS: already paid, query to confirm' };
  }
  const found = subCode === undefined ? undefined : findRule(api, subCode);
  const fallback = found ?? PUBLIC_CODE_RULES[code] ?? (code === '40004' ? business40004(api) : undefined);
  if (!fallback) {
    return { kind: 'unknown', reason: 'system_error', detail: `unrecognised Alipay code on ${api} (${label})` };
  }
  const decline: ChannelDecline = { code: fallback.code, cause: fallback.cause, action: fallback.action, rawCode: code };
  if (subCode !== undefined) decline.rawSubCode = subCode;
  if (error.message !== undefined) decline.rawMessage = redact(error.message);
  return { kind: 'declined', decline, remedy: fallback.remedy };
}

/**
 * `isv.invalid-signature` echoes the gateway's sign string, which holds the payment code and
 * the merchant's authorisation token: keep them out of our logs.
 */
export function redact(message: string): string {
  return message
    .replace(/("auth_code"\s*:\s*")[^"]*"/g, '$1[redacted]"')
    .replace(/(app_auth_token=)[^&]*/g, '$1[redacted]')
    .replace(/\b(?:2[5-9]|30)\d{14,22}\b/g, '[redacted]'); // a bare Alipay payment code
}
