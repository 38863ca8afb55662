/**
 * Every cashier-facing sentence, Chinese first with English beside it (UX.md §3 wording). The
 * toggle only decides which of the two is the large line; failures always show both.
 */
import { createContext, useContext } from 'react';

export type Lang = 'zh' | 'en';
export interface Text {
  zh: string;
  en: string;
}

const t = (zh: string, en: string): Text => ({ zh, en });

export const TEXT = {
  appName: t('扫码收款', 'Scan to charge'),
  enterAmount: t('请输入金额', 'Enter the amount'),
  charge: t('收款', 'Charge'),
  clear: t('清空', 'Clear'),
  history: t('交易记录', 'History'),
  settings: t('设置', 'Settings'),
  back: t('返回', 'Back'),
  cancel: t('取消', 'Cancel'),
  receivingMerchant: t('收款商户', 'Receiving merchant'),
  keyboardHint: t('键盘：数字 · ⌫ 删除 · Enter 收款 · Esc 清空', 'Keyboard: digits · ⌫ delete · Enter charge · Esc clear'),
  amountTooLarge: t('金额超出允许范围', 'The amount is above the limit'),
  showCode: t('请出示付款码', 'Please show your payment code'),
  holdCode: t('请将付款码对准扫码窗口', 'Hold the code to the scan window'),
  scanGunReady: t('扫码枪已就绪', 'Scanner gun ready'),
  manualEntry: t('手动输入', 'Type the code'),
  manualHint: t('付款码数字仅用于支付时向收银员展示，请勿泄露', 'Code digits are only for the cashier — never share them'),
  manualWechatHint: t('手动输入的微信付款码，顾客需输入支付密码', 'A typed WeChat code always asks the customer for the password'),
  confirmCode: t('确认', 'Confirm'),
  codeLocked: t('已读取付款码', 'Payment code read'),
  collectionCode: t('这是收款码，请让顾客打开付款码', 'That is a receive code — ask for the payment code'),
  notPaymentCode: t('扫到的不是付款码', 'What was scanned is not a payment code'),
  notPaymentCodeRemedy: t('请顾客出示支付宝付款码（25–30 开头的数字条码）', 'Ask the customer for the Alipay payment code (a number starting 25–30)'),
  unknownFormat: t('无法识别的付款码格式', 'Unrecognised payment code format'),
  unknownFormatRemedy: t('请顾客刷新付款码再扫', 'Ask the customer to refresh the code and scan again'),
  amountFirst: t('请先输入金额，再按收款扫码', 'Enter the amount and press Charge before scanning'),
  charging: t('正在收款，请稍候', 'Charging, please wait'),
  waitingBuyer: t('等待用户确认支付', 'Waiting for the customer to confirm'),
  remindPassword: t('请提醒顾客在手机上输入支付密码', 'Ask the customer to enter their password on the phone'),
  queryResult: t('查询结果', 'Check result'),
  confirming: t('支付结果确认中，请勿重复收款', 'Confirming the result — do not charge again'),
  confirmingHint: t('结果确认前请勿交付商品；网络恢复后会自动确认', 'Do not hand over the goods yet; the result is confirmed automatically once the network is back'),
  stillConfirming: t('仍在确认，请稍候', 'Still confirming, please wait'),
  offline: t('网络异常，暂停收款', 'Network down — charging paused'),
  paySuccess: t('支付成功', 'Payment successful'),
  payFailed: t('支付失败', 'Payment failed'),
  rescan: t('重新扫码', 'Scan again'),
  otherMethod: t('换其他付款方式', 'Use another payment method'),
  newOrder: t('重新收款', 'Charge again'),
  continueCharging: t('继续收款', 'Next sale'),
  receipt: t('小票', 'Receipt'),
  orderNo: t('商户订单号', 'Order number'),
  seconds: t('秒', 's'),
  statusSucceeded: t('成功', 'Paid'),
  statusFailed: t('失败', 'Failed'),
  statusCancelled: t('已撤销', 'Cancelled'),
  statusReversed: t('已撤单', 'Reversed'),
  statusRefunded: t('已退款', 'Refunded'),
  statusPartRefunded: t('部分退款', 'Part refunded'),
  statusPending: t('待确认', 'Unconfirmed'),
  noPayments: t('暂无交易', 'No payments yet'),
  refresh: t('刷新', 'Refresh'),
  refund: t('退款', 'Refund'),
  detail: t('交易详情', 'Payment details'),
  activateTitle: t('激活终端', 'Activate this terminal'),
  activationCode: t('激活码', 'Activation code'),
  serial: t('设备序列号', 'Device serial number'),
  serialFromHost: t('序列号由设备提供', 'Serial number provided by the device'),
  activate: t('激活', 'Activate'),
  activating: t('正在激活…', 'Activating…'),
  activationHint: t(
    '激活码由服务商提供（演示：启动 scanpay 时终端窗口会打印）。激活后本机生成不可导出的设备密钥。',
    'Your provider gives the activation code (demo: `scanpay start` prints one). Activation makes a device key that never leaves this browser.',
  ),
  networkUnavailable: t('网络不可用', 'Network unavailable'),
  cameraStarting: t('正在打开摄像头…', 'Opening the camera…'),
  cameraOff: t('摄像头未开启', 'Camera off'),
  torch: t('补光灯', 'Torch'),
  scanProfile: t('扫码配置', 'Scan profile'),
  resolution: t('分辨率', 'Resolution'),
  scanRegion: t('扫码区域', 'Scan region'),
  regionFull: t('整个画面', 'Whole frame'),
  regionCenter: t('中间区域', 'Centre area'),
  torchMode: t('补光', 'Torch'),
  on: t('开', 'On'),
  off: t('关', 'Off'),
  save: t('保存', 'Save'),
  saved: t('已保存', 'Saved'),
  language: t('语言', 'Language'),
  wedgeCalibrate: t('校准扫码枪', 'Calibrate the scanner gun'),
  wedgeCalibrateHint: t('用扫码枪扫 3 次任意条码', 'Scan any barcode 3 times with the gun'),
  wedgeCalibrated: t('扫码枪已校准', 'Scanner gun calibrated'),
  terminalInfo: t('终端信息', 'Terminal'),
  supervisorPin: t('请输入主管密码', 'Enter the supervisor password'),
  refundAmount: t('退款金额', 'Refund amount'),
  refundable: t('可退金额', 'Refundable'),
  refundReason: t('退款原因', 'Reason'),
  refundReview: t('请核对退款信息', 'Review the refund'),
  refundSubmit: t('确认退款', 'Refund'),
  refundSucceeded: t('退款成功', 'Refund successful'),
  refundProcessing: t('退款处理中', 'Refund in progress'),
  refundFailed: t('退款失败', 'Refund failed'),
  refundUnavailable: t('退款功能暂不可用（平台未开放退款接口）', 'Refunds are not available (the platform has no refund route yet)'),
  refundOffline: t('网络异常，暂不能退款', 'Network down — refunds paused'),
  amountLabel: t('金额', 'Amount'),
  cannotScan: t('扫不出来？', 'Cannot scan?'),
  customerScans: t('顾客扫码', 'Customer scans'),
  qrPreparing: t('正在生成收款二维码', 'Making the QR code'),
  qrTitle: t('请顾客使用支付宝扫码付款', 'Ask the customer to scan with Alipay and pay'),
  qrValidFor: t('二维码有效时间', 'QR valid for'),
  qrExpired: t('二维码已过期，正在撤销', 'The QR has expired — cancelling'),
  stopPayment: t('取消收款', 'Stop this payment'),
  stopConfirm: t('确定取消收款？顾客尚未付款的订单将被撤销', 'Stop this payment? An order the customer has not paid is cancelled'),
  stopYes: t('确定取消', 'Stop it'),
  stopNo: t('继续等待', 'Keep waiting'),
  stopping: t('正在撤销，请稍候', 'Cancelling, please wait'),
  stoppingHint: t('正在向支付宝确认：若顾客刚刚已付款，将显示支付成功', 'Checking with Alipay: if the customer has just paid, it shows as paid'),
  cancelledTitle: t('已撤销', 'Cancelled'),
  reversedTitle: t('已撤单', 'Reversed'),
  cancelledRemedy: t('如需继续收款，请重新扫码或让顾客扫码', 'To charge again, scan a new code or let the customer scan'),
} satisfies Record<string, Text>;

export type TextKey = keyof typeof TEXT;

export const LangContext = createContext<Lang>('zh');

export function useLang(): Lang {
  return useContext(LangContext);
}

/** The text in the chosen language. */
export function useT(): (key: TextKey | Text) => string {
  const lang = useLang();
  return (key) => (typeof key === 'string' ? TEXT[key] : key)[lang];
}

/** The main line in the chosen language and the other one small beneath (for messages that matter). */
export function Bi({ text, className }: { text: TextKey | Text; className?: string }) {
  const lang = useLang();
  const v = typeof text === 'string' ? TEXT[text] : text;
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return (
    <span className={`bi ${className ?? ''}`}>
      <span className="bi-main" lang={lang === 'zh' ? 'zh-CN' : 'en'}>{v[lang]}</span>
      <span className="bi-sub" lang={other === 'zh' ? 'zh-CN' : 'en'}>{v[other]}</span>
    </span>
  );
}
