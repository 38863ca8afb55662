// 八、服务支持不足: updates not pushed in time (八.2) and slow technical support (八.1).
import { on, t, type Cause } from '../cause.ts';

const category = '更新与服务支持';

export const supportCauses: Cause[] = [
  {
    id: 'support.update_overdue',
    category,
    title: t('终端没有及时升级', 'The terminal has not received its update in time'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('让终端保持联网和开机，它会在空闲时自动安装升级', 'Keep the terminal on and online: it installs updates when idle'),
      t('服务商检查该终端所在的灰度批次是否被暂停，必要时单独推送', 'Support checks whether the terminal’s rollout stage is paused and pushes the update to it if needed'),
    ],
    autoFix: 'push_update',
    patterns: [
      on('update', { daysBehind: { gte: 7 } }, 0.6),
      on('update', { daysBehind: { gte: 14 } }, 0.5),
      on('update', { forced: true }, 0.4),
    ],
  },
  {
    id: 'support.ticket_overdue',
    category,
    title: t('技术支持工单超时未处理', 'A support ticket is past its response time'),
    audience: ['merchant', 'operator'],
    remedy: [
      t('平台已按服务时限自动升级工单，请等待二线支持联系', 'The platform escalates the ticket when its deadline passes: second-line support will call'),
      t('商户可在商户后台催办或拨打服务热线', 'The merchant can chase it in the merchant console or call the hotline'),
      t('运维：在工单中查看诊断结果和证据，优先处理', 'Operations: read the diagnosis and evidence in the ticket and handle it first'),
    ],
    patterns: [
      on('ticket', { open: true, slaUsed: { gte: 1 } }, 0.9),
      on('ticket', { open: true, slaUsed: { gte: 0.8 } }, 0.3),
    ],
  },
];
