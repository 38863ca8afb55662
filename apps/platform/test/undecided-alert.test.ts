import { afterAll, beforeAll, expect, it } from 'vitest';
import { newIdempotencyKey } from '@scanpay/terminal-sdk';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * A payment the channel never answers for stays undecided; past the alert deadline it raises an
 * alert with a diagnosis stored as an incident, and resolution keeps going until the channel
 * answers — it is never dropped.
 */
describeEachBackend('a payment that cannot be decided', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend, { timings: { alertAfterMs: 300, cancelRetryMaxMs: 50, waitForBuyerMs: 100 } });
  });
  afterAll(() => h?.close());

  it('raises one alert with a diagnosis, keeps resolving, and settles when the channel is back', async () => {
    await h.simAdmin('PUT', '/__sim/faults', { rules: [{ kind: 'http_500' }] }); // every call, every method
    const payment = await h.client.createPayment({ amount: '4.56', authCode: await h.newCode() }, newIdempotencyKey());
    expect(payment.status).toBe('processing');

    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await h.platform.worker.runDue();
    }
    const alerts = await h.db.query<{ data: { incidentId?: string } }>(
      `select data from payment_events where payment_id = $1 and type = 'resolution.alert'`,
      [payment.id],
    );
    expect(alerts.rows).toHaveLength(1);
    const incidentId = alerts.rows[0]?.data.incidentId;
    expect(incidentId).toMatch(/^inc_/);
    const incident = await h.db.query<{ top_cause: string; terminal_id: string }>('select top_cause, terminal_id from incidents where id = $1', [incidentId]);
    expect(incident.rows[0]).toMatchObject({ top_cause: 'network.channel_unreachable', terminal_id: h.terminalId });
    expect((await h.client.getPayment(payment.id)).pending).toBe(true);
    const job = await h.db.query<{ state: string }>('select state from resolution_jobs where payment_id = $1', [payment.id]);
    expect(job.rows[0]?.state).toBe('active');

    await h.simAdmin('DELETE', '/__sim/faults');
    for (let i = 0; i < 20 && (await h.client.getPayment(payment.id)).pending; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await h.platform.worker.runDue();
    }
    const settled = await h.client.getPayment(payment.id);
    expect(settled.pending).toBe(false);
    expect(['cancelled', 'reversed', 'succeeded']).toContain(settled.status);
  });
});
