import type { Channel, ChannelDecline, ChannelId, ChannelMerchant, UnknownReason } from '@scanpay/channels';
import type { ErrorCode } from '@scanpay/errors';

/**
 * The platform's view of each channel's reachability, kept in memory from the outcome of every
 * real channel call (the wrapper below), so a self-check right after a failure answers at once.
 * Only when nothing recent is known does it probe with a query of a trade that does not exist.
 */
export interface ChannelObservation {
  channel: ChannelId;
  /** The channel answered and accepted our call (a business refusal still counts as answered). */
  ok: boolean;
  latencyMs: number;
  failure?: UnknownReason;
  /** A refusal about our own set-up (product, permission, keys): the channel works, but not for us. */
  code?: ErrorCode;
  cause?: string;
  /** Whose call it was: set-up refusals concern one merchant, transport failures everybody. */
  sellerId?: string;
  operation: string;
  source: 'call' | 'probe';
  at: Date;
}

/** Refusals that say the channel is not usable for this merchant at all, whatever the buyer does. */
const SETUP_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'CHN_PRODUCT_NOT_SIGNED',
  'CHN_PERMISSION_MISSING',
  'CHN_SIGNATURE_CONFIG',
  'CHN_APP_CONFIG',
  'CHN_CLOCK_REJECTED',
  'CHN_INVALID_PARAMETER',
]);

type AnyResult = { kind: string; reason?: UnknownReason; decline?: ChannelDecline };

const HISTORY = 64;

export class ChannelMonitor {
  private readonly history = new Map<ChannelId, ChannelObservation[]>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  record(o: Omit<ChannelObservation, 'at'>): ChannelObservation {
    const observation = { ...o, at: this.now() };
    const list = this.history.get(o.channel) ?? [];
    list.push(observation);
    if (list.length > HISTORY) list.shift();
    this.history.set(o.channel, list);
    return observation;
  }

  /**
   * The newest observation that concerns this merchant: its own calls, or anybody's transport
   * failure (those are the channel's, not the merchant's), younger than `maxAgeMs`.
   */
  latest(channel: ChannelId, sellerId: string | undefined, maxAgeMs: number): ChannelObservation | undefined {
    const cutoff = this.now().getTime() - maxAgeMs;
    const list = this.history.get(channel) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i]!;
      if (o.at.getTime() < cutoff) return undefined;
      if (o.sellerId === sellerId || o.failure !== undefined) return o;
    }
    return undefined;
  }

  observationOf(
    channel: ChannelId,
    result: AnyResult,
    meta: { latencyMs: number; operation: string; sellerId: string | undefined; source: 'call' | 'probe' },
  ): Omit<ChannelObservation, 'at'> {
    const base = { channel, latencyMs: Math.round(meta.latencyMs), operation: meta.operation, source: meta.source, ...(meta.sellerId ? { sellerId: meta.sellerId } : {}) };
    if (result.kind === 'unknown') return { ...base, ok: false, failure: result.reason ?? 'network' };
    if (result.kind === 'declined' && result.decline && SETUP_CODES.has(result.decline.code)) {
      return { ...base, ok: false, code: result.decline.code, cause: result.decline.cause };
    }
    return { ...base, ok: true };
  }

  /**
   * Asks the channel about a trade that cannot exist: "not found" proves the route, the keys and
   * the merchant's permission in one cheap call, with no side effect.
   */
  async probe(channel: Channel, merchant: ChannelMerchant, timeoutMs: number): Promise<ChannelObservation> {
    const started = performance.now();
    const ref = { outTradeNo: `SPPROBE${Date.now().toString(36).toUpperCase()}`, merchant };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<AnyResult>((res) => {
      timer = setTimeout(() => res({ kind: 'unknown', reason: 'timeout' }), timeoutMs);
    });
    let result: AnyResult;
    try {
      result = await Promise.race([channel.query(ref), timeout]);
    } catch {
      result = { kind: 'unknown', reason: 'network' };
    } finally {
      clearTimeout(timer);
    }
    return this.record(
      this.observationOf(channel.id, result, {
        latencyMs: performance.now() - started,
        operation: 'probe',
        sellerId: merchant.sellerId,
        source: 'probe',
      }),
    );
  }
}

/** The calls whose outcome says something about the channel (every one that goes over the wire). */
const WATCHED: ReadonlySet<string> = new Set(['pay', 'query', 'cancel', 'refund', 'refundQuery', 'precreate', 'close', 'billDownloadUrl']);

/** An observed channel answers this with the channel it wraps. */
const UNWRAPPED = Symbol('scanpay.channel.unwrapped');

/**
 * The same channel, with every call's outcome reported to the monitor. A proxy, so a method the
 * Channel contract gains later passes through untouched instead of silently disappearing. An
 * already observed channel (a platform rebuilt on another's channels) is unwrapped first, so the
 * wrappers never stack up.
 */
export function observeChannel(observed: Channel, monitor: ChannelMonitor): Channel {
  const channel = ((observed as unknown as Record<symbol, Channel | undefined>)[UNWRAPPED] ?? observed) as Channel;
  const wrapped = new Map<string, unknown>();
  const watch = (operation: string, call: (req: { merchant?: ChannelMerchant }) => Promise<AnyResult>) =>
    async (req: { merchant?: ChannelMerchant }): Promise<AnyResult> => {
      const started = performance.now();
      const meta = () => ({ latencyMs: performance.now() - started, operation, sellerId: req?.merchant?.sellerId, source: 'call' as const });
      try {
        const result = await call(req);
        monitor.record(monitor.observationOf(channel.id, result, meta()));
        return result;
      } catch (err) {
        // A refusal raised before sending (an AppError, with its code) says nothing about the channel.
        if ((err as { code?: unknown })?.code === undefined) {
          monitor.record(monitor.observationOf(channel.id, { kind: 'unknown', reason: 'network' }, meta()));
        }
        throw err;
      }
    };
  return new Proxy(channel, {
    get(target, prop) {
      if (prop === UNWRAPPED) return target;
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof prop !== 'string' || !WATCHED.has(prop)) return (value as (...a: unknown[]) => unknown).bind(target);
      if (!wrapped.has(prop)) wrapped.set(prop, watch(prop, (req) => (value as (r: unknown) => Promise<AnyResult>).call(target, req)));
      return wrapped.get(prop);
    },
  });
}

export function observeChannels(
  channels: Partial<Record<ChannelId, Channel>>,
  monitor: ChannelMonitor,
): Partial<Record<ChannelId, Channel>> {
  const out: Partial<Record<ChannelId, Channel>> = {};
  for (const [id, channel] of Object.entries(channels) as [ChannelId, Channel][]) out[id] = observeChannel(channel, monitor);
  return out;
}
