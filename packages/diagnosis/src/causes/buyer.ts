// 原因3 余额不足, on the buyer's side: only the channel's refusal tells us, through the catalogue codes.
import { t, type Cause } from '../cause.ts';

const category = '买家';
const otherMethod = t('请顾客换其他付款方式', 'Ask the customer to pay another way');

export const buyerCauses: Cause[] = [
  {
    id: 'buyer.balance_insufficient',
    category,
    title: t('顾客余额不足', 'The customer’s balance is insufficient'),
    audience: ['cashier'],
    remedy: [
      t('请顾客在付款码页面切换付款方式（如银行卡）', 'Ask the customer to switch the funding source (e.g. a bank card) on the payment-code page'),
      t('刷新付款码后重新扫码', 'Then refresh the code and scan again'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.limit_exceeded',
    category,
    title: t('顾客付款超过限额', 'The customer’s payment limit is reached'),
    audience: ['cashier'],
    remedy: [
      t('请顾客换其他账户或付款方式', 'Ask the customer to use another account or payment method'),
      t('金额较大时可分成几笔收款（不超过顾客限额）', 'For a large amount, charge it in several smaller payments within the limit'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.code_expired_or_used',
    category,
    title: t('付款码已过期或已使用', 'The payment code has expired or was already used'),
    audience: ['cashier'],
    remedy: [
      t('付款码约 1 分钟有效且只能用一次：请顾客刷新付款码', 'A code lives about a minute and works once: ask the customer to refresh it'),
      t('刷新后立即重新扫码', 'Scan the new code right away'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.account_restricted',
    category,
    title: t('顾客账户暂时不能付款', 'The customer’s account cannot pay right now'),
    audience: ['cashier'],
    remedy: [
      otherMethod,
      t('顾客可联系支付宝（95188）了解账户状态', 'The customer can call Alipay (95188) about the account'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.payment_switch_off',
    category,
    title: t('顾客关闭了付款功能', 'The customer has switched this payment off'),
    audience: ['cashier'],
    remedy: [
      t('请顾客在支付宝「设置 → 支付设置」中开启付款码或余额支付', 'Ask the customer to switch on code or balance payment in the Alipay app’s payment settings'),
      t('开启后刷新付款码重新扫码', 'Then refresh the code and scan again'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.payment_failed',
    category,
    title: t('顾客支付失败', 'The customer’s payment failed'),
    audience: ['cashier'],
    remedy: [
      t('请顾客刷新付款码，重新收款一次', 'Ask the customer to refresh the code and charge once more'),
      t('仍失败时请顾客换其他付款方式', 'If it fails again, ask the customer to pay another way'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.bankcard_balance_insufficient',
    category,
    title: t('顾客银行卡余额不足', 'The customer’s bank card balance is insufficient'),
    audience: ['cashier'],
    remedy: [
      t('请顾客在付款码页面换一张卡或改用余额', 'Ask the customer to pick another card or the balance on the payment-code page'),
      t('刷新付款码后重新扫码', 'Then refresh the code and scan again'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.balance_payment_disabled',
    category,
    title: t('顾客关闭了余额支付', 'The customer has switched balance payment off'),
    audience: ['cashier'],
    remedy: [
      t('请顾客在付款码页面改用银行卡付款', 'Ask the customer to pay with a bank card on the payment-code page'),
      t('或在支付宝支付设置中开启余额支付后刷新付款码', 'Or switch on balance payment in the Alipay payment settings, then refresh the code'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.no_payment_instrument',
    category,
    title: t('顾客没有可用的付款方式', 'The customer has no usable funding source'),
    audience: ['cashier'],
    remedy: [
      t('请顾客在支付宝中绑定银行卡或充值后刷新付款码', 'Ask the customer to add a bank card or top up in Alipay, then refresh the code'),
      otherMethod,
    ],
    patterns: [],
  },
  {
    id: 'buyer.real_name_level_insufficient',
    category,
    title: t('顾客实名认证等级不足', 'The customer’s real-name verification level is too low'),
    audience: ['cashier'],
    remedy: [
      otherMethod,
      t('顾客可在支付宝中完成实名认证后再使用', 'The customer can complete real-name verification in Alipay for next time'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.is_seller',
    category,
    title: t('付款人就是商户自己', 'The payer is the merchant’s own account'),
    audience: ['cashier'],
    remedy: [
      t('不能用商户自己的支付宝账户向本店付款', 'The merchant’s own Alipay account cannot pay its own store'),
      t('请用其他顾客账户付款', 'A different customer account must pay'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.cashier_unreachable',
    category,
    title: t('未能在顾客手机上发起支付', 'The payment could not be brought up on the customer’s phone'),
    audience: ['cashier'],
    remedy: [
      t('请顾客确认手机联网，刷新付款码', 'Ask the customer to check the phone is online and refresh the code'),
      t('重新扫码；仍失败请换其他付款方式', 'Scan again; if it fails again, pay another way'),
    ],
    patterns: [],
  },
  {
    id: 'buyer.account_not_found',
    category,
    title: t('顾客的支付宝账户已不存在', 'The customer’s Alipay account no longer exists'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('无法原路退款：与顾客协商线下退款', 'The money cannot go back the way it came: agree an offline refund with the customer'),
      t('在平台为这笔退款登记线下处理结果', 'Record the offline refund against the payment on the platform'),
    ],
    patterns: [],
  },
];
