import type { Channel, ChannelId } from '@scanpay/channels';
import type { ChannelReachability, TerminalSelfStatus } from '@scanpay/contracts';
import type { MerchantCheck } from '@scanpay/diagnosis';
import type { Db } from '../../db/index.ts';
import { findMerchant, type MerchantRow } from '../merchants/store.ts';
import { merchantContext } from '../payments/operations/pay-by-code.ts';
import { listTerminalPayments, type PaymentRow } from '../payments/store.ts';
import type { TerminalRow } from '../terminals/store.ts';
import type { ChannelMonitor, ChannelObservation } from './channel-monitor.ts';
import type { CompatibilityPolicy } from './compatibility.ts';

export interface DiagnosisDeps {
  db: Db;
  /** The observed channels (the same objects the payments module calls). */
  channels: Partial<Record<ChannelId, Channel>>;
  monitor: ChannelMonitor;
  compatibility: CompatibilityPolicy;
  now: () => Date;
  /** A channel outcome younger than this is reported as is; older, the channel is probed. */
  channelFreshMs: number;
  probeTimeoutMs: number;
}

export const DEFAULT_CHANNEL_FRESH_MS = 30_000;
export const DEFAULT_PROBE_TIMEOUT_MS = 1_500;

function present(o: ChannelObservation): ChannelReachability {
  return {
    id: o.channel,
    ok: o.ok,
    latencyMs: o.latencyMs,
    ...(o.failure ? { failure: o.failure } : {}),
    ...(o.code ? { code: o.code } : {}),
    ...(o.cause ? { cause: o.cause } : {}),
    source: o.source,
    observedAt: o.at.toISOString(),
  };
}

/** Each channel as this merchant sees it: the last real call if recent, else a probe. */
export async function channelViews(deps: DiagnosisDeps, merchant: MerchantRow): Promise<ChannelReachability[]> {
  const views = Object.values(deps.channels).map(async (channel) => {
    const sellerId = merchant.channel_seller_id ?? undefined;
    const known = deps.monitor.latest(channel.id, sellerId, deps.channelFreshMs);
    return present(known ?? (await deps.monitor.probe(channel, merchantContext(merchant), deps.probeTimeoutMs)));
  });
  return Promise.all(views);
}

type MerchantView = Pick<MerchantCheck, 'status' | 'productSigned' | 'contract'>;

const PAID: ReadonlySet<string> = new Set(['succeeded', 'partially_refunded', 'refunded', 'reversed']);

/**
 * The merchant as the platform knows it: its own record, then what the channel last said about
 * it (a refusal naming the merchant's account, or a payment that went through), then the probe.
 */
export function merchantView(merchant: MerchantRow, recent: readonly PaymentRow[], channels: readonly ChannelReachability[]): MerchantView {
  const view: MerchantView = { status: merchant.status };
  const latest = recent.find((p) => p.decided_at !== null);
  if (latest && PAID.has(latest.status)) {
    view.productSigned = true;
    view.contract = 'valid';
  } else if (latest?.status === 'failed') {
    if (latest.failure_cause === 'account.merchant_frozen' && view.status === 'active') view.status = 'frozen';
    if (latest.failure_cause === 'account.merchant_contract') view.contract = 'expired';
    if (latest.failure_cause === 'account.product_not_signed') view.productSigned = false;
  }
  if (channels.some((c) => c.cause === 'account.product_not_signed')) view.productSigned = false;
  return view;
}

export async function selfStatus(deps: DiagnosisDeps, terminal: TerminalRow): Promise<TerminalSelfStatus> {
  const [merchant, recent] = await Promise.all([findMerchant(deps.db, terminal.merchant_id), listTerminalPayments(deps.db, terminal.id, 10)]);
  if (!merchant) throw new Error(`terminal ${terminal.id} has no merchant ${terminal.merchant_id}`);
  const channels = await channelViews(deps, merchant);
  return {
    serverTime: deps.now().toISOString(),
    terminal: { id: terminal.id, serial: terminal.serial, status: terminal.status, appVersion: terminal.app_version },
    merchant: { id: merchant.id, name: merchant.name, ...merchantView(merchant, recent, channels) },
    compatibility: deps.compatibility,
    channels,
  };
}
