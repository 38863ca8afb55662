import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ActivateRequest, ActivateResponse } from '@scanpay/contracts';
import type { Db } from '../../db/index.ts';
import { activateTerminal } from './activate.ts';

export async function terminalRoutes(app: FastifyInstance, opts: { db: Db }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/terminals/activate',
    {
      schema: {
        tags: ['terminals'],
        summary: 'Activate a terminal with its activation code and bind its device key',
        body: ActivateRequest,
        response: { 200: ActivateResponse },
      },
    },
    async (request) => activateTerminal(opts.db, request.body),
  );
}
