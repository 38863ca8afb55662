import type { Channel, ChannelId } from '@scanpay/channels';
import { createAlipayChannel } from '@scanpay/channels/alipay';
import { nodeHttpFetch } from '@scanpay/channels/node-http';
import { Secret } from '@scanpay/contracts';
import type { AlipayAccountConfig } from './config.ts';

/** The channels this platform can charge through, built once from configuration. */
export function createChannels(
  config: { alipay?: AlipayAccountConfig },
  opts: { payTimeoutMs?: number } = {},
): Partial<Record<ChannelId, Channel>> {
  const channels: Partial<Record<ChannelId, Channel>> = {};
  if (config.alipay) {
    channels.alipay = createAlipayChannel({
      appId: config.alipay.appId,
      privateKey: new Secret(config.alipay.privateKeyPem),
      alipayPublicKey: config.alipay.alipayPublicKeyPem,
      gatewayUrl: config.alipay.gatewayUrl,
      fetch: nodeHttpFetch,
      ...(opts.payTimeoutMs ? { timeouts: { payMs: opts.payTimeoutMs } } : {}),
    });
  }
  return channels;
}
