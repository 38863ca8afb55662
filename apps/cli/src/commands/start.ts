import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAlipaySimulator, type AlipaySimulator } from '@scanpay/alipay-simulator';
import {
  type AlipayAccountConfig,
  configFromEnv,
  DEMO_TERMINAL_SERIAL,
  ensureDemoMerchant,
  issueWebTerminalCode,
  type RunningPlatform,
  type WebTerminalCode,
  startPlatform,
} from '@scanpay/platform';
import { activate, exportPrivateJwk } from '@scanpay/terminal-sdk';
import { registerWithSimulator } from '../demo-channel.ts';
import { paths, readJson, type StoredTerminal, writeFileAtomic } from '../local-state.ts';

export interface StartedSystem {
  platform: RunningPlatform;
  simulator?: AlipaySimulator;
  close(): Promise<void>;
}

/**
 * `scanpay start`: the platform on its embedded defaults and, unless a real Alipay gateway is
 * configured, the bundled Alipay simulator; the demo merchant, store and an activated demo
 * terminal on first start.
 */
export async function startSystem(env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<StartedSystem> {
  const base = configFromEnv(env);
  const p = paths(base.dataDir);
  let simulator: AlipaySimulator | undefined;
  let alipay: AlipayAccountConfig & { sellerId?: string };
  if (base.alipayFiles) {
    alipay = {
      appId: base.alipayFiles.appId,
      privateKeyPem: readFileSync(base.alipayFiles.privateKeyFile, 'utf8'),
      alipayPublicKeyPem: readFileSync(base.alipayFiles.publicKeyFile, 'utf8'),
      gatewayUrl: base.alipayFiles.gatewayUrl,
      ...(base.alipayFiles.sellerId ? { sellerId: base.alipayFiles.sellerId } : {}),
    };
  } else {
    const simPort = Number(env.SIM_PORT ?? 8090);
    simulator = await startAlipaySimulator({ host: base.host, port: simPort, dataDir: p.simulator });
    alipay = await registerWithSimulator(base.dataDir, simulator.url, `${base.publicUrl}/v1/notify/alipay`);
  }

  const stored = readJson<StoredTerminal>(p.terminal);
  let seed: Awaited<ReturnType<typeof ensureDemoMerchant>> | undefined;
  let webTerminal: WebTerminalCode | undefined;
  let platform: RunningPlatform;
  try {
    platform = await startPlatform(
      { ...base, alipay },
      {
        onDbOpen: async (db) => {
          // A worker-only process serves no terminals: it resolves payments for the others.
          if (base.role === 'worker') return;
          seed = await ensureDemoMerchant(db, { ...(alipay.sellerId ? { sellerId: alipay.sellerId } : {}) });
          // The demo terminal's key lives in the data folder; if it is gone (or belongs to another database), re-issue.
          if (!seed.activationCode && stored?.terminalId !== seed.terminalId) {
            seed = await ensureDemoMerchant(db, { reissue: true });
          }
          // A terminal slot for the cashier app in a browser, with a fresh code at every start.
          webTerminal = await issueWebTerminalCode(db, { merchantId: seed.merchantId, storeId: seed.storeId });
        },
      },
    );
  } catch (err) {
    await simulator?.close();
    throw err;
  }

  if (seed?.activationCode) {
    const result = await activate({
      baseUrl: platform.url,
      activationCode: seed.activationCode,
      serial: DEMO_TERMINAL_SERIAL,
      appVersion: 'cli-0.1.0',
      extractableKey: true,
    });
    writeFileAtomic(
      p.terminal,
      JSON.stringify(
        {
          baseUrl: platform.url,
          terminalId: result.response.terminalId,
          serial: result.response.serial,
          merchantName: result.response.merchant.name,
          privateJwk: await exportPrivateJwk(result.keyPair.privateKey),
        } satisfies StoredTerminal,
        null,
        2,
      ),
    );
    log(`activated the demo terminal ${result.response.terminalId} (${DEMO_TERMINAL_SERIAL})`);
  }
  writeFileAtomic(
    p.runtime,
    JSON.stringify({ platformUrl: platform.url, ...(simulator ? { simulatorUrl: simulator.url } : {}), pid: process.pid, startedAt: new Date().toISOString() }, null, 2),
    0o644,
  );

  log('');
  log('scanpay is running');
  log(`  platform   ${platform.url}    (API docs: ${platform.url}/docs, health: ${platform.url}/health)`);
  if (webTerminal) {
    log(`  cashier    ${platform.url}/terminal/    (activation code ${webTerminal.activationCode}, valid 24 h, any serial)`);
  }
  if (simulator) log(`  simulator  ${simulator.url}    (Alipay gateway: ${simulator.gatewayUrl})`);
  log(`  database   ${base.databaseUrl ? 'PostgreSQL server (DATABASE_URL)' : `embedded PostgreSQL in ${join(base.dataDir, 'pgdata')}`}`);
  log(`  data       ${base.dataDir}`);
  log('');
  log('Try it from another shell:  npx scanpay pay --amount 12.34');
  log('');

  return {
    platform,
    ...(simulator ? { simulator } : {}),
    close: async () => {
      await platform.close();
      await simulator?.close();
    },
  };
}
