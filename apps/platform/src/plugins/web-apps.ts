/**
 * Serves the built web apps: the cashier app (apps/terminal, `vite build` → dist/) at /terminal/.
 * `npm install` builds it (the root `prepare` script); when the build is missing, /terminal says
 * how to make it instead of a bare 404. The pages may load nothing from another host: the CSP
 * below allows only this origin (the decoders' .wasm included) and the camera for this origin.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface WebAppsOptions {
  /** The terminal app's build folder; default: apps/terminal/dist in this checkout. */
  terminalDist?: string;
}

export const DEFAULT_TERMINAL_DIST = resolve(import.meta.dirname, '../../../terminal/dist');

const CSP = [
  "default-src 'self'",
  // 'wasm-unsafe-eval': compiling the decoders' WebAssembly; nothing else is evaluated.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

const NOT_BUILT =
  'The cashier app is not built yet.\n' +
  'Run `npm run build -w @scanpay/terminal` (or `npm install`, which builds it), then reload this page.\n\n' +
  '收银应用尚未构建：请运行 `npm run build -w @scanpay/terminal`（`npm install` 也会构建），然后刷新本页。\n';

export async function webAppsPlugin(app: FastifyInstance, opts: WebAppsOptions = {}): Promise<void> {
  const dist = opts.terminalDist ?? DEFAULT_TERMINAL_DIST;
  const built = existsSync(join(dist, 'index.html'));

  app.get('/terminal', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/terminal/', 302));

  if (!built) {
    app.log.warn({ dist }, 'the cashier app is not built: /terminal answers with how to build it');
    const notBuilt = async (_request: unknown, reply: import('fastify').FastifyReply) =>
      reply.status(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    app.get('/terminal/', { schema: { hide: true } }, notBuilt);
    app.get('/terminal/*', { schema: { hide: true } }, notBuilt);
    return;
  }

  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: dist,
      prefix: '/terminal/',
      decorateReply: false, // the API docs plugin decorates reply.sendFile already
      index: ['index.html'],
      setHeaders: (reply, path) => {
        reply.header('content-security-policy', CSP);
        reply.header('permissions-policy', 'camera=(self)');
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'no-referrer');
        // Hashed assets never change; the page itself is always asked for again (new builds).
        reply.header('cache-control', path.startsWith(join(dist, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
      cacheControl: false,
    });
  });
}
