import type { ChannelDecline, ChannelUnknown } from '@scanpay/channels';
import { AppError } from '@scanpay/errors';

/**
 * One channel call, never a throw. A refusal at the channel's edge (an AppError: bad input caught
 * before sending) means nothing was sent: a local decline. Anything else thrown might have been sent:
 * unknown, which resolution settles by query.
 */
export async function sendOnce<R>(send: () => Promise<R>): Promise<R | { kind: 'declined'; decline: ChannelDecline } | ChannelUnknown> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof AppError) {
      return {
        kind: 'declined',
        decline: { code: err.code, cause: err.causeId, action: 'stop', rawCode: 'local', rawMessage: err.message },
      };
    }
    return { kind: 'unknown', reason: 'network', detail: `channel adapter threw: ${(err as Error).message}` };
  }
}
