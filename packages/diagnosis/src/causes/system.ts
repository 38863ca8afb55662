// 原因4 "POS 机的系统可能出现错误": our own platform's faults, reported with SYS_* codes.
import { on, t, type Cause } from '../cause.ts';

const category = '平台';
const retry = t('稍后重试；收款结果未知时不要重复收款', 'Retry shortly; if a payment’s result is unknown, do not charge again');

export const systemCauses: Cause[] = [
  {
    id: 'system.internal_error',
    category,
    title: t('平台内部错误', 'Internal platform error'),
    audience: ['cashier', 'operator'],
    remedy: [
      retry,
      t('持续出现时联系服务商，并提供请求号', 'If it persists, contact support with the request id'),
    ],
    autoFix: 'retry_later',
    patterns: [],
  },
  {
    id: 'system.database_unavailable',
    category,
    title: t('平台数据库暂时不可用', 'The platform database is unavailable'),
    audience: ['cashier', 'operator'],
    remedy: [retry, t('运维检查 PostgreSQL 是否在运行、连接数是否耗尽', 'Operations checks that PostgreSQL is running and has free connections')],
    autoFix: 'retry_later',
    patterns: [],
  },
  {
    id: 'system.starting',
    category,
    title: t('平台正在启动', 'The platform is starting'),
    audience: ['cashier', 'operator'],
    remedy: [t('几秒后重试', 'Retry in a few seconds')],
    autoFix: 'retry_later',
    patterns: [on('self_check.platform', { ok: true }, -0.5)],
  },
];
