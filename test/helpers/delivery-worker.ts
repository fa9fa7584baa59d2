import type { TestContext } from 'vitest';
import { createDelivery, type DeliveryOptions } from '../../src/bridge/delivery.js';
import { createRelayCards } from '../../src/bridge/relay-cards.js';
import { createCardRenderer } from '../../src/cards/render.js';
import { silentLogger } from '../../src/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { createTeamsGateway } from '../../src/teams/gateway.js';
import { createTeamsRateLimiter } from '../../src/teams/rate-limits.js';
import { BOT, CHANNEL_ID, TEAM_ID, TENANT } from './activities.js';
import { startFakeConnector } from './fake-connector.js';
import { OUR_NUMBER } from './relay-traffic.js';

export interface WorkerOptions extends DeliveryOptions {
  /** How long the gateway waits for Teams (its own default otherwise). */
  readonly teamsTimeoutMs?: number;
  /** The store the worker sees, e.g. one whose writes fail (the real one is closed after the test). */
  readonly wrapStore?: (store: Store) => Store;
}

/**
 * A delivery worker of its own (options the bridge's composition root does not reach) on an
 * in-memory SQLite store, posting into a fake connector; not started, stopped after the test.
 * `link` links our number to the fixtures' channel, served by that connector.
 */
export const startWorker = async ({ onTestFinished }: TestContext, options: WorkerOptions = {}) => {
  const connector = await startFakeConnector();
  const opened = await openSqliteStore({ path: ':memory:', logger: silentLogger });
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  const adapter = createAdapter({ appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined });
  const delivery = createDelivery(
    {
      store,
      gateway: createTeamsGateway({ adapter, appId: undefined, logger: silentLogger, ...(options.teamsTimeoutMs ? { timeoutMs: options.teamsTimeoutMs } : {}) }),
      budget: createTeamsRateLimiter(),
      cards: createRelayCards({ cards: createCardRenderer() }),
      logger: silentLogger,
      workerId: 'test-worker',
    },
    options,
  );
  onTestFinished(async () => {
    await delivery.stop();
    await opened.close();
    await connector.close();
  });
  const link = () =>
    store.saveLink({
      number: OUR_NUMBER,
      teamId: TEAM_ID,
      channelId: CHANNEL_ID,
      tenantId: TENANT,
      serviceUrl: connector.url,
      botId: BOT.id,
      createdBy: 'test',
      createdAt: new Date(),
    });
  return { connector, store, delivery, link };
};
