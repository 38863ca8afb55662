// 四、软件系统配置: the scan profile (resolution, scan region, illumination) and permissions.
import { on, t, type Cause } from '../cause.ts';

const category = '软件配置';

const refreshProfile = t(
  '在终端「设置 → 扫码配置」点「恢复推荐配置」',
  'On the terminal open Settings → Scan profile and tap Restore recommended profile',
);

export const configurationCauses: Cause[] = [
  {
    id: 'configuration.resolution_low',
    category,
    title: t('扫码分辨率设置过低', 'The scan resolution is set too low'),
    audience: ['cashier', 'operator'],
    remedy: [
      refreshProfile,
      t('服务商在平台检查该门店的扫码配置，分辨率不低于 720p', 'Support checks the store’s scan profile on the platform: at least 720p'),
    ],
    autoFix: 'refresh_scan_profile',
    patterns: [
      on('self_check.scan_profile', { resolutionLow: true }, 0.85),
      on('scan', { input: 'camera', frameShortSide: { lt: 480 } }, 0.5),
      on('scan', { input: 'camera', frameShortSide: { lt: 480 }, smallRatio: { gte: 0.3 } }, 0.3),
      on('self_check.scan_profile', { ok: true }, -0.6),
    ],
  },
  {
    id: 'configuration.scan_region',
    category,
    title: t('扫码区域设置过小', 'The scan region is set too small'),
    audience: ['cashier', 'operator'],
    remedy: [
      refreshProfile,
      t('服务商把扫码区域调回推荐值（不小于画面的一半）', 'Support sets the scan region back to the recommended size (at least half the frame)'),
    ],
    autoFix: 'refresh_scan_profile',
    patterns: [
      on('self_check.scan_profile', { scanRegionSmall: true }, 0.85),
      on('scan', { scanRegion: { lt: 0.25 } }, 0.5),
      on('scan', { scanRegion: { lt: 0.25 }, outOfViewRatio: { gte: 0.3 } }, 0.3),
      on('self_check.scan_profile', { ok: true }, -0.6),
    ],
  },
  {
    id: 'configuration.illumination_off',
    category,
    title: t('补光灯被关闭', 'The scan illumination is switched off'),
    audience: ['cashier', 'operator'],
    remedy: [
      refreshProfile,
      t('在扫码配置中把补光设为「自动」', 'Set illumination to Auto in the scan profile'),
    ],
    autoFix: 'refresh_scan_profile',
    patterns: [
      on('self_check.scan_profile', { illuminationOff: true }, 0.85),
      on('scan', { illumination: 'off', darkRatio: { gte: 0.3 } }, 0.85),
      on('self_check.scan_profile', { ok: true }, -0.6),
    ],
  },
  {
    id: 'configuration.camera_permission_blocked',
    category,
    title: t('摄像头权限被拒绝', 'Camera access is blocked'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('在弹出的提示中点「允许」使用摄像头', 'Tap Allow when asked for camera access'),
      t('已经拒绝过时：在系统设置 → 应用 → 权限（或浏览器地址栏的锁形图标）中打开摄像头，然后刷新页面', 'If it was refused before: turn the camera on in System settings → Apps → Permissions (or the lock icon in the address bar), then reload'),
      t('设备管理策略禁止摄像头时，请服务商调整策略', 'If a device-management policy blocks the camera, ask support to change the policy'),
    ],
    patterns: [
      on('scan', { permissionDenied: true }, 0.9),
      on('self_check.camera', { result: 'permission_denied' }, 0.9),
      on('self_check.camera', { result: { in: ['pass', 'degraded'] } }, -0.9),
    ],
  },
  {
    id: 'configuration.scan_profile_invalid',
    category,
    title: t('扫码配置无效或与平台不一致', 'The scan profile is invalid or differs from the platform’s'),
    audience: ['cashier', 'operator'],
    remedy: [
      refreshProfile,
      t('仍报错时，服务商在平台检查并重新下发该门店的扫码配置', 'If it still fails, support checks and re-sends the store’s scan profile from the platform'),
    ],
    autoFix: 'refresh_scan_profile',
    patterns: [
      on('self_check.scan_profile', { invalid: true }, 0.9),
      on('self_check.scan_profile', { ok: false }, 0.3),
      on('self_check.version', { component: 'scan_profile', belowMinimum: true }, 0.6),
      on('self_check.scan_profile', { ok: true }, -0.8),
    ],
  },
];
