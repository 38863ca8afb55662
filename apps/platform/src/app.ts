import Fastify, { type FastifyInstance, LogController } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Channel, ChannelId } from '@scanpay/channels';
import type { PlatformConfig } from './config.ts';
import type { Db } from './db/index.ts';
import { paymentRoutes } from './modules/payments/routes.ts';
import { createDiagnosisModule, type DiagnosisOptions } from './modules/diagnosis/index.ts';
import { notifyRoutes } from './modules/payments/notify-routes.ts';
import type { NotifyHooks } from './modules/payments/operations/handle-notify.ts';
import { runDueRefundJobs } from './modules/payments/operations/resolve-refund.ts';
import { refundRoutes } from './modules/payments/refund-routes.ts';
import { SecurityEvents } from './modules/security/events.ts';
import type { PaymentsDeps } from './modules/payments/deps.ts';
import { type ResolutionWorker, startResolutionWorker } from './modules/payments/worker.ts';
import { operatorAuthPlugin } from './modules/ops/operator-auth.ts';
import { opsRoutes } from './modules/ops/routes.ts';
import { scanProfileRoutes } from './modules/scan-profiles/routes.ts';
import { deviceAuthPlugin } from './modules/terminals/device-auth.ts';
import { terminalRoutes } from './modules/terminals/routes.ts';
import { pruneNonces } from './modules/terminals/store.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { rawJsonPlugin, TERMINAL_BODY_LIMIT } from './plugins/raw-json.ts';
import { webAppsPlugin } from './plugins/web-apps.ts';
import { SIGNATURE_WINDOW_MS } from '@scanpay/contracts';

export interface AppOptions {
  config: Pick<PlatformConfig, 'resolution' | 'nodeId' | 'role' | 'publicUrl' | 'logLevel' | 'operatorToken'>;
  db: Db;
  channels: Partial<Record<ChannelId, Channel>>;
  /** Tests pass false and drive the worker themselves. */
  runWorker?: boolean;
  logger?: boolean | object;
  now?: () => Date;
  /** The compatibility policy and the channel-probe timings of the self-check. */
  diagnosis?: DiagnosisOptions;
  /** Tests only: fail notification handling on purpose (the channel then retries). */
  notifyHooks?: NotifyHooks;
}

export interface PlatformApp {
  app: FastifyInstance;
  worker: ResolutionWorker;
  deps: PaymentsDeps;
  security: SecurityEvents;
}

/** Builds the platform from its parts; `main.ts` listens, tests use `app.inject`. */
export async function buildApp(opts: AppOptions): Promise<PlatformApp> {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.logLevel },
    bodyLimit: TERMINAL_BODY_LIMIT,
    genReqId: () => `req_${Math.random().toString(36).slice(2, 12)}`,
    requestIdHeader: false,
    // Per-request lines only when debugging: a busy till logs its payments, not every poll.
    logController: new LogController({
      disableRequestLogging: opts.config.logLevel !== 'debug' && opts.config.logLevel !== 'trace',
    }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Set as the request arrives (kept on every answer, errors included): a callback hook costs no
  // promise, and without onSend hooks Fastify skips that stage.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  const now = opts.now ?? (() => new Date());
  let worker: ResolutionWorker | undefined;
  // Every channel call goes through the diagnosis module's monitor (the self-check reads it).
  const diagnosis = createDiagnosisModule({ db: opts.db, channels: opts.channels, now, ...(opts.diagnosis ? { options: opts.diagnosis } : {}) });
  const deps: PaymentsDeps = {
    db: opts.db,
    channels: diagnosis.channels,
    timings: opts.config.resolution,
    log: app.log,
    notifyBaseUrl: `${opts.config.publicUrl}/v1/notify`,
    wakeResolver: () => worker?.wake(),
    diagnoseUndecided: diagnosis.diagnoseUndecidedPayment,
    now,
  };

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'scanpay platform API',
        version: '1',
        description:
          'The terminal API of the scanpay acquiring platform. Terminal requests are signed with the ' +
          'device key made at activation (headers x-scanpay-terminal, x-scanpay-timestamp, x-scanpay-nonce, ' +
          'x-scanpay-signature). Operator routes (/v1/ops/…: terminals, scan profiles, reconciliation) take ' +
          'Authorization: Bearer <operator token>. Errors are application/problem+json with a stable `code`; see docs/errors.md.',
      },
      tags: [{ name: 'terminals' }, { name: 'payments' }, { name: 'operator' }, { name: 'system' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(errorHandlerPlugin);
  await app.register(rawJsonPlugin);
  await app.register(deviceAuthPlugin, { db: opts.db, now: () => now().getTime() });
  await app.register(operatorAuthPlugin, { ...(opts.config.operatorToken ? { token: opts.config.operatorToken } : {}) });

  app.get('/health', { schema: { tags: ['system'], summary: 'Liveness and database check' } }, async (_req, reply) => {
    try {
      await opts.db.query('select 1');
      return { ok: true, database: opts.db.kind, node: opts.config.nodeId };
    } catch {
      return reply.status(503).send({ ok: false, database: opts.db.kind });
    }
  });
  await diagnosis.register(app);
  await app.register(terminalRoutes, { db: opts.db });
  await app.register(async (scope) => paymentRoutes(scope, deps));
  await app.register(async (scope) => refundRoutes(scope, deps));
  const security = new SecurityEvents(opts.db, app.log);
  app.addHook('onClose', () => security.flush());
  await app.register(async (scope) => notifyRoutes(scope, deps, { security, ...(opts.notifyHooks ? { hooks: opts.notifyHooks } : {}) }));
  await app.register(opsRoutes, { db: opts.db });
  await app.register(scanProfileRoutes, { db: opts.db });
  await app.register(webAppsPlugin); // the cashier app at /terminal/

  worker = startResolutionWorker(deps, { nodeId: opts.config.nodeId, alsoRun: () => runDueRefundJobs(deps, opts.config.nodeId) });
  if (opts.runWorker === false || opts.config.role === 'api') await worker.stop();
  const pruner = setInterval(() => {
    pruneNonces(opts.db, 2 * SIGNATURE_WINDOW_MS).catch((err) => app.log.warn({ err }, 'nonce pruning failed'));
  }, 60_000);
  pruner.unref();
  app.addHook('onClose', async () => {
    clearInterval(pruner);
    await worker?.stop();
  });
  await app.ready();
  return { app, worker, deps, security };
}
