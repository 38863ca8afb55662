import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorCode, isAppError, problemFor } from '@scanpay/errors';

/**
 * Request fields whose absence or malformation has its own catalogue code, so the cashier gets
 * "enter the amount" rather than a generic validation message.
 */
const FIELD_CODES: Record<string, { missing: ErrorCode; invalid: ErrorCode }> = {
  amount: { missing: 'REQ_AMOUNT_MISSING', invalid: 'REQ_AMOUNT_INVALID' },
  authCode: { missing: 'REQ_PAYCODE_MISSING', invalid: 'REQ_PAYCODE_UNKNOWN_FORMAT' },
  subject: { missing: 'REQ_SUBJECT_INVALID', invalid: 'REQ_SUBJECT_INVALID' },
};

export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  return reply
    .status(err.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(err.toProblem(String(reply.request.id)));
}

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) return sendProblem(reply, error);
    const mapped = mapFrameworkError(error);
    if (mapped) return sendProblem(reply, mapped);
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new AppError('SYS_INTERNAL', { detail: `unexpected error; request id ${request.id}` }));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(problemFor('REQ_NOT_FOUND', { detail: `${request.method} ${request.url}`, requestId: String(request.id) })),
  );
});

function mapFrameworkError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('REQ_BODY_TOO_LARGE', { detail: error.message });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('REQ_UNSUPPORTED_MEDIA_TYPE', { detail: error.message });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('REQ_BODY_MALFORMED', { detail: error.message });
  }
  if (error.validation) {
    const first = error.validation[0];
    const path = (first?.instancePath ?? '').replace(/^\//, '').split('/')[0] || missingProperty(first?.params);
    const field = path ? FIELD_CODES[path] : undefined;
    // Ajv says `required`; zod says "expected string, received undefined".
    const missing = first?.keyword === 'required' || /required|received undefined/i.test(first?.message ?? '');
    if (field) return new AppError(missing ? field.missing : field.invalid, { param: path, detail: error.message });
    if (error.validationContext === 'body' && !path && /object/i.test(first?.message ?? '')) {
      return new AppError('REQ_BODY_MALFORMED', { detail: error.message });
    }
    return new AppError('REQ_VALIDATION', { detail: error.message, ...(path ? { param: path } : {}) });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('REQ_VALIDATION', { detail: error.message });
  }
  return undefined;
}

function missingProperty(params: unknown): string {
  const p = params as { missingProperty?: unknown; issue?: { path?: unknown[] } } | undefined;
  if (typeof p?.missingProperty === 'string') return p.missingProperty;
  const issuePath = p?.issue?.path;
  return Array.isArray(issuePath) && typeof issuePath[0] === 'string' ? issuePath[0] : '';
}
