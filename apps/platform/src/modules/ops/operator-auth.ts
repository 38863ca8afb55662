import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '@scanpay/errors';
import { sha256Hex } from '../../lib/hash.ts';

/**
 * The operator API (`/v1/ops/…`) is for the acquirer's tools (chaos runs, reconciliation, the
 * console to come): a bearer token, from SCANPAY_OPERATOR_TOKEN or generated once into the data
 * folder with mode 0600. Compared in constant time.
 */
export function loadOrCreateOperatorToken(dataDir: string): string {
  const file = join(dataDir, 'operator-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export const operatorAuthPlugin = fp(async (app: FastifyInstance, opts: { token?: string }) => {
  const expected = opts.token ? Buffer.from(sha256Hex(opts.token), 'hex') : undefined;
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.auth !== 'operator') return;
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!expected || !given || !timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), expected)) {
      throw new AppError('OPS_UNAUTHORIZED');
    }
  });
});
