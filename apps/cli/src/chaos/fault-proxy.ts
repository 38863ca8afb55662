import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy between the terminals and the platform that loses answers: it forwards each request,
 * waits for the platform's answer, and then — for a share of them — cuts the terminal's connection
 * instead of answering. The platform did the work; the terminal does not know. That is the
 * terminal→platform "response dropped" fault of RELIABILITY.md T1.
 */
export interface FaultProxy {
  url: string;
  dropped(): number;
  forwarded(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, opts: { dropRate: number; random: () => number }): Promise<FaultProxy> {
  const upstream = new URL(target);
  let dropped = 0;
  let forwarded = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            forwarded++;
            if (opts.random() < opts.dropRate) {
              dropped++;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
          answer.on('error', () => req.socket.destroy());
        },
      );
      // The platform is down (killed): the terminal sees its connection cut, as it would.
      out.on('error', () => req.socket.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropped: () => dropped,
    forwarded: () => forwarded,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
