// 原因3 账户问题 and 二.3 权限不足: the merchant's account, contract and permissions at the channel.
import { on, t, type Cause } from '../cause.ts';

const category = '账户状态';
const merchantActive = on('self_check.merchant', { status: 'active' }, -0.8);
const useOtherMeans = t('处理期间请用现金等其他方式收款', 'Meanwhile take payment by other means, such as cash');

export const accountCauses: Cause[] = [
  {
    id: 'account.merchant_frozen',
    category,
    title: t('商户账户被冻结或状态异常', 'The merchant account is frozen or not active'),
    audience: ['cashier', 'merchant', 'operator'],
    remedy: [
      t('商户登录商户后台查看账户状态和通知', 'The merchant checks the account status and notices in the merchant console'),
      t('商户联系支付宝（95188）或服务商解冻', 'The merchant calls Alipay (95188) or support to unfreeze it'),
      useOtherMeans,
    ],
    patterns: [
      on('self_check.merchant', { status: { in: ['frozen', 'suspended'] } }, 0.9),
      on('self_check.merchant', { status: 'closed' }, 0.8),
      merchantActive,
    ],
  },
  {
    id: 'account.merchant_under_review',
    category,
    title: t('商户资料审核中，暂不能收款', 'The merchant is still under review and cannot take payments yet'),
    audience: ['cashier', 'merchant', 'operator'],
    remedy: [
      t('商户在商户后台查看审核进度，按要求补充资料', 'The merchant follows the review in the merchant console and adds any missing documents'),
      t('审核超过承诺时间时，联系服务商催办', 'If the review takes longer than promised, ask support to hurry it'),
      useOtherMeans,
    ],
    patterns: [on('self_check.merchant', { status: 'under_review' }, 0.9), merchantActive],
  },
  {
    id: 'account.merchant_quota',
    category,
    title: t('商户收款额度已用完', 'The merchant has reached its collection limit'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('商户联系支付宝或服务商提升收款额度', 'The merchant asks Alipay or support to raise the limit'),
      useOtherMeans,
    ],
    patterns: [],
  },
  {
    id: 'account.merchant_contract',
    category,
    title: t('商户签约无效或已过期', 'The merchant’s contract is missing or expired'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('商户在支付宝商家平台重新签约当面付', 'The merchant signs the face-to-face payment product again on the Alipay merchant platform'),
      t('服务商核对该商户的签约状态后重新开通', 'Support checks the merchant’s contract status and re-enables it'),
    ],
    patterns: [
      on('self_check.merchant', { contract: { in: ['expired', 'missing'] } }, 0.85),
      on('self_check.merchant', { contract: 'valid' }, -0.7),
    ],
  },
  {
    id: 'account.product_not_signed',
    category,
    title: t('商户未开通当面付产品', 'Face-to-face payment is not signed for this merchant'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('在支付宝商家平台签约当面付', 'Sign face-to-face payment on the Alipay merchant platform'),
      t('在开放平台为应用添加当面付功能并上线应用', 'Add the face-to-face payment feature to the app on the open platform and put the app online'),
    ],
    patterns: [
      on('self_check.merchant', { productSigned: false }, 0.85),
      on('self_check.merchant', { productSigned: true }, -0.7),
    ],
  },
  {
    id: 'account.permission_missing',
    category,
    title: t('服务商没有代商户收款的授权', 'The service provider lacks the merchant’s authorisation'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('商户重新授权服务商，授权范围包含当面付接口', 'The merchant authorises the service provider again, including the face-to-face payment APIs'),
      t('服务商在平台更新商户的授权令牌后运行通道自检', 'Support updates the merchant’s authorisation token on the platform and runs the channel self-check'),
    ],
    patterns: [],
  },
  {
    id: 'account.merchant_balance_low',
    category,
    title: t('商户余额不足，无法退款', 'The merchant balance is too low to refund'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('商户给支付宝账户充值', 'The merchant tops up the Alipay account'),
      t('充值到账后重新发起退款（退款单号不变，不会重复退款）', 'Then retry the refund (same refund number, so it cannot refund twice)'),
    ],
    patterns: [],
  },
  {
    id: 'account.merchant_status_abnormal',
    category,
    title: t('商户在支付通道的状态异常', 'The merchant’s status at the channel is abnormal'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('商户联系支付宝（95188）核实商户状态', 'The merchant calls Alipay (95188) to check the merchant status'),
      useOtherMeans,
    ],
    patterns: [],
  },
  {
    id: 'account.sub_merchant_invalid',
    category,
    title: t('二级商户资料无效', 'The sub-merchant data is invalid'),
    audience: ['operator'],
    remedy: [
      t('在平台核对并修正该商户的二级商户资料（名称、类型、证件）', 'Check and correct the merchant’s sub-merchant data on the platform (name, type, documents)'),
      t('修正后重新提交进件', 'Then submit the onboarding again'),
    ],
    patterns: [],
  },
  {
    id: 'account.currency_not_signed',
    category,
    title: t('商户未签约该币种', 'The merchant has no contract for this currency'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('境内收款请使用人民币（CNY）', 'Charge in CNY for domestic payments'),
      t('需要其他币种时，商户在支付宝商家平台签约', 'For another currency, the merchant signs for it on the Alipay merchant platform'),
    ],
    patterns: [],
  },
  {
    id: 'account.app_auth_token_invalid',
    category,
    title: t('商户授权令牌无效', 'The merchant’s authorisation token is invalid'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('商户重新授权服务商（第三方应用授权）', 'The merchant authorises the service provider again (third-party app authorisation)'),
      t('服务商在平台保存新的授权令牌后运行通道自检', 'Support saves the new token on the platform and runs the channel self-check'),
    ],
    patterns: [],
  },
  {
    id: 'account.app_auth_token_expired',
    category,
    title: t('商户授权令牌已过期', 'The merchant’s authorisation token has expired'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('服务商用刷新令牌换取新的授权令牌', 'Support exchanges the refresh token for a new authorisation token'),
      t('刷新失败时，商户重新授权服务商', 'If refreshing fails, the merchant authorises the service provider again'),
    ],
    patterns: [],
  },
  {
    id: 'account.app_auth_not_supported',
    category,
    title: t('该接口不能由服务商代商户调用', 'This API cannot be called on the merchant’s behalf'),
    audience: ['operator'],
    remedy: [
      t('改用商户自己的应用调用该接口', 'Call this API with the merchant’s own app'),
      t('或在平台为该商户关闭依赖此接口的功能', 'Or turn off the feature that needs it for this merchant on the platform'),
    ],
    patterns: [],
  },
  {
    id: 'account.trade_frozen',
    category,
    title: t('交易被冻结', 'The trade is frozen'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('这笔交易暂不能撤销或退款', 'This trade cannot be voided or refunded for now'),
      t('商户联系支付宝（95188）了解冻结原因', 'The merchant calls Alipay (95188) to learn why it is frozen'),
    ],
    patterns: [],
  },
  {
    id: 'account.settlement_error',
    category,
    title: t('交易结算异常，无法退款', 'A settlement error blocks the refund'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('商户联系支付宝核实该笔交易的结算状态', 'The merchant checks the trade’s settlement status with Alipay'),
      t('结算恢复后重新发起退款（退款单号不变）', 'Retry the refund once settlement is fixed (same refund number)'),
    ],
    patterns: [],
  },
  {
    id: 'account.refund_fee_charge_error',
    category,
    title: t('退款手续费处理失败', 'The refund fee could not be charged'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('商户确认账户有足够余额支付手续费', 'The merchant makes sure the account can pay the fee'),
      t('仍失败时，商户联系支付宝处理', 'If it still fails, the merchant contacts Alipay'),
    ],
    patterns: [],
  },
];
