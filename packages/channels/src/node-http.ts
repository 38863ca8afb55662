import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * A `fetch` for channel calls from Node, on node:http(s) with keep-alive connections. Channel
 * calls are small form POSTs answered with small JSON bodies; WHATWG fetch (undici) spends more CPU
 * on streams and headers than the call itself (measured in bench/payments). It honours what the
 * channel clients use: method, headers, a string or URLSearchParams body, an AbortSignal (aborts
 * raise the signal's reason, e.g. a TimeoutError), and never follows redirects. Socket errors keep
 * their `code` (ECONNREFUSED …) so a refused connection is known to have sent nothing.
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

/** Parsed gateway URLs: a platform calls the same few addresses all day. */
const urls = new Map<string, URL>();

function parsedUrl(input: string | URL): URL {
  if (input instanceof URL) return input;
  let url = urls.get(input);
  if (!url) {
    url = new URL(input);
    if (urls.size > 100) urls.clear();
    urls.set(input, url);
  }
  return url;
}

/**
 * What a channel client reads of an answer — status, headers, the body as text or JSON — without
 * the stream machinery of a WHATWG Response (the body is already whole here).
 */
class BufferedResponse {
  readonly ok: boolean;
  private parsedHeaders: Headers | undefined;
  constructor(
    readonly status: number,
    private readonly rawHeaders: NodeJS.Dict<string | string[]>,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  get headers(): Headers {
    if (!this.parsedHeaders) {
      this.parsedHeaders = new Headers();
      for (const [k, v] of Object.entries(this.rawHeaders)) if (typeof v === 'string') this.parsedHeaders.set(k, v);
    }
    return this.parsedHeaders;
  }
  async text(): Promise<string> {
    return this.body;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }
}

export const nodeHttpFetch = ((input: string | URL, init: RequestInit = {}): Promise<Response> => {
  const url = parsedUrl(input);
  const protocol = url.protocol as keyof typeof agents;
  if (!(protocol in agents)) return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  const body = init.body === undefined || init.body === null ? undefined : String(init.body);
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const request = (protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: init.method ?? 'GET', headers, agent: agents[protocol] },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(new BufferedResponse(res.statusCode ?? 502, res.headers, text) as unknown as Response);
        });
        res.on('error', (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        });
      },
    );
    const onAbort = () => {
      request.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    request.end(body);
  });
}) as typeof fetch;
