import type { AddressInfo } from 'node:net';
import type { Channel, ChannelId } from '@scanpay/channels';
import { buildApp, type PlatformApp } from './app.ts';
import { createChannels } from './channels.ts';
import type { PlatformConfig } from './config.ts';
import { type Db, openDatabase } from './db/index.ts';
import { configureFailpoints } from './lib/failpoints.ts';
import { loadOrCreateOperatorToken } from './modules/ops/operator-auth.ts';

export interface RunningPlatform extends PlatformApp {
  db: Db;
  url: string;
  close(): Promise<void>;
}

/** Opens the store, builds the app and listens. The caller owns signals and shutdown. */
export async function startPlatform(
  config: PlatformConfig,
  opts: { channels?: Partial<Record<ChannelId, Channel>>; db?: Db; onDbOpen?: (db: Db) => Promise<void> } = {},
): Promise<RunningPlatform> {
  configureFailpoints(config.failpoints);
  const operatorToken = config.operatorToken ?? loadOrCreateOperatorToken(config.dataDir);
  const db =
    opts.db ?? (await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }) }));
  try {
    await opts.onDbOpen?.(db);
    const channels = opts.channels ?? createChannels(config, { payTimeoutMs: config.resolution.payTimeoutMs });
    const built = await buildApp({ config: { ...config, operatorToken }, db, channels, runWorker: config.role !== 'api' });
    await built.app.listen({ port: config.port, host: config.host });
    const port = (built.app.server.address() as AddressInfo).port;
    return {
      ...built,
      db,
      url: `http://${config.host}:${port}`,
      close: async () => {
        await built.app.close();
        await db.close();
      },
    };
  } catch (err) {
    if (!opts.db) await db.close();
    throw err;
  }
}
