// 七、用户操作不当 and 二.1 收款码 vs 付款码: what the cashier (or the integrator) did, seen from the frames.
import { on, t, type Cause, type EvidencePattern } from '../cause.ts';

const category = '用户操作';

/** A payment code was read in the end: frame defects only slowed the scan down. */
const readInTheEnd = on('scan', { decoded: { gte: 1 }, collectionCodes: 0, nonPaymentCodes: 0, unknownFormatCodes: 0 }, -0.5);

type Ratio = 'darkRatio' | 'glareRatio' | 'blurRatio' | 'smallRatio' | 'tiltRatio' | 'outOfViewRatio';

/** Two tiers: a third of the frames is a hint, most of them is a pattern. */
function frames(ratio: Ratio, extra: EvidencePattern[] = []): EvidencePattern[] {
  return [
    on('scan', { input: 'camera', [ratio]: { gte: 0.3 } }, 0.5),
    on('scan', { input: 'camera', [ratio]: { gte: 0.6 } }, 0.45),
    ...extra,
    readInTheEnd,
  ];
}

const rescan = t('调整后重新扫码', 'Then scan again');

export const operationCauses: Cause[] = [
  {
    id: 'operation.collection_code_scanned',
    category,
    title: t('扫到的是收款码，不是付款码', 'A collection (receive) code was scanned, not a payment code'),
    audience: ['cashier'],
    remedy: [
      t('请顾客在支付宝首页点「付钱」或「付款码」，出示付款码', 'Ask the customer to tap Pay on the Alipay home screen and show the payment code'),
      t('顾客想扫商户的码付款时，点「顾客扫码」生成收款二维码', 'If the customer prefers to scan, tap Customer scans to show the merchant QR code'),
    ],
    patterns: [on('scan', { collectionCodes: { gte: 1 } }, 0.85)],
  },
  {
    id: 'operation.not_a_payment_code',
    category,
    title: t('扫到的不是付款码', 'What was scanned is not a payment code'),
    audience: ['cashier'],
    remedy: [
      t('请顾客打开支付宝付款码（数字条码和二维码）', 'Ask the customer to open the Alipay payment code (a barcode with digits and a QR code)'),
      t('不要扫商品条码或网址二维码', 'Do not scan product barcodes or website QR codes'),
    ],
    patterns: [on('scan', { nonPaymentCodes: { gte: 1 } }, 0.75)],
  },
  {
    id: 'operation.paycode_missing',
    category,
    title: t('没有读到付款码', 'No payment code was read'),
    audience: ['cashier'],
    remedy: [
      t('请顾客出示付款码', 'Ask the customer to show the payment code'),
      t('把付款码对准扫码窗口，读到后终端会响一声', 'Hold it to the scan window; the terminal beeps when it reads it'),
    ],
    patterns: [],
  },
  {
    id: 'operation.amount_not_entered',
    category,
    title: t('没有输入金额', 'No amount was entered'),
    audience: ['cashier'],
    remedy: [t('先输入收款金额，再点「收款」扫码', 'Enter the amount first, then tap Charge and scan')],
    patterns: [],
  },
  {
    id: 'operation.amount_invalid',
    category,
    title: t('金额不正确', 'The amount is not valid'),
    audience: ['cashier'],
    remedy: [
      t('用数字输入金额，最多两位小数，例如 12.34', 'Type the amount in digits with at most two decimals, e.g. 12.34'),
      t('金额须在 0.01 元到单笔上限之间', 'It must be between 0.01 yuan and the per-payment limit'),
    ],
    patterns: [],
  },
  {
    id: 'operation.too_far',
    category,
    title: t('付款码离得太远', 'The code is too far away'),
    audience: ['cashier'],
    remedy: [t('请顾客把手机靠近扫码窗口，距离约 10 厘米', 'Ask the customer to bring the phone closer, about 10 cm from the scan window'), rescan],
    patterns: frames('smallRatio'),
  },
  {
    id: 'operation.glare',
    category,
    title: t('屏幕反光', 'Glare on the phone screen'),
    audience: ['cashier'],
    remedy: [
      t('请顾客稍微倾斜手机，避开灯光直射的反光', 'Ask the customer to tilt the phone slightly to avoid reflections of the lights'),
      t('请顾客调低手机屏幕亮度', 'Ask the customer to lower the screen brightness'),
      rescan,
    ],
    patterns: frames('glareRatio'),
  },
  {
    id: 'operation.movement',
    category,
    title: t('手机晃动，画面模糊', 'The phone is moving, so the image is blurred'),
    audience: ['cashier'],
    remedy: [t('请顾客拿稳手机，停留一秒', 'Ask the customer to hold the phone still for a second'), rescan],
    patterns: frames('blurRatio', [on('self_check.camera', { result: 'fail' }, -0.4)]),
  },
  {
    id: 'operation.too_dark',
    category,
    title: t('光线太暗', 'It is too dark'),
    audience: ['cashier'],
    remedy: [
      t('请顾客调高手机屏幕亮度', 'Ask the customer to turn up the screen brightness'),
      t('打开终端补光或移到光线好的地方', 'Turn on the terminal’s light or move to a brighter spot'),
      rescan,
    ],
    patterns: frames('darkRatio'),
  },
  {
    id: 'operation.bad_angle',
    category,
    title: t('付款码角度倾斜', 'The code is held at an angle'),
    audience: ['cashier'],
    remedy: [t('请顾客把手机屏幕正对扫码窗口', 'Ask the customer to hold the screen square to the scan window'), rescan],
    patterns: frames('tiltRatio'),
  },
  {
    id: 'operation.out_of_view',
    category,
    title: t('付款码没有完整进入画面', 'The code is only partly in view'),
    audience: ['cashier'],
    remedy: [t('请顾客把整个付款码放进取景框中间', 'Ask the customer to place the whole code in the middle of the frame'), rescan],
    patterns: frames('outOfViewRatio'),
  },
  {
    id: 'operation.invalid_request',
    category,
    title: t('请求不符合接口要求', 'The request does not meet the API’s rules'),
    audience: ['operator'],
    remedy: [
      t('按错误码说明修正请求（见 docs/errors.md）', 'Fix the request as its error code says (see docs/errors.md)'),
      t('终端应用出现此错误时，升级到最新版本并联系服务商', 'If the terminal app causes it, update the app and contact support'),
    ],
    patterns: [],
  },
];
