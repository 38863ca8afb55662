/**
 * Turns a thrown fetch / socket error into a `TransportFailure`, so the terminal and the CLI can
 * emit `TransportEvidence` straight from a catch block. Node puts the system code on
 * `err.cause.code` (undici); browsers give only "Failed to fetch", so `online: false`
 * (navigator.onLine) is the one hint they have.
 */
import type { TransportFailure } from './evidence.ts';

const byCode: Record<string, TransportFailure> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENETUNREACH: 'offline',
  ENETDOWN: 'offline',
  EHOSTUNREACH: 'network',
  CERT_HAS_EXPIRED: 'tls',
  CERT_NOT_YET_VALID: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
};

function* causeChain(err: unknown): Generator<{ code?: unknown; name?: unknown }> {
  let current = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    yield current as { code?: unknown; name?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
}

export function transportFailureOf(err: unknown, context: { online?: boolean } = {}): TransportFailure {
  if (context.online === false) return 'offline';
  for (const e of causeChain(err)) {
    if (typeof e.code === 'string') {
      const known = byCode[e.code];
      if (known) return known;
      if (e.code.startsWith('ERR_SSL_') || e.code.startsWith('ERR_TLS_')) return 'tls';
    }
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  }
  return 'network';
}
