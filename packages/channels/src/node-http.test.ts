import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from './node-http.ts';

describe('nodeHttpFetch', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/slow') return setTimeout(() => res.end('late'), 500);
        if (req.url === '/redirect') {
          res.writeHead(302, { location: '/elsewhere' });
          return res.end();
        }
        if (req.url === '/drop') return req.socket.destroy();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts a form body and reads the answer', async () => {
    const res = await nodeHttpFetch(`${base}/gateway.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams({ a: '1', b: '中文' }),
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded;charset=utf-8', body: 'a=1&b=%E4%B8%AD%E6%96%87' });
  });

  it('raises a TimeoutError when the signal times out', async () => {
    const err = await nodeHttpFetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch((e) => e);
    expect(err.name).toBe('TimeoutError');
  });

  it('does not follow redirects', async () => {
    expect((await nodeHttpFetch(`${base}/redirect`)).status).toBe(302);
  });

  it('keeps the socket error code: refused (nothing sent) and reset (maybe processed)', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    expect((await nodeHttpFetch(`http://127.0.0.1:${port}/`).catch((e) => e)).code).toBe('ECONNREFUSED');
    expect((await nodeHttpFetch(`${base}/drop`, { method: 'POST', body: 'x' }).catch((e) => e)).code).toBe('ECONNRESET');
  });
});
