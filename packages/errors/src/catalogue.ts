/**
 * The error catalogue: every refusal scanpay gives, with a stable machine code (never renamed once
 * published), its HTTP status, whether the same request may be retried, the diagnosis cause it
 * points to (`@scanpay/diagnosis` holds the causes), and the words a person sees, Chinese first.
 *
 * Codes carry their origin: REQ_ the request, TRM_ the terminal's identity, PAY_ the platform's
 * payment rules, CHN_ the payment channel, OPS_ the operator API, SYS_ our own infrastructure.
 * `docs/errors.md` is generated from this file (`npm run docs:errors`); a test fails on drift.
 */
export interface Text {
  zh: string;
  en: string;
}

export interface ErrorDefinition {
  status: number;
  retryable: boolean;
  /** Diagnosis cause id, `category.name`. */
  cause: string;
  /** What happened, for the person in front of the screen. */
  message: Text;
  /** What to do about it. */
  remedy: Text;
}

const t = (zh: string, en: string): Text => ({ zh, en });

function def(
  status: number,
  retryable: boolean,
  cause: string,
  message: Text,
  remedy: Text,
): ErrorDefinition {
  return { status, retryable, cause, message, remedy };
}

export const catalogue = {
  // ── Request ──────────────────────────────────────────────────────────────────────────────────
  REQ_VALIDATION: def(400, false, 'operation.invalid_request',
    t('请求内容不完整或格式不对', 'The request is incomplete or malformed'),
    t('检查请求字段后重试', 'Check the request fields and send it again')),
  REQ_BODY_MALFORMED: def(400, false, 'operation.invalid_request',
    t('请求内容不是有效的 JSON', 'The request body is not valid JSON'),
    t('发送有效的 JSON 请求体', 'Send a valid JSON body')),
  REQ_BODY_TOO_LARGE: def(413, false, 'operation.invalid_request',
    t('请求内容过大', 'The request body is too large'),
    t('终端请求不超过 16 KiB', 'Terminal requests must stay within 16 KiB')),
  REQ_UNSUPPORTED_MEDIA_TYPE: def(415, false, 'operation.invalid_request',
    t('不支持的请求内容类型', 'Unsupported content type'),
    t('使用 application/json', 'Send application/json')),
  REQ_NOT_FOUND: def(404, false, 'operation.invalid_request',
    t('没有这个接口', 'No such endpoint'),
    t('检查请求地址', 'Check the request path')),
  REQ_AMOUNT_MISSING: def(400, false, 'operation.amount_not_entered',
    t('请输入金额', 'Enter the amount'),
    t('先输入收款金额，再扫码', 'Enter the amount first, then scan')),
  REQ_AMOUNT_INVALID: def(400, false, 'operation.amount_invalid',
    t('金额格式不对', 'The amount is not a valid number'),
    t('用数字输入金额，最多两位小数，例如 12.34', 'Type the amount in digits with at most two decimals, e.g. 12.34')),
  REQ_AMOUNT_OUT_OF_RANGE: def(400, false, 'operation.amount_invalid',
    t('金额超出允许范围', 'The amount is outside the allowed range'),
    t('金额须在 0.01 元到 100000000.00 元之间', 'The amount must be between 0.01 and 100,000,000.00 yuan')),
  REQ_SUBJECT_INVALID: def(400, false, 'operation.invalid_request',
    t('订单标题不可用', 'The order title is not accepted'),
    t('标题不超过 256 个字符，且不含 / = & 等特殊字符', 'Keep the title within 256 characters and without / = &')),
  REQ_PAYCODE_MISSING: def(400, false, 'operation.paycode_missing',
    t('没有读到付款码', 'No payment code was read'),
    t('请顾客出示付款码后再扫', 'Ask the customer to show the payment code, then scan')),
  REQ_PAYCODE_COLLECTION_CODE: def(400, false, 'operation.collection_code_scanned',
    t('这是收款码，请让顾客打开付款码', 'That is a receive (collection) code — ask for the payment code'),
    t('请顾客在支付宝首页点「付钱」或「付款码」，出示付款码再扫', 'Ask the customer to open “Pay” (付款码) in the wallet app and show that code')),
  REQ_PAYCODE_NOT_PAYMENT_CODE: def(400, false, 'operation.not_a_payment_code',
    t('扫到的不是付款码', 'What was scanned is not a payment code'),
    t('请顾客出示支付宝付款码（25–30 开头的数字条码）', 'Ask the customer for the Alipay payment code (a number starting 25–30)')),
  REQ_PAYCODE_UNKNOWN_FORMAT: def(400, false, 'compatibility.unknown_code_format',
    t('无法识别的付款码格式', 'Unrecognised payment code format'),
    t('请顾客刷新付款码再扫；仍不行请换支付方式并联系服务商更新付款码规则', 'Ask the customer to refresh the code; if it still fails, use another method and ask support to update the code rules')),
  REQ_PAYCODE_CHANNEL_UNSUPPORTED: def(422, false, 'compatibility.channel_not_enabled',
    t('暂不支持该钱包的付款码', 'This wallet’s payment code is not accepted here yet'),
    t('请顾客改用支付宝付款码', 'Ask the customer to pay with an Alipay payment code')),
  REQ_IDEMPOTENCY_KEY_MISSING: def(400, false, 'operation.invalid_request',
    t('缺少幂等键', 'The Idempotency-Key header is missing'),
    t('每笔收款带上 Idempotency-Key，重试时沿用同一个', 'Send an Idempotency-Key with every write and reuse it on retries')),
  REQ_IDEMPOTENCY_KEY_INVALID: def(400, false, 'operation.invalid_request',
    t('幂等键格式不对', 'The Idempotency-Key is malformed'),
    t('使用 8–255 个字母、数字、- 或 _', 'Use 8–255 letters, digits, - or _')),
  REQ_IDEMPOTENCY_MISMATCH: def(422, false, 'operation.invalid_request',
    t('同一个幂等键用于了不同的请求', 'This Idempotency-Key was used for a different request'),
    t('新的收款请用新的幂等键', 'Use a new Idempotency-Key for a new payment')),
  REQ_IDEMPOTENCY_IN_PROGRESS: def(409, true, 'operation.invalid_request',
    t('同一笔请求正在处理中', 'The same request is still being processed'),
    t('稍候用同一个幂等键重试，不要重新扫码', 'Retry shortly with the same Idempotency-Key; do not scan again')),

  // ── Terminal identity ────────────────────────────────────────────────────────────────────────
  TRM_SIGNATURE_MISSING: def(401, false, 'security.request_unsigned',
    t('请求没有终端签名', 'The request is not signed by a terminal'),
    t('用已激活终端的密钥签名请求', 'Sign requests with the key of an activated terminal')),
  TRM_SIGNATURE_INVALID: def(401, false, 'security.wrong_device_key',
    t('终端签名验证失败', 'The terminal signature does not verify'),
    t('终端密钥与登记的不一致，请重新激活终端', 'The terminal key does not match the registered one: activate the terminal again')),
  TRM_TIMESTAMP_SKEW: def(401, true, 'network.clock_skew',
    t('终端时间与平台相差超过 5 分钟', 'The terminal clock is more than 5 minutes off'),
    t('校准终端时间（开启自动对时）后重试', 'Correct the terminal clock (turn on automatic time) and retry')),
  TRM_NONCE_REPLAYED: def(401, false, 'security.replay',
    t('重复的请求已被拒绝', 'A replayed request was refused'),
    t('每个请求使用新的随机数；若非本机操作请联系服务商', 'Use a fresh nonce per request; if this was not you, contact support')),
  TRM_UNKNOWN_DEVICE: def(401, false, 'security.device_unknown',
    t('平台不认识这台终端', 'This terminal is not known to the platform'),
    t('用激活码激活终端', 'Activate the terminal with an activation code')),
  TRM_NOT_ACTIVATED: def(403, false, 'security.device_not_activated',
    t('终端尚未激活', 'The terminal is not activated'),
    t('用激活码激活终端', 'Activate the terminal with an activation code')),
  TRM_DEVICE_DISABLED: def(403, false, 'security.device_disabled',
    t('终端已被停用', 'The terminal has been disabled'),
    t('联系服务商确认终端状态', 'Contact support to check the terminal’s status')),
  TRM_ACTIVATION_CODE_INVALID: def(404, false, 'security.activation_code_invalid',
    t('激活码无效', 'The activation code is not valid'),
    t('核对激活码，或向服务商索取新的激活码', 'Check the code or ask support for a new one')),
  TRM_ACTIVATION_CODE_USED: def(409, false, 'security.activation_code_invalid',
    t('激活码已被使用', 'The activation code has already been used'),
    t('向服务商索取新的激活码', 'Ask support for a new activation code')),
  TRM_SERIAL_MISMATCH: def(403, false, 'security.wrong_device_key',
    t('终端序列号与登记的不一致', 'The terminal serial number does not match the registration'),
    t('确认使用的是登记的那台终端', 'Make sure this is the registered device')),
  TRM_PUBLIC_KEY_INVALID: def(400, false, 'security.wrong_device_key',
    t('终端公钥无效', 'The terminal public key is not valid'),
    t('终端需生成 ECDSA P-256 密钥后重新激活', 'Generate an ECDSA P-256 key on the terminal and activate again')),

  // ── Platform payment rules ───────────────────────────────────────────────────────────────────
  PAY_NOT_FOUND: def(404, false, 'operation.invalid_request',
    t('找不到这笔交易', 'Payment not found'),
    t('核对交易号', 'Check the payment id')),
  PAY_INVALID_STATE: def(409, false, 'operation.invalid_request',
    t('当前交易状态不允许此操作', 'The payment’s state does not allow this'),
    t('刷新交易状态后再操作', 'Refresh the payment and try again')),
  PAY_MERCHANT_INACTIVE: def(403, false, 'account.merchant_frozen',
    t('商户状态异常，暂停收款', 'The merchant account is not active; charging is paused'),
    t('联系服务商核实商户状态', 'Contact support to check the merchant account')),
  PAY_QR_UNAVAILABLE: def(422, false, 'compatibility.channel_not_enabled',
    t('暂不能使用顾客扫码收款', 'Customer-scans (QR) payment is not available here'),
    t('请顾客出示付款码，由收银员扫码收款', 'Ask the customer to show a payment code and scan it')),
  PAY_REFUND_EXCEEDS_PAID: def(422, false, 'operation.refund_amount_invalid',
    t('退款金额超过可退金额', 'The refund is more than the refundable amount'),
    t('退款金额不能超过实收金额减去已退金额', 'Refund at most what was paid minus what was refunded')),
  PAY_REFUND_NOT_ALLOWED: def(409, false, 'operation.refund_amount_invalid',
    t('这笔交易不能退款', 'This payment cannot be refunded'),
    t('只有支付成功的交易可以退款', 'Only successful payments can be refunded')),
  PAY_REFUND_NOT_FOUND: def(404, false, 'operation.invalid_request',
    t('找不到这笔退款', 'Refund not found'),
    t('核对退款号', 'Check the refund id')),
  PAY_SUPERVISOR_PIN_INVALID: def(403, false, 'security.supervisor_pin_rejected',
    t('主管密码错误', 'The supervisor PIN is wrong'),
    t('请主管重新输入 6 位主管密码；连续输错 5 次将锁定退款 15 分钟', 'Ask the supervisor to enter the 6-digit PIN again; 5 wrong tries lock refunds for 15 minutes')),
  PAY_SUPERVISOR_LOCKED: def(429, true, 'security.supervisor_pin_rejected',
    t('主管密码输错次数过多，退款已锁定 15 分钟', 'Too many wrong supervisor PINs: refunds are locked for 15 minutes'),
    t('等待锁定结束后再退款；忘记密码请商户管理员重设', 'Wait until the lock ends, then refund; if the PIN is forgotten, the merchant admin resets it')),
  PAY_SUPERVISOR_PIN_NOT_SET: def(403, false, 'security.supervisor_pin_rejected',
    t('本门店尚未设置主管密码，不能退款', 'This store has no supervisor PIN yet, so it cannot refund'),
    t('商户管理员先为门店设置 6 位主管密码', 'The merchant admin first sets a 6-digit supervisor PIN for the store')),

  // ── Channel ──────────────────────────────────────────────────────────────────────────────────
  CHN_PAYCODE_INVALID: def(402, false, 'buyer.code_expired_or_used',
    t('付款码已失效，请顾客刷新付款码后重新收款', 'The payment code has expired or was used — ask the customer to refresh it and charge again'),
    t('付款码约 1 分钟有效且只能用一次：请顾客刷新后重新扫码', 'Codes live about a minute and work once: ask the customer to refresh, then scan again')),
  CHN_PAYMENT_FAILED: def(402, false, 'buyer.payment_failed',
    t('支付失败，请顾客刷新付款码再试一次', 'Payment failed — ask the customer to refresh the code and try once more'),
    t('再试一次；仍失败请换其他付款方式', 'Try once more; if it fails again, use another payment method')),
  CHN_BUYER_BALANCE_INSUFFICIENT: def(402, false, 'buyer.balance_insufficient',
    t('顾客余额不足', 'The customer’s balance is insufficient'),
    t('请顾客更换付款方式（如银行卡）后刷新付款码', 'Ask the customer to switch funding (e.g. a bank card) and refresh the code')),
  CHN_BUYER_LIMIT_EXCEEDED: def(402, false, 'buyer.limit_exceeded',
    t('顾客付款金额超过限额', 'The customer’s payment limit has been reached'),
    t('请顾客换其他账户或付款方式', 'Ask the customer to use another account or payment method')),
  CHN_BUYER_RISK_REJECTED: def(402, false, 'security.risk_control',
    t('该笔支付被风控拒绝', 'The payment was refused by risk control'),
    t('请顾客换其他付款方式', 'Ask the customer to use another payment method')),
  CHN_BUYER_ACCOUNT_RESTRICTED: def(402, false, 'buyer.account_restricted',
    t('顾客账户状态不允许付款', 'The customer’s account cannot pay right now'),
    t('请顾客联系支付宝或换其他付款方式', 'The customer should contact Alipay or use another method')),
  CHN_BUYER_PAYMENT_SWITCH_OFF: def(402, false, 'buyer.payment_switch_off',
    t('顾客关闭了付款功能', 'The customer has switched off this kind of payment'),
    t('请顾客在手机上开启付款码支付或余额支付后重试', 'Ask the customer to switch on code/balance payment on the phone, then retry')),
  CHN_BUYER_IS_SELLER: def(402, false, 'buyer.account_restricted',
    t('买卖家不能相同', 'The buyer and the seller cannot be the same account'),
    t('请用其他顾客账户付款', 'A different customer account must pay')),
  CHN_MERCHANT_FROZEN: def(402, false, 'account.merchant_frozen',
    t('商户账户被冻结或状态异常', 'The merchant account is frozen or abnormal'),
    t('商户联系支付宝（95188）解冻，期间请用其他方式收款', 'The merchant contacts Alipay (95188) to unfreeze it; take other payments meanwhile')),
  CHN_MERCHANT_LIMIT_EXCEEDED: def(402, false, 'account.merchant_quota',
    t('商户收款额度已满', 'The merchant’s collection limit has been reached'),
    t('商户联系支付宝提升额度', 'The merchant asks Alipay to raise the limit')),
  CHN_MERCHANT_CONTRACT_INVALID: def(402, false, 'account.merchant_contract',
    t('商户签约无效或已过期', 'The merchant’s contract is missing or expired'),
    t('商户重新签约当面付', 'The merchant signs the face-to-face payment contract again')),
  CHN_PRODUCT_NOT_SIGNED: def(402, false, 'account.product_not_signed',
    t('未开通当面付产品', 'Face-to-face payment is not signed for this merchant'),
    t('在支付宝商家平台签约当面付并为应用添加该功能', 'Sign 当面付 on the merchant platform and add the feature to the app')),
  CHN_PERMISSION_MISSING: def(402, false, 'account.permission_missing',
    t('服务商没有代商户收款的权限', 'The service provider lacks permission to collect for this merchant'),
    t('商户重新授权服务商（含此接口）', 'The merchant re-authorises the service provider, including this API')),
  CHN_SIGNATURE_CONFIG: def(502, false, 'security.channel_keys_misconfigured',
    t('支付通道签名配置错误', 'The payment channel’s signing keys are misconfigured'),
    t('运维核对应用私钥与上传的公钥、签名类型', 'Operations: check the app private key, the uploaded public key and the sign type')),
  CHN_APP_CONFIG: def(502, false, 'compatibility.channel_config_invalid',
    t('支付通道配置错误', 'The payment channel is misconfigured'),
    t('运维核对应用 ID、网关地址和接口版本', 'Operations: check the app id, the gateway URL and the API version')),
  CHN_CLOCK_REJECTED: def(502, true, 'network.clock_skew',
    t('平台时间与支付通道不一致', 'The platform clock is off from the channel’s'),
    t('运维校准服务器时间', 'Operations: correct the server clock')),
  CHN_INVALID_PARAMETER: def(502, false, 'compatibility.channel_protocol',
    t('支付通道拒绝了请求参数', 'The channel refused the request parameters'),
    t('联系服务商，附上交易号', 'Contact support with the payment id')),
  CHN_ORDER_CONFLICT: def(409, false, 'operation.order_conflict',
    t('订单号冲突，请取消本笔交易并重新收款', 'Order number conflict — cancel this one and charge again'),
    t('重新收款会使用新的订单号', 'Charging again uses a new order number')),
  CHN_TRADE_NOT_FOUND: def(404, false, 'operation.invalid_request',
    t('支付通道没有这笔交易', 'The channel has no such trade'),
    t('核对交易号', 'Check the payment id')),
  CHN_RATE_LIMITED: def(429, true, 'network.channel_unreachable',
    t('支付通道繁忙', 'The channel is rate limiting us'),
    t('稍后重试', 'Retry shortly')),
  CHN_UNAVAILABLE: def(503, true, 'network.channel_unreachable',
    t('暂时连不上支付通道', 'The payment channel cannot be reached right now'),
    t('稍后重试；不要重复扫码', 'Retry shortly; do not scan again')),
  CHN_SELLER_BALANCE_INSUFFICIENT: def(402, false, 'account.merchant_balance_low',
    t('商户余额不足，无法退款', 'The merchant balance is too low to refund'),
    t('商户充值后重试退款', 'Top up the merchant account, then retry the refund')),
  CHN_REFUND_REJECTED: def(402, false, 'operation.refund_amount_invalid',
    t('支付通道拒绝退款', 'The channel refused the refund'),
    t('核对交易状态和退款金额', 'Check the payment status and the refund amount')),
  CHN_CANCEL_WINDOW_PASSED: def(409, false, 'operation.order_conflict',
    t('已超过撤销时限，请改用退款', 'Too late to void — use a refund'),
    t('通过退款退还款项', 'Return the money with a refund')),
  CHN_TRADE_FROZEN: def(402, false, 'account.merchant_frozen',
    t('交易被冻结', 'The trade is frozen'),
    t('商户联系支付宝', 'The merchant contacts Alipay')),

  // ── Operator API ──
  OPS_UNAUTHORIZED: def(401, false, 'security.operator_unauthorized',
    t('运维接口需要有效的运维令牌', 'The operator API needs a valid operator token'),
    t('带上 Authorization: Bearer <运维令牌>（见数据目录中的 operator-token）', 'Send Authorization: Bearer <operator token> (see operator-token in the data folder)')),
  OPS_NOT_FOUND: def(404, false, 'operation.invalid_request',
    t('找不到要配置的终端或商户', 'No such terminal or merchant'),
    t('核对终端号或商户号', 'Check the terminal id or the merchant id')),
  OPS_SCAN_PROFILE_INVALID: def(422, false, 'configuration.scan_profile_invalid',
    t('扫码配置无效，未保存', 'The scan profile is invalid and was not saved'),
    t('分辨率 160–4096 像素；扫码区域在画面内，每边不小于画面的 20%；帧间隔 0–2000 毫秒；摄像头 environment 或 user（见 problems 字段）',
      'Use 160–4096 px for the resolution, a scan region inside the frame with each side at least 20% of it, 0–2000 ms between frames, and camera environment or user (see the problems field)')),

  // ── Infrastructure ───────────────────────────────────────────────────────────────────────────
  SYS_INTERNAL: def(500, true, 'system.internal_error',
    t('平台内部错误', 'Internal platform error'),
    t('稍后用同一个幂等键重试；持续出现请联系服务商并提供请求号', 'Retry with the same Idempotency-Key; if it persists, contact support with the request id')),
  SYS_DB_UNAVAILABLE: def(503, true, 'system.database_unavailable',
    t('平台数据库暂时不可用', 'The platform database is unavailable'),
    t('稍后用同一个幂等键重试', 'Retry shortly with the same Idempotency-Key')),
  SYS_NOT_READY: def(503, true, 'system.starting',
    t('平台正在启动', 'The platform is starting'),
    t('几秒后重试', 'Retry in a few seconds')),
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof catalogue;

export const errorCodes = Object.keys(catalogue) as ErrorCode[];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(catalogue, code);
}
