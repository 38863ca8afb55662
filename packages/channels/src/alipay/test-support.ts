/**
 * Test helpers (imported by *.test.ts only): RSA keys, and a tiny local Alipay gateway fake that
 * checks our request signatures and signs its answers the way Alipay does. It exists so the
 * client's own tests need no simulator; the conformance suite runs against the real simulator.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@scanpay/contracts';
import type { AlipayChannelConfig } from './index.ts';
import { loadPublicKey, rsaSign, rsaVerify, signContent } from './signing.ts';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePkcs8Pem: string;
  privatePkcs1Pem: string;
  publicSpkiPem: string;
  /** The console's format: bare base64, no armour. */
  privatePkcs8Base64: string;
  publicSpkiBase64: string;
}

const bare = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

export function makeKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePkcs8Pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicSpkiPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKey,
    publicKey,
    privatePkcs8Pem,
    privatePkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicSpkiPem,
    privatePkcs8Base64: bare(privatePkcs8Pem),
    publicSpkiBase64: bare(publicSpkiPem),
  };
}

// Key generation costs ~100 ms; every test file shares one app pair and one Alipay pair.
let shared: { app: KeyPair; alipay: KeyPair } | undefined;
export function sharedKeys(): { app: KeyPair; alipay: KeyPair } {
  shared ??= { app: makeKeyPair(), alipay: makeKeyPair() };
  return shared;
}

export const nodeName = (method: string) => `${method.replaceAll('.', '_')}_response`;

/** `{"<node>":<inner>,"sign":"..."}` signed over the exact inner text. */
export function signedBody(node: string, inner: string, alipayKey: KeyObject, extra: { certSn?: string; certSnFirst?: boolean } = {}): string {
  const sign = rsaSign(inner, alipayKey, 'RSA2');
  const cert = extra.certSn === undefined ? '' : `"alipay_cert_sn":"${extra.certSn}"`;
  if (cert && extra.certSnFirst) return `{"${node}":${inner},${cert},"sign":"${sign}"}`;
  return `{"${node}":${inner},"sign":"${sign}"${cert ? `,${cert}` : ''}}`;
}

export interface FakeRequest {
  method: string;
  params: Record<string, string>;
  biz: Record<string, unknown>;
  signatureValid: boolean;
}

/** What the fake answers: a node object (signed for you), or full control over the raw reply. */
export type FakeReply =
  | { node: Record<string, unknown>; unsigned?: boolean; nodeName?: string }
  | { raw: string; status?: number }
  | { delayMs: number; then: FakeReply }
  | { destroy: true };

export interface FakeGateway {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFakeGateway(
  reply: (req: FakeRequest) => FakeReply,
  keys = sharedKeys(),
): Promise<FakeGateway> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // The gateway merges query and body before verifying (brief §1.1).
    const params: Record<string, string> = {};
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    for (const [k, v] of url.searchParams) params[k] = v;
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[k] = v;
    const signatureValid = rsaVerify(signContent(params), params.sign ?? '', keys.app.publicKey, 'RSA2');
    const fake: FakeRequest = {
      method: params.method ?? '',
      params,
      biz: params.biz_content ? (JSON.parse(params.biz_content) as Record<string, unknown>) : {},
      signatureValid,
    };
    requests.push(fake);
    await send(res, fake, reply(fake));
  }
  async function send(res: ServerResponse, fake: FakeRequest, out: FakeReply): Promise<void> {
    if ('delayMs' in out) {
      await new Promise((r) => setTimeout(r, out.delayMs));
      return send(res, fake, out.then);
    }
    if ('destroy' in out) {
      res.socket?.destroy();
      return;
    }
    if ('raw' in out) {
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json;charset=utf-8' }).end(out.raw);
      return;
    }
    const inner = JSON.stringify(out.node).replace(/\//g, '\\/');
    const node = out.nodeName ?? nodeName(fake.method);
    const body = out.unsigned ? `{"${node}":${inner}}` : signedBody(node, inner, keys.alipay.privateKey);
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/gateway.do`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const APP_ID = '2021000000000001';

export function channelConfig(gatewayUrl: string, overrides: Partial<AlipayChannelConfig> = {}): AlipayChannelConfig {
  const keys = sharedKeys();
  return {
    appId: APP_ID,
    privateKey: new Secret(keys.app.privatePkcs8Base64),
    alipayPublicKey: keys.alipay.publicSpkiBase64,
    gatewayUrl,
    now: () => new Date('2026-11-27T14:35:22Z'),
    ...overrides,
  };
}

export { loadPublicKey };
