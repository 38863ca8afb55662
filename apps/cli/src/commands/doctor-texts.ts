/** Every word `scanpay doctor` prints besides the diagnosis itself, Chinese first. */
import type { SelfCheckName } from '@scanpay/diagnosis';
import type { Text } from '@scanpay/errors';

const t = (zh: string, en: string): Text => ({ zh, en });

export const checkLabels: Record<SelfCheckName, Text> = {
  link: t('网络连接', 'network link'),
  platform: t('收单平台', 'platform'),
  channel: t('支付通道', 'payment channel'),
  dns: t('域名解析', 'name resolution'),
  tls: t('安全连接', 'secure connection'),
  clock: t('设备时间', 'device clock'),
  version: t('版本', 'version'),
  device_auth: t('终端身份', 'terminal identity'),
  merchant: t('商户状态', 'merchant status'),
  camera: t('摄像头', 'camera'),
  scan_head: t('扫码头', 'scan head'),
  scan_profile: t('扫码配置', 'scan profile'),
};

export const doctorWords = {
  title: t('一键自检', 'Self-check'),
  ok: t('正常', 'ok'),
  problem: t('异常', 'problem'),
  skipped: t('未检查', 'skipped'),
  diagnosis: t('诊断', 'Diagnosis'),
  byPlatform: t('由平台诊断并记录', 'diagnosed and recorded by the platform'),
  byDevice: t('平台无法访问或拒绝了本终端，已在本机诊断', 'the platform could not be asked, so this was diagnosed on this device'),
  incident: t('事件编号', 'incident'),
  noIdentity: t('这里没有终端身份：演示终端尚未激活', 'There is no terminal identity here: the demo terminal is not activated'),
  otherTerminal: t('这里只保存了演示终端的身份', 'Only the demo terminal’s identity is kept here'),
  fixed: t('已自动修复', 'Fixed automatically'),
  todo: t('处理步骤', 'What to do now'),
  resyncApplied: t(
    '本次请求已改用平台时间签名；设备时钟仍不准，请开启自动对时',
    'Requests are now signed with the platform’s time; the device clock is still off: turn on automatic time',
  ),
  reactivateSteps: t('重新激活演示终端（会生成新的设备密钥）', 'Activate the demo terminal again (it makes a new device key)'),
  reactivateStop: t('停止正在运行的 scanpay start（Ctrl+C）', 'Stop the running `scanpay start` (Ctrl+C)'),
  reactivateRemove: t('删除旧的终端身份文件', 'Remove the old terminal identity file'),
  reactivateStart: t('再次启动：平台会发出新的激活码并自动激活', 'Start again: the platform issues a new activation code and activates the terminal'),
  updateNeeded: t('平台要求的最低版本', 'Minimum version the platform requires'),
  updateHow: t('升级 scanpay 后再运行 scanpay doctor', 'Update scanpay, then run scanpay doctor again'),
  retryLater: t('稍后再运行 scanpay doctor 确认已恢复', 'Run scanpay doctor again shortly to confirm it recovered'),
} satisfies Record<string, Text>;
