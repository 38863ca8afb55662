import type { FastifyInstance } from 'fastify';
import type { Channel, ChannelId } from '@scanpay/channels';
import type { Db } from '../../db/index.ts';
import { ChannelMonitor, observeChannels } from './channel-monitor.ts';
import { type CompatibilityPolicy, DEFAULT_COMPATIBILITY } from './compatibility.ts';
import { refusalRecorderPlugin } from './refusals.ts';
import { diagnosisRoutes } from './routes.ts';
import { diagnoseUndecidedPayment } from './undecided-payment.ts';
import { DEFAULT_CHANNEL_FRESH_MS, DEFAULT_PROBE_TIMEOUT_MS, type DiagnosisDeps } from './self-status.ts';

export { ChannelMonitor } from './channel-monitor.ts';
export type { ChannelObservation } from './channel-monitor.ts';
export { DEFAULT_COMPATIBILITY } from './compatibility.ts';
export type { CompatibilityPolicy } from './compatibility.ts';

export interface DiagnosisOptions {
  compatibility?: CompatibilityPolicy;
  channelFreshMs?: number;
  probeTimeoutMs?: number;
}

export interface DiagnosisModule {
  /** The channels to hand to every other module: the same channels, watched by the monitor. */
  channels: Partial<Record<ChannelId, Channel>>;
  monitor: ChannelMonitor;
  deps: DiagnosisDeps;
  /** Registers the refusal recorder (on every device-signed route) and the diagnosis routes. */
  register(app: FastifyInstance): Promise<void>;
  /** Diagnoses a payment that is still undecided past its alert deadline; returns the incident id. */
  diagnoseUndecidedPayment(paymentId: string): Promise<string | undefined>;
}

export function createDiagnosisModule(p: {
  db: Db;
  channels: Partial<Record<ChannelId, Channel>>;
  now: () => Date;
  options?: DiagnosisOptions;
}): DiagnosisModule {
  const monitor = new ChannelMonitor(p.now);
  const channels = observeChannels(p.channels, monitor);
  const deps: DiagnosisDeps = {
    db: p.db,
    channels,
    monitor,
    compatibility: p.options?.compatibility ?? DEFAULT_COMPATIBILITY,
    now: p.now,
    channelFreshMs: p.options?.channelFreshMs ?? DEFAULT_CHANNEL_FRESH_MS,
    probeTimeoutMs: p.options?.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
  };
  return {
    channels,
    monitor,
    deps,
    diagnoseUndecidedPayment: (paymentId) => diagnoseUndecidedPayment(deps, paymentId),
    register: async (app) => {
      await app.register(refusalRecorderPlugin, { db: p.db, now: () => p.now().getTime() });
      await app.register(async (scope) => diagnosisRoutes(scope, deps));
    },
  };
}
