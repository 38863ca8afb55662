import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { transportFailureOf } from './transport.ts';

const nodeError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

describe('transportFailureOf', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['ENETUNREACH', 'offline'],
    ['EWHATEVER', 'network'],
  ])('%s → %s', (code, failure) => {
    expect(transportFailureOf(nodeError(code))).toBe(failure);
  });

  it('reads timeouts by name, and a browser that knows it is offline', () => {
    expect(transportFailureOf(new DOMException('signal timed out', 'TimeoutError'))).toBe('timeout');
    expect(transportFailureOf(new TypeError('Failed to fetch'))).toBe('network');
    expect(transportFailureOf(new TypeError('Failed to fetch'), { online: false })).toBe('offline');
    expect(transportFailureOf('not an error')).toBe('network');
  });

  it('classifies a real refused connection from fetch', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(transportFailureOf(err)).toBe('refused');
  });
});
