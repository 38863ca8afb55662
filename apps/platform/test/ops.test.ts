import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activate, exportPublicJwk, newIdempotencyKey } from '@scanpay/terminal-sdk';
import { configureFailpoints, failpointsActive } from '../src/lib/failpoints.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, OPERATOR_TOKEN, startHarness } from './harness.ts';

describeEachBackend('the operator API', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h?.close());

  const ops = (path: string, init: RequestInit = {}, token = OPERATOR_TOKEN) =>
    fetch(`${h.baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });

  it('refuses a missing or wrong token', async () => {
    expect((await fetch(`${h.baseUrl}/v1/ops/ledger`)).status).toBe(401);
    const wrong = await ops('/v1/ops/ledger', {}, 'not-the-token-at-all-0000000');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).code).toBe('OPS_UNAUTHORIZED');
  });

  it('registers a terminal whose one-time code activates a device that can pay', async () => {
    const res = await ops('/v1/ops/terminals', { method: 'POST', body: JSON.stringify({ serial: 'POS-OPS-1' }) });
    expect(res.status).toBe(200);
    const { activationCode, terminalId } = await res.json();
    const device = await activate({ baseUrl: h.baseUrl, activationCode, serial: 'POS-OPS-1' });
    expect(device.response.terminalId).toBe(terminalId);
    const payment = await device.client.createPayment({ amount: '8.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(payment.status).toBe('succeeded');
    const again = await fetch(`${h.baseUrl}/v1/terminals/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ activationCode, serial: 'POS-OPS-1', publicKey: await exportPublicJwk(device.keyPair.publicKey) }),
    });
    expect((await again.json()).code).toBe('TRM_ACTIVATION_CODE_INVALID');
  });

  it('exports payments and a balanced ledger', async () => {
    const payments = (await (await ops('/v1/ops/payments')).json()).payments as { status: string; amountFen: number }[];
    expect(payments.some((p) => p.status === 'succeeded' && p.amountFen === 800)).toBe(true);
    const ledger = await (await ops('/v1/ops/ledger')).json();
    expect(ledger.sumFen).toBe(0);
    expect(ledger.accounts.find((a: { account: string }) => a.account === 'channel:alipay:clearing').balanceFen).toBe(800);
    const resolution = await (await ops('/v1/ops/resolution')).json();
    expect(resolution).toMatchObject({ activeJobs: 0, pendingPayments: 0 });
  });
});

describe('failpoints', () => {
  it('refuses an unknown point and accepts the documented ones', () => {
    expect(() => configureFailpoints('pay.nowhere=@1')).toThrow(/unknown/);
    configureFailpoints('pay.after_intent=@3,resolve.during_cancel=0.5');
    expect(failpointsActive()).toBe(true);
    configureFailpoints(undefined);
    expect(failpointsActive()).toBe(false);
  });
});
