// 五.1 无线网络信号不稳定, 原因2: the link, name resolution, TLS, latency, clock, and who is unreachable.
import { on, t, type Cause } from '../cause.ts';

const category = '网络环境';
const brokenLink = ['refused', 'reset', 'timeout', 'network', 'http_status', 'dns', 'tls'] as const;
const doNotChargeTwice = t(
  '网络恢复前不要让顾客重复付款；结果未知的交易平台会自动查询或撤销',
  'Do not let the customer pay twice meanwhile; payments with an unknown result are queried or cancelled automatically',
);

export const networkCauses: Cause[] = [
  {
    id: 'network.offline',
    category,
    title: t('终端没有联网', 'The terminal is offline'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('检查 Wi-Fi 或移动数据是否打开并已连接', 'Check that Wi-Fi or mobile data is on and connected'),
      t('重启路由器，或切换到其他网络（如手机热点）', 'Restart the router, or switch to another network such as a phone hotspot'),
      doNotChargeTwice,
    ],
    autoFix: 'switch_network',
    patterns: [
      on('transport', { target: 'platform', failure: 'offline' }, 0.9),
      on('self_check.link', { online: false }, 0.9),
      on('self_check.platform', { ok: false, failure: 'offline' }, 0.9),
      on('self_check.link', { online: true }, -0.7),
      on('self_check.platform', { ok: true }, -0.9),
    ],
  },
  {
    id: 'network.dns',
    category,
    title: t('域名解析失败', 'Name resolution (DNS) fails'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('把路由器或终端的 DNS 改为可靠的 DNS 服务器后重试', 'Set the router’s or terminal’s DNS to a reliable DNS server and retry'),
      t('公司网络限制访问时，请网络管理员放行平台域名', 'On a managed network, ask the administrator to allow the platform’s domain'),
      t('切换到其他网络确认问题是否消失', 'Switch to another network to confirm the problem goes away'),
    ],
    autoFix: 'switch_network',
    patterns: [
      on('transport', { failure: 'dns' }, 0.85),
      on('self_check.dns', { ok: false }, 0.85),
      on('self_check.platform', { ok: false, failure: 'dns' }, 0.85),
      on('self_check.dns', { ok: true }, -0.8),
      on('self_check.platform', { ok: true }, -0.6),
    ],
  },
  {
    id: 'network.tls',
    category,
    title: t('安全连接（TLS）建立失败', 'The secure connection (TLS) fails'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('先校准终端时间：时间不对会让证书失效', 'Correct the terminal clock first: a wrong clock makes certificates look invalid'),
      t('公共 Wi-Fi 的登录页或代理会拦截安全连接：登录或换网络后重试', 'Public Wi-Fi login pages and proxies intercept secure connections: sign in or switch networks, then retry'),
      t('仍失败时，联系服务商核对平台证书', 'If it still fails, ask support to check the platform’s certificate'),
    ],
    patterns: [
      on('transport', { failure: 'tls' }, 0.8),
      on('self_check.tls', { ok: false }, 0.85),
      on('self_check.platform', { ok: false, failure: 'tls' }, 0.8),
      on('self_check.tls', { ok: true }, -0.8),
    ],
  },
  {
    id: 'network.latency_loss',
    category,
    title: t('网络延迟高或丢包', 'The network is slow or losing packets'),
    audience: ['cashier', 'merchant', 'operator'],
    remedy: [
      t('让终端靠近路由器，远离微波炉、无绳电话等干扰源', 'Move the terminal closer to the router and away from microwaves, cordless phones and other interference'),
      t('改用 5 GHz Wi-Fi、有线网络或信号更好的移动网络', 'Use 5 GHz Wi-Fi, a wired network or a mobile network with a better signal'),
      doNotChargeTwice,
    ],
    autoFix: 'switch_network',
    patterns: [
      on('telemetry', { latencyP95Ms: { gte: 1500 } }, 0.4),
      on('telemetry', { lossPercent: { gte: 5 } }, 0.45),
      on('telemetry', { disconnects: { gte: 3 } }, 0.4),
      on('telemetry', { signalDbm: { lte: -80 } }, 0.3),
      on('self_check.link', { online: true, signalDbm: { lte: -80 } }, 0.3),
      on('self_check.platform', { ok: true, latencyMs: { gte: 1500 } }, 0.4),
      on('transport', { target: 'platform', failure: { in: ['timeout', 'reset'] } }, 0.35),
      on('telemetry', { latencyP95Ms: { lte: 300 } }, -0.3),
      on('telemetry', { lossPercent: { lte: 0.5 } }, -0.3),
    ],
  },
  {
    id: 'network.clock_skew',
    category,
    title: t('设备时间不准', 'The clock is wrong'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('在终端系统设置中打开「自动设置日期和时间」', 'Turn on “Set date and time automatically” in the terminal’s system settings'),
      t('无法自动对时的，手动把时间调到北京时间后重试', 'If automatic time is not available, set Beijing time by hand and retry'),
      t('平台服务器时间不准时（通道拒绝时间戳），运维开启 NTP 校时', 'If the platform server is off (the channel refuses its timestamp), operations turns on NTP'),
    ],
    autoFix: 'resync_clock',
    patterns: [
      on('self_check.clock', { absOffsetMs: { gte: 300_000 } }, 0.9),
      on('self_check.clock', { absOffsetMs: { gte: 60_000 } }, 0.4),
      on('self_check.tls', { ok: false, failure: 'cert_not_yet_valid' }, 0.5),
      on('self_check.tls', { ok: false, failure: 'cert_expired' }, 0.3),
      on('self_check.clock', { absOffsetMs: { lte: 30_000 } }, -0.8),
    ],
  },
  {
    id: 'network.channel_unreachable',
    category,
    title: t('平台暂时连不上支付通道', 'The platform cannot reach the payment channel right now'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('稍后重试', 'Retry in a moment'),
      doNotChargeTwice,
      t('持续超过 10 分钟时，运维检查平台到支付宝网关的网络和通道状态', 'If it lasts over 10 minutes, operations checks the platform’s route to the Alipay gateway and the channel status'),
    ],
    autoFix: 'retry_later',
    patterns: [
      on('transport', { target: 'channel', failure: { in: brokenLink } }, 0.6),
      on('transport', { target: 'channel', failure: 'system_error' }, 0.5),
      on('self_check.channel', { ok: false, failure: { in: [...brokenLink, 'system_error'] } }, 0.85),
      on('self_check.channel', { ok: true }, -0.7),
    ],
  },
  {
    id: 'network.channel_rate_limited',
    category,
    title: t('支付通道限流，调用过于频繁', 'The channel is rate limiting our calls'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('稍等几秒后重试', 'Wait a few seconds and retry'),
      t('持续出现时，运维检查是否有任务在高频查询通道', 'If it persists, operations checks for a job that queries the channel too often'),
    ],
    autoFix: 'retry_later',
    patterns: [],
  },
  {
    id: 'network.platform_unreachable',
    category,
    title: t('终端连不上收单平台', 'The terminal cannot reach the platform'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('稍后重试；其他网站也打不开时按断网处理', 'Retry in a moment; if other sites fail too, treat it as being offline'),
      doNotChargeTwice,
      t('多台终端同时出现时，运维检查平台服务是否在运行', 'If several terminals see this, operations checks that the platform service is running'),
    ],
    autoFix: 'retry_later',
    patterns: [
      on('transport', { target: 'platform', failure: { in: ['refused', 'http_status', 'network'] } }, 0.6),
      on('transport', { target: 'platform', failure: 'timeout' }, 0.3),
      on('self_check.platform', { ok: false, failure: { in: ['refused', 'reset', 'timeout', 'network', 'http_status'] } }, 0.85),
      on('self_check.platform', { ok: true }, -0.9),
      on('self_check.link', { online: false }, -0.5),
    ],
  },
];
