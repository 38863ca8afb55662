import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SCAN_PROFILE, type ScanProfile } from '@scanpay/contracts';
import { activate, ApiError, TerminalClient } from '@scanpay/terminal-sdk';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, OPERATOR_TOKEN, startHarness } from './harness.ts';

const STORE_PROFILE: ScanProfile = {
  ...DEFAULT_SCAN_PROFILE,
  name: 'counter-left',
  width: 1920,
  height: 1080,
  region: { x: 0.1, y: 0.2, width: 0.5, height: 0.6 },
  frameIntervalMs: 150,
  torch: true,
};

describeEachBackend('scan profiles set by the operator', (backend) => {
  let h: Harness;
  /** A second activated terminal of the same merchant. */
  let other: TerminalClient;
  let otherId: string;

  beforeAll(async () => {
    h = await startHarness(backend);
    const reg = await ops('/v1/ops/terminals', 'POST', { serial: 'POS-PROFILE-2' });
    const { activationCode } = await reg.json();
    const device = await activate({ baseUrl: h.baseUrl, activationCode, serial: 'POS-PROFILE-2' });
    other = device.client;
    otherId = device.response.terminalId;
  });
  afterAll(() => h?.close());

  function ops(path: string, method = 'GET', body?: unknown, token: string | null = OPERATOR_TOKEN) {
    return fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  it('gives a terminal the built-in default until the operator sets one', async () => {
    const config = await h.client.getConfig();
    expect(config.scanProfile).toEqual({ profile: DEFAULT_SCAN_PROFILE, version: 0, source: 'builtin', updatedAt: null });
  });

  it('lets the narrowest scope win: terminal over merchant over fleet, and falls back when one is removed', async () => {
    const fleet = { ...DEFAULT_SCAN_PROFILE, name: 'fleet-720p' };
    expect((await ops('/v1/ops/scan-profile', 'PUT', { profile: fleet })).status).toBe(200);
    expect((await h.client.getConfig()).scanProfile).toMatchObject({ profile: fleet, source: 'fleet' });

    const merchant = { ...DEFAULT_SCAN_PROFILE, name: 'merchant-center', region: { x: 0.2, y: 0.15, width: 0.6, height: 0.7 } };
    expect((await ops(`/v1/ops/merchants/${h.merchantId}/scan-profile`, 'PUT', { profile: merchant })).status).toBe(200);
    const put = await ops(`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'PUT', { profile: STORE_PROFILE });
    expect(put.status).toBe(200);
    const view = await put.json();
    expect(view).toMatchObject({ terminalId: h.terminalId, override: STORE_PROFILE, effective: { profile: STORE_PROFILE, source: 'terminal' } });

    // What the operator reads is what the terminal gets.
    const mine = (await h.client.getConfig()).scanProfile;
    expect(mine).toEqual(view.effective);
    expect(mine.version).toBeGreaterThan(0);
    // The other terminal of the merchant has no override of its own: the merchant's applies.
    expect((await other.getConfig()).scanProfile).toMatchObject({ profile: merchant, source: 'merchant' });

    // A change takes a new version, so the terminal can tell it has to apply it.
    const tweaked = { ...STORE_PROFILE, frameIntervalMs: 200 };
    await ops(`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'PUT', { profile: tweaked });
    const after = (await h.client.getConfig()).scanProfile;
    expect(after.profile.frameIntervalMs).toBe(200);
    expect(after.version).not.toBe(mine.version);

    const cleared = await (await ops(`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'DELETE')).json();
    expect(cleared).toMatchObject({ override: null, effective: { profile: merchant, source: 'merchant' } });
    await ops(`/v1/ops/merchants/${h.merchantId}/scan-profile`, 'DELETE');
    expect((await h.client.getConfig()).scanProfile).toMatchObject({ profile: fleet, source: 'fleet' });
    await ops('/v1/ops/scan-profile', 'DELETE');
    expect((await h.client.getConfig()).scanProfile.source).toBe('builtin');
  });

  it('refuses a bad profile with OPS_SCAN_PROFILE_INVALID, one line per broken field, and keeps the old one', async () => {
    await ops(`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'PUT', { profile: STORE_PROFILE });
    const bad = {
      ...STORE_PROFILE,
      width: 20_000,
      region: { x: 0.6, y: 0, width: 0.6, height: 1 }, // runs off the right edge
      frameIntervalMs: -5,
      facingMode: 'sideways',
    };
    const res = await ops(`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'PUT', { profile: bad });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem).toMatchObject({ code: 'OPS_SCAN_PROFILE_INVALID', cause: 'configuration.scan_profile_invalid', retryable: false });
    expect(problem.message.zh).toContain('扫码配置无效');
    expect(problem.message.en).toContain('scan profile is invalid');
    expect(problem.problems.map((p: { field: string }) => p.field).sort()).toEqual(['facingMode', 'frameIntervalMs', 'region', 'resolution']);

    // The region alone: inside 0..1 field by field, but not inside the frame.
    const offEdge = await ops(`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'PUT', { profile: { ...STORE_PROFILE, region: { x: 0.6, y: 0, width: 0.6, height: 1 } } });
    expect(offEdge.status).toBe(422);
    expect((await offEdge.json()).problems).toEqual([expect.objectContaining({ field: 'region' })]);
    // Fractions outside 0..1, a region too small to hold a code, an unknown field, no profile at all.
    for (const body of [
      { profile: { ...STORE_PROFILE, region: { x: -0.1, y: 0, width: 0.5, height: 0.5 } } },
      { profile: { ...STORE_PROFILE, region: { x: 0.4, y: 0.4, width: 0.05, height: 0.05 } } },
      { profile: { ...STORE_PROFILE, exposure: 3 } },
      { profile: { ...STORE_PROFILE, width: 1280.5 } },
      {},
    ]) {
      const r = await ops('/v1/ops/scan-profile', 'PUT', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect((await r.json()).code).toBe('OPS_SCAN_PROFILE_INVALID');
    }
    // Not JSON at all is a malformed request, not a bad profile.
    const garbled = await fetch(`${h.baseUrl}/v1/ops/scan-profile`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      body: '{"profile": ',
    });
    expect((await garbled.json()).code).toBe('REQ_BODY_MALFORMED');

    // Nothing was saved: the terminal still runs the last good profile, and the fleet has none.
    expect((await h.client.getConfig()).scanProfile.profile).toEqual(STORE_PROFILE);
    expect((await (await ops('/v1/ops/scan-profile')).json()).source).toBe('builtin');
  });

  it('answers 404 OPS_NOT_FOUND for a terminal or merchant that does not exist', async () => {
    const t = await ops('/v1/ops/terminals/trm_nope/scan-profile', 'PUT', { profile: STORE_PROFILE });
    expect(t.status).toBe(404);
    expect((await t.json()).code).toBe('OPS_NOT_FOUND');
    const m = await ops('/v1/ops/merchants/mch_nope/scan-profile', 'PUT', { profile: STORE_PROFILE });
    expect((await m.json()).code).toBe('OPS_NOT_FOUND');
  });

  it('lets only the operator set or read profiles, and each terminal read only its own', async () => {
    for (const [path, method, body] of [
      ['/v1/ops/scan-profile', 'PUT', { profile: STORE_PROFILE }],
      [`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'GET', undefined],
      [`/v1/ops/terminals/${h.terminalId}/scan-profile`, 'PUT', { profile: STORE_PROFILE }],
      [`/v1/ops/merchants/${h.merchantId}/scan-profile`, 'DELETE', undefined],
    ] as const) {
      const none = await ops(path, method, body, null);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect((await none.json()).code).toBe('OPS_UNAUTHORIZED');
      expect((await ops(path, method, body, 'a-wrong-token-of-decent-length')).status).toBe(401);
    }
    // Even a bad profile without a token is refused for the token, never validated.
    expect((await ops('/v1/ops/scan-profile', 'PUT', { profile: { width: 1 } }, null)).status).toBe(401);

    // The terminal route wants a device signature.
    const unsigned = await fetch(`${h.baseUrl}/v1/terminals/self/config`);
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).code).toBe('TRM_SIGNATURE_MISSING');
    // The other terminal's key, claiming to be this terminal: the signature does not verify.
    const impostor = new TerminalClient({ baseUrl: h.baseUrl, terminalId: h.terminalId, privateKey: other.credentials.privateKey });
    const refused = await impostor.getConfig().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('TRM_SIGNATURE_INVALID');
    // Signed as itself, the other terminal gets its own profile, never this terminal's override.
    expect((await h.client.getConfig()).scanProfile.source).toBe('terminal');
    const own = (await other.getConfig()).scanProfile;
    expect(own.source).not.toBe('terminal');
    expect(own.profile).not.toEqual(STORE_PROFILE);
    expect(otherId).not.toBe(h.terminalId);
  });

  it('lists the routes in the OpenAPI document served at /docs', async () => {
    const doc = await (await fetch(`${h.baseUrl}/docs/json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/terminals/self/config', '/v1/ops/scan-profile', '/v1/ops/terminals/{terminalId}/scan-profile', '/v1/ops/merchants/{merchantId}/scan-profile']),
    );
    expect(doc.paths['/v1/ops/terminals/{terminalId}/scan-profile'].put.requestBody).toBeDefined();
  });
});
