// 五.2 信号转换问题: unstable power (a power bank's voltage dips) disturbs communication.
import { on, t, type Cause } from '../cause.ts';

const category = '电源';

export const powerCauses: Cause[] = [
  {
    id: 'power.voltage_dips',
    category,
    title: t('供电电压不稳', 'The power supply voltage is unstable'),
    audience: ['cashier', 'merchant'],
    remedy: [
      t('换用原装电源适配器直接插在墙上插座，不要用移动电源或劣质数据线', 'Use the original power adapter in a wall socket, not a power bank or a poor cable'),
      t('不要和大功率电器共用一个插线板', 'Do not share a power strip with high-power appliances'),
      t('更换电源后仍频繁断网，联系服务商检测终端', 'If the network still drops after that, contact support to test the terminal'),
    ],
    patterns: [
      on('telemetry', { voltageDips: { gte: 3 } }, 0.5),
      on('telemetry', { voltageDips: { gte: 1 } }, 0.2),
      on('telemetry', { dipsWithDisconnects: true }, 0.4),
      on('telemetry', { powerSource: 'power_bank', voltageDips: { gte: 1 } }, 0.3),
      on('telemetry', { voltageDips: 0 }, -0.6),
    ],
  },
  {
    id: 'power.battery_low',
    category,
    title: t('终端电量过低', 'The terminal battery is low'),
    audience: ['cashier'],
    remedy: [
      t('给终端接上充电器', 'Plug the terminal into its charger'),
      t('电量过低时终端会降低扫码和网络性能，充到 20% 以上再收款', 'A low battery slows scanning and the network: charge above 20% before taking payments'),
    ],
    patterns: [
      on('telemetry', { batteryPercent: { lte: 10 }, charging: false }, 0.6),
      on('telemetry', { batteryPercent: { lte: 5 } }, 0.3),
      on('telemetry', { batteryPercent: { lte: 20 }, charging: false }, 0.25),
      on('telemetry', { charging: true }, -0.5),
      on('telemetry', { batteryPercent: { gte: 50 } }, -0.8),
    ],
  },
];
