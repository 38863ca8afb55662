import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payment } from '@scanpay/contracts';
import { problemFor } from '@scanpay/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraCheckFromTestPattern } from './camera-check.ts';
import { ApiError, NetworkError, TerminalClient } from './client.ts';
import { diagnoseFailure, evidenceOfError, evidenceOfPayment } from './diagnose.ts';
import { skipReasons } from './self-check.ts';
import { generateDeviceKey } from './signing.ts';

/** A port nothing listens on: opened, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

const clientFor = async (baseUrl: string) =>
  new TerminalClient({ baseUrl, terminalId: 'trm_00000000000000000000000000', privateKey: (await generateDeviceKey()).privateKey }, { timeoutMs: 2_000 });

describe('failures as evidence', () => {
  let gateway: Server;
  let gatewayUrl = '';
  beforeAll(async () => {
    // A proxy in front of the platform that answers 502 with an HTML page, as proxies do.
    gateway = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>'));
    await new Promise<void>((res) => gateway.listen(0, '127.0.0.1', res));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((res) => gateway.close(() => res())));

  it('turns a refusal into its catalogue code and cause', () => {
    const err = new ApiError(403, problemFor('TRM_DEVICE_DISABLED'));
    expect(evidenceOfError(err, { operation: 'pay' })).toEqual([
      expect.objectContaining({ kind: 'error', code: 'TRM_DEVICE_DISABLED', cause: 'security.device_disabled', httpStatus: 403, operation: 'pay', origin: 'terminal' }),
    ]);
  });

  it('turns a refused connection into a platform transport failure that was never sent', async () => {
    const client = await clientFor(`http://127.0.0.1:${await closedPort()}`);
    const err = await client.request('GET', '/v1/payments').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(evidenceOfError(err)).toEqual([expect.objectContaining({ kind: 'transport', target: 'platform', failure: 'refused', notSent: true })]);
    expect(evidenceOfError(err, { online: false })[0]).toMatchObject({ failure: 'offline' });
  });

  it('turns an answer without a problem body into an http_status failure', async () => {
    const err = await (await clientFor(gatewayUrl)).request('GET', '/v1/payments').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(evidenceOfError(err)).toEqual([expect.objectContaining({ kind: 'transport', target: 'platform', failure: 'http_status', httpStatus: 502 })]);
  });

  it('reads a failed payment’s refusal with the channel’s codes, and nothing from a paid one', () => {
    const failed = {
      id: 'pay_1', outTradeNo: 'SP1', status: 'failed', pending: false, channel: 'alipay', decidedAt: '2026-01-01T00:00:00.000Z',
      failure: { code: 'CHN_BUYER_BALANCE_INSUFFICIENT', cause: 'buyer.balance_insufficient', action: 'other_method', message: { zh: '', en: '' }, remedy: { zh: '', en: '' }, channelCode: '40004', channelSubCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' },
    } as unknown as Payment;
    expect(evidenceOfPayment(failed)).toEqual([
      expect.objectContaining({ kind: 'error', code: 'CHN_BUYER_BALANCE_INSUFFICIENT', cause: 'buyer.balance_insufficient', rawCode: '40004', rawSubCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', channel: 'alipay' }),
    ]);
    expect(evidenceOfPayment({ ...failed, status: 'succeeded', failure: null })).toEqual([]);
  });

  it('diagnoses on the device when the platform does not answer', async () => {
    const client = await clientFor(`http://127.0.0.1:${await closedPort()}`);
    const failure = await client.request('GET', '/v1/payments').catch((e: unknown) => e);
    const result = await diagnoseFailure(client, { failure });
    expect(result.diagnosedBy).toBe('device');
    expect(result.incident).toBeUndefined();
    expect(result.diagnosis.causes[0]).toMatchObject({ cause: 'network.platform_unreachable' });
    expect(result.report?.skipped.map((s) => s.check)).toEqual(expect.arrayContaining(['dns', 'tls', 'clock', 'device_auth']));
  });

  it('diagnoses a proxy error page as the platform being unreachable', async () => {
    const client = await clientFor(gatewayUrl);
    const result = await diagnoseFailure(client, { failure: await client.request('GET', '/v1/payments').catch((e: unknown) => e) });
    expect(result.report?.evidence[0]).toMatchObject({ check: 'platform', ok: false, failure: 'http_status', httpStatus: 502 });
    expect(result.diagnosis.causes[0]?.cause).toBe('network.platform_unreachable');
  });
});

describe('the camera test against a known pattern', () => {
  it('passes when the pattern reads back, and is degraded when the frame is soft', () => {
    expect(cameraCheckFromTestPattern({ expectedText: 'SCANPAY-TEST', decodedText: 'SCANPAY-TEST', sharpness: 0.8 })).toMatchObject({ result: 'pass', decodedKnownPattern: true });
    expect(cameraCheckFromTestPattern({ expectedText: 'SCANPAY-TEST', decodedText: 'SCANPAY-TEST', sharpness: 0.2 })).toMatchObject({ result: 'degraded' });
  });

  it('fails when nothing or something else reads, and names a missing or blocked camera', () => {
    expect(cameraCheckFromTestPattern({ expectedText: 'SCANPAY-TEST', decodedText: null })).toMatchObject({ result: 'fail', decodedKnownPattern: false });
    expect(cameraCheckFromTestPattern({ expectedText: 'SCANPAY-TEST', decodedText: 'OTHER' })).toMatchObject({ result: 'fail' });
    expect(cameraCheckFromTestPattern({ expectedText: 'X', decodedText: null, cameraError: 'permission_denied' })).toMatchObject({ result: 'permission_denied' });
  });
});

describe('self-check texts', () => {
  it('says every skip reason in Chinese and in English', () => {
    for (const [key, text] of Object.entries(skipReasons)) {
      expect(text.zh, key).toMatch(/[\u4e00-\u9fff]/);
      expect(text.en, key).toMatch(/^[A-Z][^\u4e00-\u9fff]+$/);
    }
  });
});
