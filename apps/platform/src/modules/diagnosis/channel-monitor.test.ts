import { describe, expect, it } from 'vitest';
import type { Channel } from '@scanpay/channels';
import { AppError } from '@scanpay/errors';
import { ChannelMonitor, observeChannel } from './channel-monitor.ts';

/** Just enough of a channel to watch the wrapper; the service tests use the real simulator. */
function scripted(answers: unknown[]) {
  const calls: string[] = [];
  const channel = {
    id: 'alipay',
    notificationAck: 'success',
    label: 'extra',
    async pay() {
      calls.push('pay');
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    },
    async query() {
      calls.push('query');
      return { kind: 'not_found' };
    },
    somethingNew() {
      return this.label;
    },
  };
  return { channel: channel as unknown as Channel & { somethingNew(): string }, calls };
}

const merchant = { sellerId: '2088000000000001' };
const req = { outTradeNo: 'SP1', amountFen: 1, subject: 's', merchant } as never;

describe('the channel monitor', () => {
  it('records every answer: transport failures for everybody, set-up refusals for the merchant', async () => {
    let now = 1_000_000;
    const monitor = new ChannelMonitor(() => new Date(now));
    const { channel } = scripted([
      { kind: 'unknown', reason: 'timeout', detail: '' },
      { kind: 'declined', decline: { code: 'CHN_PRODUCT_NOT_SIGNED', cause: 'account.product_not_signed', action: 'stop', rawCode: '40006' } },
      { kind: 'declined', decline: { code: 'CHN_BUYER_BALANCE_INSUFFICIENT', cause: 'buyer.balance_insufficient', action: 'other_method', rawCode: '40004' } },
    ]);
    const watched = observeChannel(channel, monitor);
    await watched.pay(req);
    expect(monitor.latest('alipay', 'someone-else', 30_000)).toMatchObject({ ok: false, failure: 'timeout', operation: 'pay' });
    now += 1_000;
    await watched.pay(req);
    expect(monitor.latest('alipay', merchant.sellerId, 30_000)).toMatchObject({ ok: false, code: 'CHN_PRODUCT_NOT_SIGNED', cause: 'account.product_not_signed' });
    // Another merchant's set-up refusal is not this merchant's problem: it still sees the older timeout.
    expect(monitor.latest('alipay', 'someone-else', 30_000)).toMatchObject({ failure: 'timeout' });
    await watched.pay(req);
    expect(monitor.latest('alipay', merchant.sellerId, 30_000)).toMatchObject({ ok: true });
    now += 60_000;
    expect(monitor.latest('alipay', merchant.sellerId, 30_000)).toBeUndefined();
  });

  it('passes calls and unknown methods through, and ignores refusals raised before sending', async () => {
    const monitor = new ChannelMonitor();
    const { channel, calls } = scripted([new AppError('REQ_VALIDATION')]);
    const watched = observeChannel(channel, monitor) as typeof channel;
    await expect(watched.pay(req)).rejects.toBeInstanceOf(AppError);
    expect(monitor.latest('alipay', merchant.sellerId, 30_000)).toBeUndefined();
    expect(watched.somethingNew()).toBe('extra');
    expect(watched.notificationAck).toBe('success');
    await expect(monitor.probe(watched, merchant, 1_000)).resolves.toMatchObject({ ok: true, source: 'probe', operation: 'probe' });
    expect(calls).toEqual(['pay', 'query']);
  });

  it('calls a probe that outlasts its timeout a timeout', async () => {
    const monitor = new ChannelMonitor();
    const slow = { id: 'alipay', query: () => new Promise((res) => setTimeout(() => res({ kind: 'not_found' }), 500)) } as unknown as Channel;
    await expect(monitor.probe(slow, merchant, 50)).resolves.toMatchObject({ ok: false, failure: 'timeout' });
  });
});

describe('observing a channel twice', () => {
  it('watches the original once per monitor instead of stacking wrappers', async () => {
    const first = new ChannelMonitor();
    const second = new ChannelMonitor();
    const { channel, calls } = scripted([{ kind: 'succeeded', tradeNo: '1', amountFen: 1 }]);
    const again = observeChannel(observeChannel(channel, first), second);
    await again.pay(req);
    expect(calls).toEqual(['pay']);
    expect(second.latest('alipay', merchant.sellerId, 30_000)).toMatchObject({ ok: true });
    expect(first.latest('alipay', merchant.sellerId, 30_000)).toBeUndefined();
  });
});
