// 七.2 未按照提示操作, after the scan: orders, voids and refunds the channel refuses as asked.
import { t, type Cause } from '../cause.ts';

const category = '用户操作';
const queryFirst = t('在交易记录中点「查询」确认这笔交易的最新状态', 'Tap Query in the history to see the payment’s current state');

export const orderCauses: Cause[] = [
  {
    id: 'operation.order_conflict',
    category,
    title: t('订单号冲突或已超过撤销时限', 'Order number conflict, or too late to void'),
    audience: ['cashier'],
    remedy: [
      t('取消本笔交易，重新收款（会使用新的订单号）', 'Cancel this payment and charge again (it uses a new order number)'),
      t('已超过撤销时限的交易，请改用退款', 'For a payment past the void window, use a refund instead'),
    ],
    patterns: [],
  },
  {
    id: 'operation.refund_amount_invalid',
    category,
    title: t('退款金额或交易状态不允许退款', 'The refund amount or the payment’s state does not allow the refund'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('核对原交易已支付成功', 'Check that the original payment succeeded'),
      t('退款金额不超过实收金额减去已退金额', 'Refund at most what was paid minus what was already refunded'),
    ],
    patterns: [],
  },
  {
    id: 'operation.trade_status_invalid',
    category,
    title: t('交易当前状态不允许此操作', 'The trade’s current state does not allow this'),
    audience: ['cashier', 'merchant'],
    remedy: [queryFirst, t('已支付的交易请用退款，未支付的交易无需退款', 'Refund a paid trade; an unpaid one needs no refund')],
    patterns: [],
  },
  {
    id: 'operation.trade_not_found',
    category,
    title: t('支付通道没有这笔交易', 'The channel has no such trade'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('核对订单号是否正确', 'Check the order number'),
      t('刚发起的收款在顾客付款前查不到，属于正常：稍后再查询', 'A payment just started is not visible until the customer pays: query again shortly'),
    ],
    patterns: [],
  },
  {
    id: 'operation.trade_closed',
    category,
    title: t('交易已关闭', 'The trade is closed'),
    audience: ['cashier'],
    remedy: [t('这笔交易不会再扣款：重新收款（会使用新的订单号）', 'This trade will not be charged: charge again (with a new order number)')],
    patterns: [],
  },
  {
    id: 'operation.trade_finished',
    category,
    title: t('交易已完结，不能退款', 'The trade is finished and can no longer be refunded'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('超过退款期限的交易无法原路退回', 'Past the refund period the money cannot go back the way it came'),
      t('与顾客协商线下退款，并在平台登记', 'Agree an offline refund with the customer and record it on the platform'),
    ],
    patterns: [],
  },
  {
    id: 'operation.cancel_window_passed',
    category,
    title: t('已超过撤销时限', 'Too late to void this payment'),
    audience: ['cashier'],
    remedy: [t('改用「退款」退还款项', 'Use Refund to return the money instead')],
    patterns: [],
  },
  {
    id: 'operation.refund_not_allowed',
    category,
    title: t('这笔交易不允许退款', 'This trade cannot be refunded'),
    audience: ['cashier', 'merchant'],
    remedy: [
      queryFirst,
      t('用券支付或合约不支持退款的交易，与顾客协商线下退款', 'For trades paid with vouchers or under a contract without refunds, agree an offline refund with the customer'),
    ],
    patterns: [],
  },
  {
    id: 'operation.partial_refund_not_allowed',
    category,
    title: t('这笔交易不支持部分退款', 'This trade cannot be partly refunded'),
    audience: ['cashier', 'merchant'],
    remedy: [t('改为全额退款', 'Refund the full amount instead')],
    patterns: [],
  },
  {
    id: 'operation.refund_request_conflict',
    category,
    title: t('退款单号已用于另一笔退款', 'The refund number was already used for a different refund'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('先在交易记录中查询是否已经退过款', 'First check in the history whether the refund already went through'),
      t('没有退过时，从交易详情重新发起退款（会生成新的退款单号）', 'If not, start the refund again from the payment (it gets a new refund number)'),
    ],
    patterns: [],
  },
  {
    id: 'operation.refund_rejected',
    category,
    title: t('支付通道拒绝了退款', 'The channel refused the refund'),
    audience: ['cashier', 'merchant'],
    remedy: [queryFirst, t('核对退款金额不超过可退金额；仍失败请联系服务商', 'Check the refund is within the refundable amount; if it still fails, contact support')],
    patterns: [],
  },
  {
    id: 'operation.subject_forbidden_word',
    category,
    title: t('订单标题含有违禁词', 'The order title contains a forbidden word'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('修改商品名称或订单标题，去掉敏感词', 'Change the item name or order title to remove the sensitive word'),
      t('然后重新收款', 'Then charge again'),
    ],
    patterns: [],
  },
  {
    id: 'operation.amount_over_channel_limit',
    category,
    title: t('金额超过通道单笔上限', 'The amount is over the channel’s per-payment limit'),
    audience: ['cashier'],
    remedy: [t('核对金额是否输错', 'Check the amount was typed correctly'), t('金额无误时分成几笔收款', 'If it is right, charge it in several payments')],
    patterns: [],
  },
];
