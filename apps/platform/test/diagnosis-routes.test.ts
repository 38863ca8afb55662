import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Incident, TerminalSelfStatus } from '@scanpay/contracts';
import { ApiError, newIdempotencyKey, selfCheck, TerminalClient } from '@scanpay/terminal-sdk';
import { describeEachBackend } from './db-backends.ts';
import { registerTerminal } from './diagnosis-support.ts';
import { type Harness, startHarness } from './harness.ts';

const probes = async (h: Harness) =>
  (await h.simAdmin<{ counts: Record<string, number> }>('GET', '/__sim/calls')).counts['alipay.trade.query'] ?? 0;

describeEachBackend('diagnosis routes', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  }, 60_000);
  afterAll(() => h?.close());

  it('tells the time without a signature, so a refused clock can still be measured', async () => {
    const before = Date.now();
    const res = await fetch(`${h.baseUrl}/v1/time`);
    const body = (await res.json()) as { serverTime: string; epochMs: number };
    expect(res.status).toBe(200);
    expect(body.epochMs).toBeGreaterThanOrEqual(before - 1);
    expect(body.epochMs).toBeLessThanOrEqual(Date.now() + 1);
    expect(Date.parse(body.serverTime)).toBe(body.epochMs);
  });

  it('shows a terminal its own status only when signed, and probes the channel only when nothing recent is known', async () => {
    const unsigned = await fetch(`${h.baseUrl}/v1/terminals/self/status`);
    expect(((await unsigned.json()) as { code: string }).code).toBe('TRM_SIGNATURE_MISSING');

    const before = await probes(h);
    const first = await h.client.request<TerminalSelfStatus>('GET', '/v1/terminals/self/status');
    expect(first).toMatchObject({
      terminal: { id: h.terminalId, status: 'active' },
      merchant: { id: h.merchantId, status: 'active' },
      compatibility: { app: { minimum: '0.1.0' } },
      channels: [{ id: 'alipay', ok: true, source: 'probe' }],
    });
    expect(await probes(h)).toBe(before + 1);
    await h.client.request('GET', '/v1/terminals/self/status');
    expect(await probes(h)).toBe(before + 1);

    const paid = await h.client.createPayment({ amount: '3.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(paid.status).toBe('succeeded');
    const after = await h.client.request<TerminalSelfStatus>('GET', '/v1/terminals/self/status');
    expect(after.channels[0]).toMatchObject({ ok: true, source: 'call' });
    expect(after.merchant).toMatchObject({ productSigned: true, contract: 'valid' });
  });

  it('refuses evidence that is not evidence, before storing anything', async () => {
    const bad = [{ kind: 'rumour', code: 'X' }];
    await expect(h.client.request('POST', '/v1/diagnosis', { evidence: bad })).rejects.toMatchObject({ code: 'REQ_VALIDATION' });
    const tooMany = Array.from({ length: 51 }, () => ({ kind: 'self_check', check: 'clock', offsetMs: 0 }));
    await expect(h.client.request('POST', '/v1/diagnosis', { evidence: tooMany })).rejects.toBeInstanceOf(ApiError);
    const { rows } = await h.db.query<{ n: number }>('select count(*)::int as n from incidents');
    expect(rows[0]!.n).toBe(0);
  });

  it('stores an incident with the platform’s evidence after the terminal’s, and gives it back by id', async () => {
    const incident = await h.client.request<Incident>('POST', '/v1/diagnosis', {
      evidence: [{ kind: 'error', code: 'CHN_PAYCODE_INVALID', cause: 'buyer.code_expired_or_used' }],
    });
    expect(incident.id).toMatch(/^inc_[0-9a-z]{26}$/);
    expect(incident.topCause).toBe('buyer.code_expired_or_used');
    expect(incident.evidence[0]).toMatchObject({ kind: 'error', code: 'CHN_PAYCODE_INVALID' });
    // The terminal sent no self-check: the platform adds its view of the channel and of the merchant.
    expect(incident.evidence.slice(1)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'self_check', check: 'channel', ok: true, origin: 'platform' }),
        expect.objectContaining({ kind: 'self_check', check: 'merchant', status: 'active', origin: 'platform' }),
      ]),
    );
    const top = incident.diagnosis.causes[0]!;
    expect(top.supportingEvidence[0]).toMatchObject({ evidenceIndex: 0, evidence: { code: 'CHN_PAYCODE_INVALID' } });

    const again = await h.client.request<Incident>('GET', `/v1/diagnosis/${incident.id}`);
    expect(again).toEqual(incident);
    const stored = await h.db.query<{ top_cause: string; diagnosis: { causes: { supportingEvidence: object[] }[] } }>(
      'select top_cause, diagnosis from incidents where id = $1',
      [incident.id],
    );
    expect(stored.rows[0]!.top_cause).toBe('buyer.code_expired_or_used');
    expect(stored.rows[0]!.diagnosis.causes[0]!.supportingEvidence[0]).not.toHaveProperty('evidence');
    await expect(h.client.request('GET', '/v1/diagnosis/inc_00000000000000000000000000')).rejects.toMatchObject({ code: 'REQ_NOT_FOUND' });
  });

  it('records a skewed clock’s refusal with the offset, and tells it in a later diagnosis that has no clock check', async () => {
    const { id, client } = await registerTerminal(h, { now: () => Date.now() - 420_000 });
    await client!.request('GET', '/v1/terminals/self/status'); // refused once, then signed with the learned offset
    await expect(
      new TerminalClient({ ...client!.credentials, terminalId: 'trm_00000000000000000000000000' }, { now: () => Date.now() - 420_000 })
        .request('GET', '/v1/terminals/self/status'),
    ).rejects.toMatchObject({ code: 'TRM_UNKNOWN_DEVICE' });
    const { rows } = await h.db.query<{ terminal_id: string; code: string; count: number; offset: number }>(
      'select terminal_id, code, count::int as count, last_clock_offset_ms::float8 as offset from terminal_refusals',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ terminal_id: id, code: 'TRM_TIMESTAMP_SKEW', count: 1 });
    expect(Math.abs(rows[0]!.offset + 420_000)).toBeLessThan(2_000);

    const incident = await client!.request<Incident>('POST', '/v1/diagnosis', { evidence: [] });
    expect(incident.evidence).toContainEqual(expect.objectContaining({ kind: 'self_check', check: 'clock', reference: 'platform', origin: 'platform' }));
    expect(incident.topCause).toBe('network.clock_skew');
    // The terminal's own measurement wins over the platform's record.
    const measured = await client!.request<Incident>('POST', '/v1/diagnosis', { evidence: [{ kind: 'self_check', check: 'clock', offsetMs: 200 }] });
    expect(measured.evidence.filter((e) => e.check === 'clock')).toHaveLength(1);
    expect(measured.topCause).toBeNull();
  });

  it('self-checks over plain loopback http: DNS and TLS are skipped, not passed', async () => {
    const report = await selfCheck(h.client, { appVersion: '0.1.0' });
    expect(report.platformReachable).toBe(true);
    expect(report.deviceAuthOk).toBe(true);
    expect(report.skipped.map((s) => s.check)).toEqual(expect.arrayContaining(['dns', 'tls', 'link']));
    expect(report.evidence.map((e) => e.check)).toEqual(['platform', 'clock', 'device_auth', 'merchant', 'channel', 'version']);
    expect(report.evidence.find((e) => e.check === 'clock')).toMatchObject({ reference: 'platform' });
    expect(Math.abs((report.evidence.find((e) => e.check === 'clock') as { offsetMs: number }).offsetMs)).toBeLessThan(1_000);
  });
});
