// Minimal HTTP plumbing for the admin API: JSON bodies, errors, a path router.
import type * as http from 'node:http';
import { parseYuan } from './wire.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export class AdminError extends Error {
  constructor(readonly status: number, readonly error: string, message: string) {
    super(message);
  }
}

export function bad(message: string, error = 'bad_request'): AdminError {
  return new AdminError(400, error, message);
}

export function notFound(message: string): AdminError {
  return new AdminError(404, 'not_found', message);
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AdminError(413, 'body_too_large', `body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad('body is not valid JSON', 'bad_json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('body must be a JSON object', 'bad_json');
  return value as Record<string, unknown>;
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendText(res: http.ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// Field readers for admin bodies: each throws a 400 naming the field.

export function optString(body: Record<string, unknown>, field: string, pattern?: RegExp): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || (pattern && !pattern.test(v))) throw bad(`${field} must be a string${pattern ? ` matching ${pattern}` : ''}`);
  return v;
}

export function optBool(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw bad(`${field} must be a boolean`);
  return v;
}

export function optNumber(body: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw bad(`${field} must be a number in [${min}, ${max}]`);
  return v;
}

/** A yuan string like "12.34" (numbers refused: amounts travel as strings) to fen. */
export function optYuan(body: Record<string, unknown>, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const fen = typeof v === 'string' ? parseYuan(v) : undefined;
  if (fen === undefined) throw bad(`${field} must be a yuan string like "12.34"`);
  return fen;
}

type Params = Record<string, string>;
export type Route = (req: { params: Params; query: URLSearchParams; body: Record<string, unknown>; raw: http.IncomingMessage },
  res: http.ServerResponse) => unknown | Promise<unknown>;

export class Router {
  private routes: { method: string; pattern: RegExp; names: string[]; handler: Route }[] = [];

  on(method: string, path: string, handler: Route): this {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:([A-Za-z]+)/g, (_, name: string) => { names.push(name); return '([^/]+)'; })}$`);
    this.routes.push({ method, pattern, names, handler });
    return this;
  }

  match(method: string, path: string): { handler: Route; params: Params } | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Params = {};
      try {
        route.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]!); });
      } catch {
        throw bad(`malformed percent-encoding in ${path}`);
      }
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}
