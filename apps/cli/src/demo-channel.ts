import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AlipayAccountConfig } from '@scanpay/platform';
import { paths, writeFileAtomic } from './local-state.ts';

export const DEMO_APP_ID = '2021000000000001';

/** The demo merchant's Alipay app key pair, made on first start and kept in the data folder. */
export function loadOrCreateAppKeys(dir: string): { privatePem: string; publicPem: string } {
  const p = paths(dir);
  if (existsSync(p.appPrivateKey) && existsSync(p.appPublicKey)) {
    return { privatePem: readFileSync(p.appPrivateKey, 'utf8'), publicPem: readFileSync(p.appPublicKey, 'utf8') };
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileAtomic(p.appPrivateKey, privatePem, 0o600);
  writeFileAtomic(p.appPublicKey, publicPem, 0o644);
  return { privatePem, publicPem };
}

/** Registers the demo app with the simulator (idempotent) and returns the channel account. */
export async function registerWithSimulator(
  dir: string,
  simulatorUrl: string,
  notifyUrl?: string,
): Promise<AlipayAccountConfig & { sellerId: string }> {
  const keys = loadOrCreateAppKeys(dir);
  const res = await fetch(`${simulatorUrl}/__sim/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appId: DEMO_APP_ID, publicKey: keys.publicPem, name: 'scanpay demo', ...(notifyUrl ? { notifyUrl } : {}) }),
  });
  if (!res.ok) throw new Error(`the simulator refused the demo app: HTTP ${res.status} ${await res.text()}`);
  const app = (await res.json()) as { sellerId: string; alipayPublicKey: string };
  writeFileAtomic(paths(dir).alipayPublicKey, app.alipayPublicKey, 0o644);
  return {
    appId: DEMO_APP_ID,
    privateKeyPem: keys.privatePem,
    alipayPublicKeyPem: app.alipayPublicKey,
    gatewayUrl: `${simulatorUrl}/gateway.do`,
    sellerId: app.sellerId,
  };
}
