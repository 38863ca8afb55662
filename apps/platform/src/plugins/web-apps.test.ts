import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { webAppsPlugin } from './web-apps.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeBuild(): string {
  const dist = mkdtempSync(join(tmpdir(), 'scanpay-webapps-'));
  dirs.push(dist);
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>cashier</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'zxing_reader-abc.wasm'), Buffer.from([0, 97, 115, 109]));
  return dist;
}

async function appWith(terminalDist: string) {
  const app = Fastify({ logger: false });
  await app.register(webAppsPlugin, { terminalDist });
  await app.ready();
  return app;
}

describe('serving the cashier app at /terminal', () => {
  it('serves the page with a same-origin-only CSP, and hashed assets (wasm too) as immutable', async () => {
    const app = await appWith(fakeBuild());
    const page = await app.inject('/terminal/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('cashier');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).not.toMatch(/https?:/);
    expect(page.headers['permissions-policy']).toBe('camera=(self)');
    expect(page.headers['cache-control']).toBe('no-cache');

    const wasm = await app.inject('/terminal/assets/zxing_reader-abc.wasm');
    expect(wasm.statusCode).toBe(200);
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.headers['cache-control']).toContain('immutable');

    expect((await app.inject('/terminal')).headers.location).toBe('/terminal/');
    expect((await app.inject('/terminal/assets/nope.js')).statusCode).toBe(404);
    await app.close();
  });

  it('says how to build the app when the build is missing', async () => {
    const app = await appWith(join(tmpdir(), 'scanpay-no-such-dist'));
    for (const url of ['/terminal/', '/terminal/assets/x.js']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build -w @scanpay/terminal');
      expect(res.body).toContain('收银应用尚未构建');
    }
    await app.close();
  });
});
