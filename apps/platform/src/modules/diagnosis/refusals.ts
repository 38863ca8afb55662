import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DEVICE_HEADERS } from '@scanpay/contracts';
import { isAppError } from '@scanpay/errors';
import type { Db } from '../../db/index.ts';
import { recordRefusal } from './store.ts';

/**
 * Remembers each device-auth refusal (TRM_*) per terminal and code, and for a skewed clock by
 * how much, so a later diagnosis can say "this terminal's clock was 10 minutes off" even after
 * the SDK learned the offset and its requests went through.
 */
export const refusalRecorderPlugin = fp(async (app: FastifyInstance, opts: { db: Db; now: () => number }) => {
  app.addHook('onError', async (request, _reply, error) => {
    if (request.routeOptions.config.auth !== 'device' || !isAppError(error) || !error.code.startsWith('TRM_')) return;
    const terminalId = request.headers[DEVICE_HEADERS.terminal];
    if (typeof terminalId !== 'string' || !/^trm_[0-9a-z]{26}$/.test(terminalId)) return;
    const stamp = request.headers[DEVICE_HEADERS.timestamp];
    const offset =
      error.code === 'TRM_TIMESTAMP_SKEW' && typeof stamp === 'string' && /^\d{13}$/.test(stamp) ? Number(stamp) - opts.now() : null;
    try {
      await recordRefusal(opts.db, terminalId, error.code, offset);
    } catch (err) {
      request.log.warn({ err }, 'could not record a device refusal');
    }
  });
});
