import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '@scanpay/errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: device signatures and idempotency fingerprints cover it. */
    rawBody?: string;
  }
}

/** Terminal requests are small: 16 KiB, refused from Content-Length before the body is read. */
export const TERMINAL_BODY_LIMIT = 16 * 1024;

export const rawJsonPlugin = fp(async (app: FastifyInstance) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: TERMINAL_BODY_LIMIT },
    (request, body, done) => {
      const text = body as string;
      request.rawBody = text;
      if (text.length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new AppError('REQ_BODY_MALFORMED', { detail: 'the body is not valid JSON' }), undefined);
      }
    },
  );
});
