import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The platform's one typed configuration. Everything comes from the environment (see README),
 * validated at boot; an unknown or malformed value stops the start with a clear message.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  SCANPAY_DATA_DIR: z.string().default('./.scanpay'),
  DATABASE_URL: z.string().url().optional(),
  SCANPAY_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  SCANPAY_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALIPAY_APP_ID: z.string().optional(),
  ALIPAY_PRIVATE_KEY_FILE: z.string().optional(),
  ALIPAY_PUBLIC_KEY_FILE: z.string().optional(),
  ALIPAY_GATEWAY_URL: z.string().url().optional(),
  ALIPAY_SELLER_ID: z.string().optional(),
  SCANPAY_OPERATOR_TOKEN: z.string().min(24).optional(),
  // Resolution timings (ms); the defaults follow Alipay's rules. Tests and chaos runs shorten them.
  SCANPAY_PAY_TIMEOUT_MS: z.coerce.number().int().min(100).optional(),
  SCANPAY_SAFETY_NET_DELAY_MS: z.coerce.number().int().min(0).optional(),
  SCANPAY_QUERY_INTERVAL_MS: z.coerce.number().int().min(10).optional(),
  SCANPAY_WAIT_FOR_BUYER_MS: z.coerce.number().int().min(0).optional(),
  SCANPAY_CANCEL_RETRY_MAX_MS: z.coerce.number().int().min(10).optional(),
  SCANPAY_ALERT_AFTER_MS: z.coerce.number().int().min(0).optional(),
  SCANPAY_QR_DEADLINE_MS: z.coerce.number().int().min(1_000).optional(),
  // Crash injection for tests (`name=@N` crashes at the Nth hit, `name=0.05` with that probability).
  SCANPAY_FAILPOINTS: z.string().optional(),
});

export interface AlipayAccountConfig {
  appId: string;
  privateKeyPem: string;
  alipayPublicKeyPem: string;
  gatewayUrl: string;
  sellerId?: string;
}

export interface ResolutionTimings {
  /** How long the platform waits for a pay answer before treating it as unknown. */
  payTimeoutMs: number;
  /** When a payment's first safety-net query runs if the request handler never finished. */
  safetyNetDelayMs: number;
  /** Alipay's rule: poll every 3–5 s for about 60 s, then cancel straight after the last query. */
  queryIntervalMs: number;
  waitForBuyerMs: number;
  /** Cancel retries: 2 s, 2 s, 4 s, then backing off up to this. */
  cancelRetryMaxMs: number;
  /** A payment still undecided after this raises an alert (Alipay's cancel window is 24 h). */
  alertAfterMs: number;
  /** Alipay: query a refund no earlier than about 10 s after the refund call (brief §2.8). Default 10 s. */
  refundQueryDelayMs?: number;
  /** How long a customer-scans QR order waits for the buyer before it is cancelled. Default 2 min. */
  qrDeadlineMs?: number;
}

export interface PlatformConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  role: 'all' | 'api' | 'worker';
  publicUrl: string;
  logLevel: string;
  alipay?: AlipayAccountConfig;
  resolution: ResolutionTimings;
  /** Node name for job leases; unique per process. */
  nodeId: string;
  /** Bearer token of the operator API (`/v1/ops/…`); generated into the data folder when not set. */
  operatorToken?: string;
  failpoints?: string;
}

export const DEFAULT_RESOLUTION: ResolutionTimings = {
  payTimeoutMs: 10_000,
  safetyNetDelayMs: 15_000,
  queryIntervalMs: 3_000,
  waitForBuyerMs: 60_000,
  cancelRetryMaxMs: 60_000,
  alertAfterMs: 10 * 60_000,
};

/** A QR order's default wait for the buyer to scan and pay (then final query, then cancel). */
export const DEFAULT_QR_DEADLINE_MS = 2 * 60_000;

export class ConfigError extends Error {}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<PlatformConfig, 'alipay'> & {
  alipayFiles?: { appId: string; privateKeyFile: string; publicKeyFile: string; gatewayUrl: string; sellerId?: string };
} {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const alipayVars = [e.ALIPAY_APP_ID, e.ALIPAY_PRIVATE_KEY_FILE, e.ALIPAY_PUBLIC_KEY_FILE, e.ALIPAY_GATEWAY_URL];
  if (alipayVars.some(Boolean) && !alipayVars.every(Boolean)) {
    throw new ConfigError(
      'invalid configuration: set all of ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY_FILE, ALIPAY_PUBLIC_KEY_FILE and ALIPAY_GATEWAY_URL, or none (none = the bundled simulator)',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.SCANPAY_DATA_DIR),
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    role: e.SCANPAY_ROLE,
    publicUrl: e.SCANPAY_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    resolution: {
      payTimeoutMs: e.SCANPAY_PAY_TIMEOUT_MS ?? DEFAULT_RESOLUTION.payTimeoutMs,
      safetyNetDelayMs: e.SCANPAY_SAFETY_NET_DELAY_MS ?? DEFAULT_RESOLUTION.safetyNetDelayMs,
      queryIntervalMs: e.SCANPAY_QUERY_INTERVAL_MS ?? DEFAULT_RESOLUTION.queryIntervalMs,
      waitForBuyerMs: e.SCANPAY_WAIT_FOR_BUYER_MS ?? DEFAULT_RESOLUTION.waitForBuyerMs,
      cancelRetryMaxMs: e.SCANPAY_CANCEL_RETRY_MAX_MS ?? DEFAULT_RESOLUTION.cancelRetryMaxMs,
      alertAfterMs: e.SCANPAY_ALERT_AFTER_MS ?? DEFAULT_RESOLUTION.alertAfterMs,
      ...(e.SCANPAY_QR_DEADLINE_MS ? { qrDeadlineMs: e.SCANPAY_QR_DEADLINE_MS } : {}),
    },
    ...(e.SCANPAY_OPERATOR_TOKEN ? { operatorToken: e.SCANPAY_OPERATOR_TOKEN } : {}),
    ...(e.SCANPAY_FAILPOINTS ? { failpoints: e.SCANPAY_FAILPOINTS } : {}),
    nodeId: `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    ...(e.ALIPAY_APP_ID
      ? {
          alipayFiles: {
            appId: e.ALIPAY_APP_ID,
            privateKeyFile: e.ALIPAY_PRIVATE_KEY_FILE as string,
            publicKeyFile: e.ALIPAY_PUBLIC_KEY_FILE as string,
            gatewayUrl: e.ALIPAY_GATEWAY_URL as string,
            ...(e.ALIPAY_SELLER_ID ? { sellerId: e.ALIPAY_SELLER_ID } : {}),
          },
        }
      : {}),
  };
}
