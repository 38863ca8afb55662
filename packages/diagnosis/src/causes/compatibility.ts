// 二、技术兼容性 and 四.1: versions below the compatibility policy, formats and channel setup.
import { on, t, type Cause } from '../cause.ts';

const category = '技术兼容性';

export const compatibilityCauses: Cause[] = [
  {
    id: 'compatibility.app_outdated',
    category,
    title: t('终端应用版本低于要求', 'The terminal app is older than the required version'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('在终端「设置 → 检查更新」安装最新版本，然后重启应用', 'On the terminal open Settings → Check for updates, install the latest version and restart the app'),
      t('无法更新时，请服务商在平台向这台终端推送升级', 'If it will not update, ask support to push the update to this terminal from the platform'),
    ],
    autoFix: 'push_update',
    patterns: [
      on('self_check.version', { component: 'app', belowMinimum: true }, 0.9),
      on('update', { component: 'app', forced: true }, 0.8),
      on('self_check.version', { component: 'app', belowMinimum: false }, -0.8),
    ],
  },
  {
    id: 'compatibility.os_outdated',
    category,
    title: t('终端操作系统版本过低', 'The terminal operating system is too old'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('在终端系统设置中检查并安装系统更新', 'Check for and install system updates in the terminal’s system settings'),
      t('系统已无法升级时，请服务商更换为兼容性策略支持的终端型号', 'If the system cannot be upgraded, ask support to replace the terminal with a model the policy supports'),
    ],
    autoFix: 'push_update',
    patterns: [
      on('self_check.version', { component: 'os', belowMinimum: true }, 0.9),
      on('update', { component: 'os', forced: true }, 0.8),
      on('self_check.version', { component: 'os', belowMinimum: false }, -0.8),
    ],
  },
  {
    id: 'compatibility.rules_outdated',
    category,
    title: t('付款码识别规则版本过旧', 'The payment-code rules on the terminal are out of date'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('在终端「设置 → 检查更新」同步最新的付款码规则', 'On the terminal open Settings → Check for updates to fetch the latest payment-code rules'),
      t('服务商在平台发布最新规则版本，并确认该终端已收到', 'Support publishes the latest rules on the platform and checks that this terminal received them'),
    ],
    autoFix: 'push_update',
    patterns: [
      on('self_check.version', { component: 'paycode_rules', belowMinimum: true }, 0.9),
      on('update', { component: 'paycode_rules', forced: true }, 0.8),
      on('scan', { unknownFormatCodes: { gte: 1 } }, 0.3),
      on('self_check.version', { component: 'paycode_rules', belowMinimum: false }, -0.8),
    ],
  },
  {
    id: 'compatibility.protocol_outdated',
    category,
    title: t('支付通道协议版本低于要求', 'The channel protocol version is below the policy minimum'),
    audience: ['operator'],
    remedy: [
      t('把终端或平台升级到支持当前通道协议的版本', 'Upgrade the terminal or the platform to a version that speaks the current channel protocol'),
      t('升级前可在兼容性策略中查看哪些终端受影响', 'Before upgrading, check in the compatibility policy which terminals are affected'),
    ],
    autoFix: 'push_update',
    patterns: [
      on('self_check.version', { component: 'channel_protocol', belowMinimum: true }, 0.9),
      on('update', { component: 'channel_protocol', forced: true }, 0.8),
      on('self_check.version', { component: 'channel_protocol', belowMinimum: false }, -0.8),
    ],
  },
  {
    id: 'compatibility.unknown_code_format',
    category,
    title: t('无法识别的付款码格式', 'The payment code’s format is not recognised'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('请顾客刷新付款码后重新扫码', 'Ask the customer to refresh the payment code and scan again'),
      t('仍无法识别时，请顾客换其他付款方式', 'If it is still not recognised, ask the customer to pay another way'),
      t('服务商更新付款码规则（规则是数据，无需发版）', 'Support updates the payment-code rules (they are data, no release needed)'),
    ],
    autoFix: 'push_update',
    patterns: [on('scan', { unknownFormatCodes: { gte: 1 } }, 0.6)],
  },
  {
    id: 'compatibility.channel_not_enabled',
    category,
    title: t('暂不受理该钱包的付款码', 'This wallet’s payment code is not accepted here'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('请顾客改用支付宝付款码', 'Ask the customer to pay with an Alipay payment code'),
      t('商户需要受理该钱包时，联系服务商开通对应通道', 'If the merchant wants this wallet, ask support to enable its channel'),
    ],
    patterns: [],
  },
  {
    id: 'compatibility.channel_config_invalid',
    category,
    title: t('支付通道配置错误', 'The payment channel is misconfigured'),
    audience: ['operator'],
    remedy: [
      t('核对平台中的支付宝应用 ID 和网关地址（沙箱与正式环境不能混用）', 'Check the Alipay app id and gateway URL on the platform (do not mix sandbox and production)'),
      t('确认应用已上线，并已添加当面付功能', 'Make sure the app is online and has the face-to-face payment feature added'),
      t('修改后在控制台运行通道自检', 'After the change, run the channel self-check in the console'),
    ],
    patterns: [],
  },
  {
    id: 'compatibility.channel_protocol',
    category,
    title: t('支付通道不接受请求参数或应答无法解析', 'The channel refused our parameters, or its answer could not be parsed'),
    audience: ['operator'],
    remedy: [
      t('记下交易号，联系服务商', 'Note the payment id and contact support'),
      t('服务商核对通道接口版本和请求参数，必要时升级平台', 'Support checks the channel API version and the request parameters, and upgrades the platform if needed'),
    ],
    patterns: [on('transport', { target: 'channel', failure: 'unparsable' }, 0.5)],
  },
  {
    id: 'compatibility.app_id_invalid',
    category,
    title: t('支付通道不认识这个应用 ID', 'The channel does not know this app id'),
    audience: ['operator'],
    remedy: [
      t('核对平台配置的支付宝应用 ID 与开放平台上的一致', 'Check that the Alipay app id on the platform matches the one on the open platform'),
      t('确认沙箱应用配的是沙箱网关，正式应用配的是正式网关', 'Make sure a sandbox app uses the sandbox gateway and a production app the production one'),
      t('服务商模式下，确认该商户已授权这个应用', 'In service-provider mode, check that the merchant has authorised this app'),
    ],
    patterns: [],
  },
  {
    id: 'compatibility.encryption_misconfigured',
    category,
    title: t('接口内容加密配置错误', 'Content encryption is misconfigured'),
    audience: ['operator'],
    remedy: [
      t('核对平台的 AES 密钥与开放平台上设置的一致', 'Check that the platform’s AES key matches the one set on the open platform'),
      t('不需要内容加密时，在开放平台和平台上同时关闭', 'If content encryption is not needed, turn it off on both the open platform and the platform'),
    ],
    patterns: [],
  },
  {
    id: 'compatibility.store_id_invalid',
    category,
    title: t('门店编号无效', 'The store id is not valid'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('在平台核对这台终端绑定的门店及其编号', 'Check on the platform which store this terminal is bound to, and its id'),
      t('门店编号变更后，重新同步终端配置', 'After a store id change, sync the terminal’s configuration again'),
    ],
    patterns: [],
  },
];
