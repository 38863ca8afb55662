// Gateway codes and the sub_codes of brief §3, with the messages the simulator answers.
// Every entry is reachable as a named scenario (POST /__sim/scenarios/:subCode).

export const CODE_MSG: Record<string, string> = {
  '10000': 'Success',
  '10003': 'order success pay inprocess',
  '20000': 'Service Currently Unavailable',
  '20001': 'Insufficient Token Permissions',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40003': 'Insufficient Conditions',
  '40004': 'Business Failed',
  '40005': 'Call Limited',
  '40006': 'Insufficient Permissions',
};

export interface SubCodeInfo {
  code: string;
  msg: string;
  /** Method a scenario targets by default; absent = any gateway method. */
  method?: string;
}

const PAY = 'alipay.trade.pay';
const REFUND = 'alipay.trade.refund';
const CANCEL = 'alipay.trade.cancel';
const CLOSE = 'alipay.trade.close';

export const SUB_CODES: Record<string, SubCodeInfo> = {
  // A. signature, key and configuration
  'isv.missing-method': { code: '40001', msg: '缺少方法名参数' },
  'isv.missing-signature': { code: '40001', msg: '缺少签名参数' },
  'isv.missing-signature-type': { code: '40001', msg: '缺少签名类型参数' },
  'isv.missing-signature-key': { code: '40001', msg: '缺少签名配置' },
  'isv.missing-app-id': { code: '40001', msg: '缺少AppID参数' },
  'isv.missing-timestamp': { code: '40001', msg: '缺少时间戳参数' },
  'isv.missing-version': { code: '40001', msg: '缺少版本参数' },
  'isv.invalid-method': { code: '40002', msg: '不存在的方法名' },
  'isv.invalid-format': { code: '40002', msg: '无效的数据格式' },
  'isv.invalid-signature-type': { code: '40002', msg: '无效的签名类型' },
  'isv.invalid-signature': { code: '40002', msg: '无效签名' },
  'isv.missing-signature-config': { code: '40002', msg: '应用未配置对应签名算法的公钥或者证书' },
  'isv.invalid-app-id': { code: '40002', msg: '无效的AppID参数' },
  'isv.invalid-timestamp': { code: '40002', msg: '非法的时间戳参数' },
  'isv.invalid-charset': { code: '40002', msg: '字符集错误' },
  'isv.invalid-encrypt-type': { code: '40002', msg: '无效的加密类型' },
  'isv.invalid-encrypt': { code: '40002', msg: '解密异常' },
  'isv.decryption-error-not-valid-encrypt-type': { code: '40002', msg: '解密出错, 加密类型无效' },
  'isv.decryption-error-not-valid-encrypt-key': { code: '40002', msg: '解密出错, 未配置AES密钥或AES密钥无效' },
  'isv.decryption-error-unknown': { code: '40002', msg: '解密出错, 未知错误' },
  'isv.invalid-parameter': { code: '40002', msg: '参数无效' },
  'isv.not-support-app-auth': { code: '40002', msg: '本接口不支持第三方代理调用' },
  'ACQ.INVALID_PARAMETER': { code: '40004', msg: '参数无效' },
  'ACQ.PARTNER_ERROR': { code: '40004', msg: '应用APP_ID填写错误', method: PAY },
  'ACQ.EXIST_FORBIDDEN_WORD': { code: '40004', msg: '订单信息中包含违禁词', method: PAY },
  'ACQ.TOTAL_FEE_EXCEED': { code: '40004', msg: '订单总金额超过限额', method: PAY },
  'ACQ.INVALID_STORE_ID': { code: '40004', msg: '商户门店编号无效', method: PAY },
  'ACQ.AMOUNT_OR_CURRENCY_ERROR': { code: '40004', msg: '订单金额或币种信息错误', method: PAY },
  'ACQ.CURRENCY_NOT_SUPPORT': { code: '40004', msg: '订单币种不支持', method: PAY },
  // B. permission / product / authorisation
  'isv.insufficient-isv-permissions': { code: '40006', msg: 'ISV权限不足，建议在开发者中心检查签约是否已经生效' },
  'isv.insufficient-user-permissions': { code: '40006', msg: '用户权限不足' },
  'ACQ.ACCESS_FORBIDDEN': { code: '40004', msg: '无权限使用接口', method: PAY },
  'aop.invalid-app-auth-token': { code: '20001', msg: '无效的应用授权令牌' },
  'aop.app-auth-token-time-out': { code: '20001', msg: '应用授权令牌已过期' },
  'aop.invalid-app-auth-token-no-api': { code: '20001', msg: '商户未授权当前接口' },
  'aop.no-product-reg-by-partner': { code: '20001', msg: '商户没有签约任何产品' },
  'aop.invalid-auth-token': { code: '20001', msg: '无效的访问令牌' },
  'aop.auth-token-time-out': { code: '20001', msg: '访问令牌已过期' },
  // C. merchant account
  'ACQ.SELLER_BEEN_BLOCKED': { code: '40004', msg: '商家账号被冻结', method: PAY },
  'ACQ.BEYOND_PAY_RESTRICTION': { code: '40004', msg: '商户收款额度超限', method: PAY },
  'ACQ.BEYOND_PER_RECEIPT_RESTRICTION': { code: '40004', msg: '商户收款金额超过月限额', method: PAY },
  'ACQ.MERCHANT_AGREEMENT_NOT_EXIST': { code: '40004', msg: '商户协议不存在', method: PAY },
  'ACQ.MERCHANT_AGREEMENT_INVALID': { code: '40004', msg: '商户协议已失效', method: PAY },
  'ACQ.MERCHANT_STATUS_NOT_NORMAL': { code: '40004', msg: '商户状态异常', method: PAY },
  'ACQ.SUB_MERCHANT_CREATE_FAIL': { code: '40004', msg: '二级商户创建失败', method: PAY },
  'ACQ.SUB_MERCHANT_TYPE_INVALID': { code: '40004', msg: '二级商户类型非法', method: PAY },
  'ACQ.SELLER_BALANCE_NOT_ENOUGH': { code: '40004', msg: '商户的支付宝账户中无足够的资金进行撤销', method: CANCEL },
  // D. buyer side
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': { code: '40004', msg: '买家余额不足', method: PAY },
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': { code: '40004', msg: '用户银行卡余额不足', method: PAY },
  'ACQ.ERROR_BALANCE_PAYMENT_DISABLE': { code: '40004', msg: '余额支付功能关闭', method: PAY },
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': { code: '40004', msg: '买家付款日限额超限', method: PAY },
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': { code: '40004', msg: '买家付款月额度超限', method: PAY },
  'ACQ.BUYER_ENABLE_STATUS_FORBID': { code: '40004', msg: '买家状态非法', method: PAY },
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT': { code: '40004', msg: '买家未通过人行认证', method: PAY },
  'ACQ.PAYMENT_REQUEST_HAS_RISK': { code: '40004', msg: '支付有风险', method: PAY },
  'ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE': { code: '40004', msg: '没用可用的支付工具', method: PAY },
  'ACQ.USER_FACE_PAYMENT_SWITCH_OFF': { code: '40004', msg: '用户当面付付款开关关闭', method: PAY },
  'ACQ.MOBILE_PAYMENT_SWITCH_OFF': { code: '40004', msg: '用户的无线支付开关关闭', method: PAY },
  'ACQ.BUYER_SELLER_EQUAL': { code: '40004', msg: '买卖家不能相同', method: PAY },
  // E. payment code
  'ACQ.PAYMENT_AUTH_CODE_INVALID': { code: '40004', msg: '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款', method: PAY },
  'ACQ.PULL_MOBILE_CASHIER_FAIL': { code: '40004', msg: '唤起移动收银台失败', method: PAY },
  'ACQ.PAYMENT_FAIL': { code: '40004', msg: '支付失败', method: PAY },
  // F. order state / idempotency
  'ACQ.TRADE_HAS_SUCCESS': { code: '40004', msg: '交易已被支付', method: PAY },
  'ACQ.TRADE_HAS_CLOSE': { code: '40004', msg: '交易已经关闭', method: PAY },
  'ACQ.CONTEXT_INCONSISTENT': { code: '40004', msg: '交易信息被篡改', method: PAY },
  'ACQ.TRADE_BUYER_NOT_MATCH': { code: '40004', msg: '交易买家不匹配', method: PAY },
  'ACQ.TRADE_NOT_EXIST': { code: '40004', msg: '交易不存在' },
  'ACQ.TRADE_STATUS_ERROR': { code: '40004', msg: '交易状态不合法' },
  'ACQ.REASON_TRADE_STATUS_INVALID': { code: '40004', msg: '交易状态异常', method: CLOSE },
  'ACQ.REASON_ILLEGAL_STATUS': { code: '40004', msg: '交易状态非法', method: CANCEL },
  'ACQ.TRADE_HAS_FINISHED': { code: '40004', msg: '交易已完结' },
  'ACQ.REASON_TRADE_BEEN_FREEZEN': { code: '40004', msg: '交易已经被冻结', method: CANCEL },
  'ACQ.TRADE_CANCEL_TIME_OUT': { code: '40004', msg: '超过撤销时间范围', method: CANCEL },
  'ACQ.CANCEL_NOT_ALLOWED': { code: '40004', msg: '交易不允许撤销', method: CANCEL },
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': { code: '40004', msg: '退款金额超限', method: REFUND },
  'ACQ.REASON_TRADE_REFUND_FEE_ERR': { code: '40004', msg: '退款金额无效', method: REFUND },
  'ACQ.REFUND_FEE_ERROR': { code: '40004', msg: '交易退款金额有误', method: REFUND },
  'ACQ.DISCORDANT_REPEAT_REQUEST': { code: '40004', msg: '请求信息不一致', method: REFUND },
  'ACQ.TRADE_NOT_ALLOW_REFUND': { code: '40004', msg: '当前交易不允许退款', method: REFUND },
  'ACQ.NOT_ALLOW_PARTIAL_REFUND': { code: '40004', msg: '不支持部分退款', method: REFUND },
  'ACQ.ONLINE_TRADE_VOUCHER_NOT_ALLOW_REFUND': { code: '40004', msg: '交易已使用线上券，不允许退款', method: REFUND },
  'ACQ.BUYER_NOT_EXIST': { code: '40004', msg: '买家不存在', method: REFUND },
  'ACQ.TRADE_SETTLE_ERROR': { code: '40004', msg: '分账处理中', method: REFUND },
  'ACQ.REFUND_CHARGE_ERROR': { code: '40004', msg: '退收费失败', method: REFUND },
  // G. system
  'ACQ.SYSTEM_ERROR': { code: '20000', msg: '系统错误' },
  'aop.ACQ.SYSTEM_ERROR': { code: '20000', msg: '系统错误' },
  'AQC.SYSTEM_ERROR': { code: '20000', msg: '系统错误' }, // a typo seen in real enums
  'isp.unknow-error': { code: '20000', msg: '系统繁忙' },
  'aop.unknow-error': { code: '20000', msg: '网关未知错误' },
  // Bill download
  'isp.bill_not_exist': { code: '40004', msg: '账单不存在', method: 'alipay.data.dataservice.bill.downloadurl.query' },
};

export function subCodeMsg(subCode: string): string {
  return SUB_CODES[subCode]?.msg ?? subCode;
}
