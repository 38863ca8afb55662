// 六、安全验证机制: the device's identity at the platform, and the channel's signature and risk checks.
import { on, t, type Cause } from '../cause.ts';

const category = '安全验证';
const authOk = on('self_check.device_auth', { ok: true }, -0.8);

export const securityCauses: Cause[] = [
  {
    id: 'security.device_not_activated',
    category,
    title: t('终端尚未激活', 'The terminal is not activated'),
    audience: ['cashier', 'merchant', 'operator'],
    remedy: [
      t('在终端上打开「激活」，输入服务商提供的激活码', 'Open Activate on the terminal and enter the activation code from support'),
      t('没有激活码时，商户在商户后台或向服务商申请', 'Without a code, the merchant requests one in the merchant console or from support'),
    ],
    autoFix: 'reactivate',
    patterns: [authOk],
  },
  {
    id: 'security.device_unknown',
    category,
    title: t('平台不认识这台终端', 'The platform does not know this terminal'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('终端可能已被解绑：用新的激活码重新激活', 'The terminal may have been unbound: activate it again with a new code'),
      t('核对终端序列号与商户后台登记的是否一致', 'Check that the serial number matches the one registered in the merchant console'),
    ],
    autoFix: 'reactivate',
    patterns: [authOk],
  },
  {
    id: 'security.device_disabled',
    category,
    title: t('终端已被停用', 'The terminal has been disabled'),
    audience: ['cashier', 'merchant', 'operator'],
    remedy: [
      t('联系服务商确认停用原因（挂失、欠费或风险）', 'Ask support why it was disabled (reported lost, unpaid fees or risk)'),
      t('恢复之前请用其他已激活的终端收款', 'Until it is restored, take payments on another activated terminal'),
    ],
    patterns: [authOk],
  },
  {
    id: 'security.wrong_device_key',
    category,
    title: t('终端密钥或序列号与登记的不一致', 'The terminal key or serial number does not match the registration'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('应用重装或换机后会这样：向服务商申请新的激活码，重新激活本终端', 'This happens after a reinstall or a device swap: ask support for a new code and activate again'),
      t('如果这不是本店的终端，立即联系服务商停用', 'If this is not your store’s terminal, contact support at once to disable it'),
    ],
    autoFix: 'reactivate',
    patterns: [authOk],
  },
  {
    id: 'security.operator_unauthorized',
    category,
    title: t('运维接口令牌无效', 'The operator API token is missing or wrong'),
    audience: ['operator'],
    remedy: [
      t('使用环境变量 SCANPAY_OPERATOR_TOKEN 或数据目录中 operator-token 文件里的令牌', 'Use the token from SCANPAY_OPERATOR_TOKEN or from the operator-token file in the data folder'),
      t('令牌泄露时更换令牌并重启平台', 'If the token leaked, change it and restart the platform'),
    ],
    patterns: [],
  },
  {
    id: 'security.replay',
    category,
    title: t('重复的请求被拒绝', 'A repeated (replayed) request was refused'),
    audience: ['operator'],
    remedy: [
      t('重新操作一次即可', 'Simply do the operation again'),
      t('频繁出现时，检查终端时间和网络代理，或是否有人在重放请求，并联系服务商', 'If it recurs, check the terminal clock and any network proxy, or whether someone replays requests, and contact support'),
    ],
    patterns: [],
  },
  {
    id: 'security.request_unsigned',
    category,
    title: t('请求没有终端签名', 'The request carries no terminal signature'),
    audience: ['operator'],
    remedy: [
      t('用 scanpay 终端应用或终端 SDK 发起请求', 'Send requests through the scanpay terminal app or the terminal SDK'),
      t('集成方检查签名请求头是否被代理删除', 'Integrators: check that no proxy strips the signature headers'),
    ],
    patterns: [authOk],
  },
  {
    id: 'security.activation_code_invalid',
    category,
    title: t('激活码无效或已使用', 'The activation code is invalid or already used'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('核对激活码，注意不要多输空格', 'Check the code and make sure there are no extra spaces'),
      t('激活码已用过或已过期时，向服务商索取新的激活码', 'If it was used or has expired, ask support for a new code'),
    ],
    patterns: [],
  },
  {
    id: 'security.channel_keys_misconfigured',
    category,
    title: t('支付通道密钥配置错误', 'The payment channel keys are misconfigured'),
    audience: ['operator'],
    remedy: [
      t('在支付宝开放平台核对上传的应用公钥与平台使用的应用私钥是否配对', 'On the Alipay open platform, check that the uploaded app public key pairs with the private key the platform uses'),
      t('核对平台配置的支付宝公钥（用于验签）和签名类型 RSA2', 'Check the Alipay public key configured for verification and that the sign type is RSA2'),
      t('修改后在控制台运行通道自检', 'After the change, run the channel self-check in the console'),
    ],
    patterns: [
      on('transport', { target: 'channel', failure: 'bad_signature' }, 0.5),
      on('self_check.channel', { ok: false, failure: 'bad_signature' }, 0.7),
      on('self_check.channel', { ok: true }, -0.6),
    ],
  },
  {
    id: 'security.risk_control',
    category,
    title: t('支付被风控拒绝', 'The payment was refused by risk control'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('请顾客换其他付款方式，如银行卡或其他钱包', 'Ask the customer to pay another way, such as a bank card or another wallet'),
      t('顾客可联系支付宝（95188）了解原因', 'The customer can call Alipay (95188) to learn why'),
      t('同一商户频繁被风控拒绝时，商户联系服务商核查', 'If the merchant is refused often, the merchant asks support to investigate'),
    ],
    patterns: [],
  },
  {
    id: 'security.app_public_key_missing',
    category,
    title: t('支付通道没有应用公钥或证书', 'The channel has no app public key or certificate'),
    audience: ['operator'],
    remedy: [
      t('在支付宝开放平台为应用上传应用公钥（或证书）', 'Upload the app public key (or certificate) for the app on the Alipay open platform'),
      t('确认上传的是与平台应用私钥配对的那一个', 'Make sure it is the one that pairs with the platform’s app private key'),
      t('修改后在控制台运行通道自检', 'After the change, run the channel self-check in the console'),
    ],
    patterns: [],
  },
  {
    id: 'security.supervisor_pin_rejected',
    category,
    title: t('主管密码错误或已锁定', 'The supervisor PIN was wrong or is locked'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('请店长或主管输入本门店的 6 位主管密码', 'Ask the store manager or supervisor to enter the store’s 6-digit supervisor PIN'),
      t('连续输错 5 次后退款锁定 15 分钟：等待解锁，期间不要再试', 'After 5 wrong tries refunds lock for 15 minutes: wait, and do not keep trying'),
      t('忘记密码时，商户管理员在商户后台重设', 'If the PIN is forgotten, the merchant admin resets it in the merchant console'),
    ],
    patterns: [],
  },
  {
    id: 'security.sign_type_mismatch',
    category,
    title: t('签名类型与通道上的密钥不符', 'The sign type does not match the key on the channel'),
    audience: ['operator'],
    remedy: [
      t('平台签名类型设为 RSA2，并使用 2048 位 RSA 密钥', 'Set the platform’s sign type to RSA2 and use a 2048-bit RSA key'),
      t('在开放平台确认上传的是 RSA2 公钥', 'Check on the open platform that the uploaded key is the RSA2 one'),
    ],
    patterns: [],
  },
];
