/**
 * Why the camera could not start, in words the cashier can act on (PRODUCT.md: "camera / permission
 * denial detected and explained"). getUserMedia reports through DOMException names; each becomes one
 * cause with a zh/en message and remedy. The scanner gun and typing stay available in every case.
 */
import type { Text } from '../i18n.tsx';

export type CameraProblemKind =
  | 'permission_denied'
  | 'no_camera'
  | 'profile_unsupported'
  | 'camera_busy'
  | 'insecure_context'
  | 'unsupported_browser'
  | 'unknown';

export interface CameraProblem {
  kind: CameraProblemKind;
  message: Text;
  remedy: Text;
  /** The constraint the camera refused (OverconstrainedError), e.g. `width`. */
  constraint?: string;
  /** Whether trying again with the default profile may help. */
  retryWithDefaults: boolean;
}

const t = (zh: string, en: string): Text => ({ zh, en });
const FALLBACK = t('可继续使用扫码枪或手动输入付款码。', 'You can still use the scanner gun or type the code.');

function withFallback(remedy: Text): Text {
  return { zh: `${remedy.zh}${FALLBACK.zh}`, en: `${remedy.en} ${FALLBACK.en}` };
}

export function explainCameraError(err: unknown, ctx: { secureContext?: boolean; hasMediaDevices?: boolean } = {}): CameraProblem {
  if (ctx.hasMediaDevices === false) {
    return ctx.secureContext === false
      ? {
          kind: 'insecure_context',
          message: t('当前地址不能使用摄像头', 'The camera cannot be used from this address'),
          remedy: withFallback(t('请用 https:// 或本机地址（127.0.0.1）打开收银页面。', 'Open the cashier page over https:// or from this machine (127.0.0.1).')),
          retryWithDefaults: false,
        }
      : {
          kind: 'unsupported_browser',
          message: t('此浏览器不支持摄像头扫码', 'This browser cannot scan with the camera'),
          remedy: withFallback(t('请升级浏览器或设备系统。', 'Update the browser or the device system.')),
          retryWithDefaults: false,
        };
  }
  const name = err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return {
        kind: 'permission_denied',
        message: t('摄像头权限被拒绝', 'Camera permission is blocked'),
        remedy: withFallback(
          t(
            '请点地址栏左侧的图标 →「网站设置」→「摄像头」选「允许」，然后刷新本页；在收银机上请到系统「设置 → 应用 → 权限」中允许摄像头。',
            'Click the icon left of the address bar → Site settings → Camera → Allow, then reload this page; on a POS device allow the camera under Settings → Apps → Permissions.',
          ),
        ),
        retryWithDefaults: false,
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return {
        kind: 'no_camera',
        message: t('没有找到摄像头', 'No camera was found'),
        remedy: withFallback(t('请检查摄像头是否连接或被系统禁用。', 'Check that a camera is connected and not disabled.')),
        retryWithDefaults: false,
      };
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError': {
      const constraint = (err as { constraint?: string }).constraint || undefined;
      return {
        kind: 'profile_unsupported',
        message: t(
          `扫码配置无法在此摄像头上使用${constraint ? `（${constraint}）` : ''}`,
          `This camera cannot use the scan profile${constraint ? ` (${constraint})` : ''}`,
        ),
        remedy: t('已改用默认配置；请在「设置 → 扫码配置」中改选摄像头支持的分辨率。', 'The default profile is used instead; pick a resolution this camera supports under Settings → Scan profile.'),
        ...(constraint ? { constraint } : {}),
        retryWithDefaults: true,
      };
    }
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return {
        kind: 'camera_busy',
        message: t('摄像头被占用或无法启动', 'The camera is busy or could not start'),
        remedy: withFallback(t('请关闭其他正在使用摄像头的应用后重试。', 'Close other apps that use the camera, then try again.')),
        retryWithDefaults: false,
      };
    default:
      return {
        kind: 'unknown',
        message: t('摄像头无法启动', 'The camera could not start'),
        remedy: withFallback(t('请重试；仍不行请联系服务商。', 'Try again; if it persists, contact support.')),
        retryWithDefaults: false,
      };
  }
}
