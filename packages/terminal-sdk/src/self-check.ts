/**
 * 一键自检: the terminal's one-tap self-check. Each check yields one piece of `SelfCheckEvidence`
 * for `@scanpay/diagnosis`; a check that does not apply (DNS for an IP address, TLS on plain
 * http) is listed as skipped with the reason, never reported as passed. Runs in the browser and
 * in Node: only fetch and WebCrypto.
 */
import type { TerminalSelfStatus, TimeResponse } from '@scanpay/contracts';
import {
  transportFailureOf,
  type AutoFixId,
  type CameraCheck,
  type LinkCheck,
  type SelfCheckEvidence,
  type SelfCheckName,
  type TlsFailure,
  type TransportFailure,
  type VersionComponent,
} from '@scanpay/diagnosis';
import type { Text } from '@scanpay/errors';
import { ApiError, NetworkError, type TerminalClient } from './client.ts';

export interface SelfCheckOptions {
  /** The running app's version; defaults to the one the terminal registered at activation. */
  appVersion?: string;
  osVersion?: string;
  paycodeRulesVersion?: string;
  /** `navigator.onLine` in a browser; Node has no such signal, so leave it out there. */
  online?: boolean;
  network?: LinkCheck['network'];
  /** The camera against the test pattern (`cameraCheckFromTestPattern`), when the device ran it. */
  camera?: CameraCheck;
  /** Per request (default 5 s). */
  timeoutMs?: number;
  /**
   * Past this clock offset (ms, default 30 s) the client signs with the platform's time from
   * now on (auto-fix `resync_clock`); `false` leaves the client as it is.
   */
  resyncClockOverMs?: number | false;
}

export interface SkippedCheck {
  check: SelfCheckName;
  reason: Text;
}

export interface SelfCheckReport {
  evidence: SelfCheckEvidence[];
  skipped: SkippedCheck[];
  /** The platform's view of this terminal, when the signed request went through. */
  status?: TerminalSelfStatus;
  /** Auto-fixes the check applied on the way (e.g. `resync_clock`). */
  applied: AutoFixId[];
  platformReachable: boolean;
  deviceAuthOk: boolean;
  durationMs: number;
}

/** Why a check was not run; every reason in Chinese and English. */
export const skipReasons = {
  dnsIpLiteral: { zh: '平台地址是 IP 地址，无需域名解析', en: 'The platform address is an IP address: there is no name to resolve' },
  dnsUnknown: { zh: '平台没有应答，无法判断域名解析是否正常', en: 'The platform did not answer, so name resolution could not be judged' },
  tlsPlainHttp: { zh: '平台地址使用 http（本机或内网），没有 TLS 可检查', en: 'The platform address uses plain http (loopback or LAN): there is no TLS to check' },
  tlsUnknown: { zh: '平台没有应答，无法判断安全连接是否正常', en: 'The platform did not answer, so the secure connection could not be judged' },
  platformDown: { zh: '平台没有应答，无法检查此项', en: 'The platform did not answer, so this could not be checked' },
  refused: { zh: '平台拒绝了终端身份，无法读取此项', en: 'The platform refused the terminal’s identity, so this could not be read' },
  linkUnknown: { zh: '此设备无法报告网络连接状态', en: 'This device cannot report its network link state' },
  noVersion: { zh: '终端没有报告此组件的版本', en: 'The terminal did not report this component’s version' },
  noChannel: { zh: '平台没有配置支付通道', en: 'The platform has no payment channel configured' },
} satisfies Record<string, Text>;

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;
const VERSION = /^v?\d+(\.\d+)*(-[0-9A-Za-z.]+)?$/;

function tlsFailureOf(err: unknown): TlsFailure {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    switch (e.code) {
      case 'CERT_HAS_EXPIRED':
        return 'cert_expired';
      case 'CERT_NOT_YET_VALID':
        return 'cert_not_yet_valid';
      case 'ERR_TLS_CERT_ALTNAME_INVALID':
        return 'hostname_mismatch';
      case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      case 'SELF_SIGNED_CERT_IN_CHAIN':
      case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
        return 'cert_untrusted';
    }
  }
  return 'handshake';
}

