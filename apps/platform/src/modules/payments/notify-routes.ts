import type { FastifyInstance } from 'fastify';
import type { SecurityEvents } from '../security/events.ts';
import type { PaymentsDeps } from './deps.ts';
import { handleNotification, type NotifyHooks } from './operations/handle-notify.ts';

/** Notification bodies are small; 64 KiB is generous and refused before it is read (RELIABILITY §3.3). */
export const NOTIFY_BODY_LIMIT = 64 * 1024;
const FORM = 'application/x-www-form-urlencoded';

/**
 * `POST /v1/notify/alipay`: the channel's asynchronous notifications. No device auth; the
 * channel's signature is the credential. The answer is the 7-byte `success` only after the
 * commit; every refusal or failure gets `fail` so a genuine notification is sent again.
 * Register in its own scope: the form parser applies to this route only.
 */
export async function notifyRoutes(
  app: FastifyInstance,
  deps: PaymentsDeps,
  opts: { security: SecurityEvents; hooks?: NotifyHooks },
): Promise<void> {
  // Refusals before the handler runs (wrong content type, body over 64 KiB) are security events too.
  app.setErrorHandler(async (error: { code?: string; statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status < 500) {
      await opts.security.record({
        kind: 'notify.rejected_request',
        source: request.ip,
        detail: { code: error.code ?? 'unknown', reason: error.message, contentType: String(request.headers['content-type'] ?? '') },
      });
    } else {
      request.log.error({ err: error }, 'notification request failed');
    }
    return reply.status(status).type('text/plain; charset=utf-8').send('fail');
  });

  // Only the channel's form encoding: JSON, text and the rest are refused (415) in this scope.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: NOTIFY_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  app.post(
    '/v1/notify/alipay',
    {
      bodyLimit: NOTIFY_BODY_LIMIT,
      config: { auth: 'none' },
      schema: {
        tags: ['system'],
        summary: 'Alipay asynchronous notification (notify_url)',
        description:
          'Form-encoded trade_status_sync, signed by Alipay. Answers `success` once handled and stored; ' +
          'anything refused gets `fail` and is logged as a security event.',
        hide: true,
      },
    },
    async (request, reply) => {
      const fail = (status: number) => reply.status(status).type('text/plain; charset=utf-8').send('fail');
      const params = typeof request.body === 'string' ? parseForm(request.body) : undefined;
      if (!params) {
        await opts.security.record({
          kind: 'notify.malformed',
          source: request.ip,
          detail: { reason: 'not a form body, or a field repeated', contentType: String(request.headers['content-type'] ?? '') },
        });
        return fail(400);
      }
      let verdict;
      try {
        verdict = await handleNotification(deps, { channelId: 'alipay', params, source: request.ip, security: opts.security, hooks: opts.hooks });
      } catch (err) {
        // Not committed: the channel must send it again.
        request.log.error({ err, outTradeNo: params.out_trade_no }, 'notification handling failed');
        return fail(500);
      }
      if (!verdict.ok) return fail(400);
      const channel = deps.channels.alipay;
      return reply.status(200).type('text/plain; charset=utf-8').send(channel?.notificationAck ?? 'success');
    },
  );
}

/** Decodes the form once (values are verified exactly as decoded here). A repeated field is refused. */
export function parseForm(body: string): Record<string, string> | undefined {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(body)) {
    if (Object.hasOwn(out, k)) return undefined;
    out[k] = v;
  }
  return out;
}
