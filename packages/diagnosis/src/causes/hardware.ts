// 三、硬件设备: the camera and the scan head, and their connections.
import { on, t, type Cause } from '../cause.ts';

const category = '硬件设备';

export const hardwareCauses: Cause[] = [
  {
    id: 'hardware.camera_degraded',
    category,
    title: t('摄像头成像质量下降', 'The camera’s image quality has degraded'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('用干净的软布擦拭摄像头镜头和扫码窗口', 'Wipe the camera lens and the scan window with a clean soft cloth'),
      t('在「设备自检」中做一次摄像头测试', 'Run the camera test under Device check'),
      t('测试仍不通过，联系服务商维修或更换终端', 'If the test still fails, contact support to repair or replace the terminal'),
    ],
    patterns: [
      on('self_check.camera', { result: 'fail' }, 0.85),
      on('self_check.camera', { result: 'degraded' }, 0.6),
      on('self_check.camera', { decodedKnownPattern: false }, 0.5),
      on('self_check.camera', { sharpness: { lte: 0.3 } }, 0.4),
      on('telemetry', { successVsFleet: { lte: 0.6 }, scanAttempts: { gte: 20 } }, 0.5),
      on('telemetry', { successVsFleet: { lte: 0.3 }, scanAttempts: { gte: 20 } }, 0.3),
      on('scan', { input: 'camera', blurRatio: { gte: 0.6 } }, 0.15),
      on('self_check.camera', { result: 'pass' }, -0.8),
    ],
  },
  {
    id: 'hardware.camera_missing',
    category,
    title: t('没有可用的摄像头', 'No camera is available'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('关闭可能占用摄像头的其他应用，然后重启终端', 'Close other apps that may hold the camera, then restart the terminal'),
      t('外接摄像头请检查连接线是否插紧', 'For an external camera, check that its cable is plugged in firmly'),
      t('仍没有摄像头时，改用扫码枪并联系服务商', 'If there is still no camera, use a scan gun and contact support'),
    ],
    patterns: [
      on('scan', { noCamera: true }, 0.85),
      on('self_check.camera', { result: 'no_camera' }, 0.9),
      on('self_check.camera', { result: { in: ['pass', 'degraded'] } }, -0.9),
    ],
  },
  {
    id: 'hardware.scan_head_fault',
    category,
    title: t('扫码头故障或连接不稳定', 'The scan head is faulty or its connection is unstable'),
    audience: ['cashier', 'operator'],
    remedy: [
      t('重新插紧扫码枪或扫码头的连接线；蓝牙扫码枪请重新配对', 'Re-seat the scan gun or scan head cable; re-pair a Bluetooth scan gun'),
      t('重启终端，在「设备自检」中扫一次测试码', 'Restart the terminal and scan the test code under Device check'),
      t('仍失败时，先用摄像头扫码，并联系服务商维修', 'If it still fails, scan with the camera for now and contact support for repair'),
    ],
    patterns: [
      on('self_check.scan_head', { result: 'fail' }, 0.85),
      on('telemetry', { scannerDisconnects: { gte: 3 } }, 0.6),
      on('telemetry', { scannerDisconnects: { gte: 1 } }, 0.3),
      on('self_check.scan_head', { result: 'pass' }, -0.8),
    ],
  },
];