type Probe = { ok: true; res: Response; latencyMs: number } | { ok: false; error: unknown; latencyMs: number };

async function get(fetchFn: typeof fetch, url: URL, timeoutMs: number): Promise<Probe> {
  const started = performance.now();
  try {
    const res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { ok: true, res, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error, latencyMs: Math.round(performance.now() - started) };
  }
}

export async function selfCheck(client: TerminalClient, options: SelfCheckOptions = {}): Promise<SelfCheckReport> {
  const started = performance.now();
  const at = () => new Date(client.now() + client.clockOffsetMs).toISOString();
  const evidence: SelfCheckEvidence[] = [];
  const skipped: SkippedCheck[] = [];
  const applied: AutoFixId[] = [];
  const add = (e: SelfCheckEvidence) => evidence.push({ ...e, origin: 'terminal', at: at() });
  const skip = (check: SelfCheckName, reason: Text) => skipped.push({ check, reason });
  const timeoutMs = options.timeoutMs ?? 5_000;
  const base = new URL(client.credentials.baseUrl);
  const context = options.online === undefined ? {} : { online: options.online };

  if (options.online !== undefined) add({ kind: 'self_check', check: 'link', online: options.online, ...(options.network ? { network: options.network } : {}) });
  else skip('link', skipReasons.linkUnknown);

  // ── the platform answers at all; the clock is asked at the same time (unsigned, so it works
  // even when the clock is what the platform refuses) ──
  const clockAsk = async () => {
    const sent = client.now();
    const answer = await get(client.fetchFn, new URL('/v1/time', base), timeoutMs);
    return { answer, sent, received: client.now() };
  };
  const [health, { answer: time, sent, received }] = await Promise.all([get(client.fetchFn, new URL('/health', base), timeoutMs), clockAsk()]);
  let failure: TransportFailure | undefined;
  if (health.ok) {
    await health.res.arrayBuffer().catch(() => undefined);
    if (health.res.ok) add({ kind: 'self_check', check: 'platform', ok: true, latencyMs: health.latencyMs });
    else {
      failure = 'http_status';
      add({ kind: 'self_check', check: 'platform', ok: false, failure, httpStatus: health.res.status, latencyMs: health.latencyMs });
    }
  } else {
    failure = transportFailureOf(health.error, context);
    add({ kind: 'self_check', check: 'platform', ok: false, failure, latencyMs: health.latencyMs });
  }
  const answered = health.ok;

  // ── name resolution and TLS, where they exist ──
  const host = base.hostname;
  if (IP_LITERAL.test(host)) skip('dns', skipReasons.dnsIpLiteral);
  else if (answered || (failure !== undefined && failure !== 'dns' && failure !== 'timeout' && failure !== 'offline')) add({ kind: 'self_check', check: 'dns', ok: true, host });
  else if (failure === 'dns') add({ kind: 'self_check', check: 'dns', ok: false, host });
  else skip('dns', skipReasons.dnsUnknown);
  if (base.protocol !== 'https:') skip('tls', skipReasons.tlsPlainHttp);
  else if (answered) add({ kind: 'self_check', check: 'tls', ok: true, host });
  else if (failure === 'tls') add({ kind: 'self_check', check: 'tls', ok: false, host, failure: tlsFailureOf(health.ok ? undefined : health.error) });
  else skip('tls', skipReasons.tlsUnknown);

  if (!answered) {
    if (time.ok) await time.res.arrayBuffer().catch(() => undefined);
    for (const c of ['clock', 'device_auth', 'merchant', 'channel', 'version'] as const) skip(c, skipReasons.platformDown);
    if (options.camera) add(options.camera);
    return { evidence, skipped, applied, platformReachable: false, deviceAuthOk: false, durationMs: Math.round(performance.now() - started) };
  }

  // ── clock ──
  let serverMs: number | undefined;
  if (time.ok && time.res.ok) serverMs = ((await time.res.json().catch(() => ({}))) as Partial<TimeResponse>).epochMs;
  else if (time.ok) await time.res.arrayBuffer().catch(() => undefined);
  if (serverMs === undefined && time.ok && time.res.headers.get('date')) serverMs = Date.parse(time.res.headers.get('date')!) + 500;
  if (serverMs !== undefined && Number.isFinite(serverMs)) {
    const offsetMs = Math.round((sent + received) / 2 - serverMs);
    add({ kind: 'self_check', check: 'clock', offsetMs, reference: 'platform' });
    const limit = options.resyncClockOverMs ?? 30_000;
    if (limit !== false && Math.abs(offsetMs) > limit && Math.abs(client.clockOffsetMs + offsetMs) > limit) {
      client.clockOffsetMs = -offsetMs;
      applied.push('resync_clock');
    }
  } else skip('clock', skipReasons.platformDown);

  // ── a signed round trip: the device key, and what the platform knows about us ──
  const learnedBefore = client.clockOffsetMs;
  let status: TerminalSelfStatus | undefined;
  let deviceAuthOk = false;
  try {
    status = await client.request<TerminalSelfStatus>('GET', '/v1/terminals/self/status');
    deviceAuthOk = true;
    add({ kind: 'self_check', check: 'device_auth', ok: true });
  } catch (err) {
    if (err instanceof ApiError && err.code.startsWith('TRM_')) {
      add({ kind: 'self_check', check: 'device_auth', ok: false, code: err.code });
    } else if (err instanceof ApiError) {
      deviceAuthOk = true;
      add({ kind: 'self_check', check: 'device_auth', ok: true });
      add({ kind: 'self_check', check: 'platform', ok: false, code: err.code, httpStatus: err.status });
    } else if (err instanceof NetworkError) {
      skip('device_auth', skipReasons.platformDown);
    } else throw err;
  }
  if (client.clockOffsetMs !== learnedBefore && !applied.includes('resync_clock')) applied.push('resync_clock');

  if (status) {
    const m = status.merchant;
    add({
      kind: 'self_check', check: 'merchant', status: m.status,
      ...(m.productSigned === undefined ? {} : { productSigned: m.productSigned }),
      ...(m.contract === undefined ? {} : { contract: m.contract }),
    });
    if (status.channels.length === 0) skip('channel', skipReasons.noChannel);
    for (const c of status.channels) {
      add({
        kind: 'self_check', check: 'channel', ok: c.ok,
        ...(c.latencyMs === undefined ? {} : { latencyMs: c.latencyMs }),
        ...(c.failure ? { failure: c.failure } : {}),
        ...(c.code ? { code: c.code } : {}),
        ...(c.cause ? { cause: c.cause } : {}),
      });
    }
    const registered = status.terminal.appVersion && VERSION.test(status.terminal.appVersion) ? status.terminal.appVersion : undefined;
    const current: Partial<Record<VersionComponent, string | undefined>> = {
      app: options.appVersion ?? registered,
      os: options.osVersion,
      paycode_rules: options.paycodeRulesVersion,
    };
    for (const [component, policy] of Object.entries(status.compatibility) as [VersionComponent, { minimum: string; latest?: string }][]) {
      const version = current[component];
      if (version === undefined) {
        skip('version', { zh: `${skipReasons.noVersion.zh}：${component}`, en: `${skipReasons.noVersion.en}: ${component}` });
        continue;
      }
      add({ kind: 'self_check', check: 'version', component, current: version, minimum: policy.minimum, ...(policy.latest ? { latest: policy.latest } : {}) });
    }
  } else {
    for (const c of ['merchant', 'channel', 'version'] as const) skip(c, skipReasons.refused);
  }
  if (options.camera) add(options.camera);

  return {
    evidence,
    skipped,
    ...(status ? { status } : {}),
    applied,
    platformReachable: true,
    deviceAuthOk,
    durationMs: Math.round(performance.now() - started),
  };
}
