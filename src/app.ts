import type { Dispatcher } from 'undici';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createContactNames } from './bridge/contact-names.js';
import { createDelivery } from './bridge/delivery.js';
import { createLinks } from './bridge/links.js';
import { createRelayCards } from './bridge/relay-cards.js';
import { createRelay } from './bridge/relay.js';
import { createSharedTeamsBudget } from './bridge/teams-budget.js';
import { createReplies } from './bridge/replies.js';
import { createSendPipeline } from './bridge/send.js';
import { checkClickSend } from './bridge/clicksend-check.js';
import { createAccessPolicy } from './bot/access.js';
import { createAuditLog } from './bot/audit-log.js';
import { createBot } from './bot/bot.js';
import type { BotDeps, FileDownloader } from './bot/deps.js';
import { createFeatures } from './bot/features/index.js';
import { createCardRenderer } from './cards/render.js';
import { createClickSendClient, createClickSendDispatcher, type ClickSendClient } from './clicksend/client.js';
import type { Config } from './config.js';
import { createAuditExports } from './bridge/audit-export.js';
import { createSendExports } from './bridge/send-export.js';
import { mountAuditExportRoute } from './http/audit-export-route.js';
import { mountSendExportRoute } from './http/send-export-route.js';
import { mountInfoPages } from './http/pages.js';
import { createClickSendReachability } from './http/clicksend-reachability.js';
import { createReadinessCheck } from './http/readiness.js';
import { createHttpServer } from './http/server.js';
import { mountWebhookRoutes, WEBHOOK_PATHS } from './inbound/routes.js';
import type { Logger } from './log.js';
import { createMetrics } from './metrics/metrics.js';
import { countWebhookRefusals } from './metrics/webhook-refusals.js';
import { openStore } from './store/open.js';
import { createStoreCheck } from './store/write-probe.js';
import type { Store } from './store/store.js';
import { createAdapter, type AdapterOptions } from './teams/adapter.js';
import { createFileDownloader } from './teams/download.js';
import { createTeamsGateway } from './teams/gateway.js';
import { createTeamsRateLimiter } from './teams/rate-limits.js';
import { BridgeActivityHandler } from './teams/handler.js';
import { mountBotRoute, type BotRouteOptions } from './teams/route.js';
import { VERSION } from './version.js';

export interface AppDeps {
  readonly logger: Logger;
  /** The undici dispatcher for ClickSend; one is made when left out. */
  readonly clicksendDispatcher?: Dispatcher;
  /** An open store; one is opened from `config.database` when left out. */
  readonly store?: Store;
  /** Fetches files users attach; Teams' own hosts only when left out. */
  readonly download?: FileDownloader;
  /** Bot Framework token overrides for tests: a local signing key, a fixed outgoing token (see `AdapterOptions`). */
  readonly botAuth?: AdapterOptions;
  /** `/api/messages` limits for tests: a smaller budget for bodies read before authentication. */
  readonly botRoute?: Omit<BotRouteOptions, 'authenticated'>;
}

export interface App {
  readonly clicksend: ClickSendClient | undefined;
  readonly store: Store;
  /**
   * Checks the ClickSend credentials once and logs the outcome (and the balance), so that an
   * operator sees a wrong key at start rather than at the first send. Never throws.
   */
  checkClickSend(): Promise<void>;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /**
   * Stops accepting connections and taking outbox rows, lets the requests and the Teams posts
   * under way finish (up to `graceMs`), then frees every resource.
   */
  close(graceMs?: number): Promise<void>;
}

const PRUNE_EVERY_MS = 6 * 60 * 60 * 1000;

/** Lets ClickSend calls under way finish for up to `ms` (at least a moment), then cuts them off. */
const closeWithin = async (dispatcher: Dispatcher, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(ms, 100))));
  const outcome = await Promise.race([dispatcher.close().then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') await dispatcher.destroy();
};

/** The composition root: builds every piece of infrastructure once and passes it down. */
export const createApp = async (config: Config, deps: AppDeps): Promise<App> => {
  const { logger } = deps;
  const log = logger.child({ module: 'app' });
  const store = deps.store ?? (await openStore(config.database, { logger }));
  // /readyz and bridge_store_up read one cached write probe; ClickSend's reachability comes from its calls.
  const storeCheck = createStoreCheck(() => store.probeWrite());
  const clicksendReachability = createClickSendReachability();
  const metrics = createMetrics({
    version: VERSION,
    outbox: store,
    storeUp: async () => (await storeCheck()).ok,
    onClickSendCall: clicksendReachability.record,
  });
  const dispatcher = deps.clicksendDispatcher ?? createClickSendDispatcher();
  const clicksend = config.clicksend.credentials
    ? createClickSendClient(
        { baseUrl: config.clicksend.apiUrl, credentials: config.clicksend.credentials, rateLimit: config.clicksend.rateLimit },
        { dispatcher, logger, metrics: metrics.clicksend },
      )
    : undefined;
  const cards = createCardRenderer();

  // The relay: webhooks store, the delivery worker posts to Teams, the bot links and replies.
  // The instance (host and fixed port) outlives a restart, so that a restart takes its dead
  // process's claims back at once (see listen); the worker id is the process's own, so that a
  // process that still lives (its grace, a cluster sharing the port) can no longer post them.
  const instance = `${hostname()}:${config.port === 0 ? randomUUID().slice(0, 8) : config.port}`;
  const workerId = `${instance}:${process.pid}-${randomUUID().slice(0, 8)}`;
  const adapter = createAdapter(config.bot, {
    ...deps.botAuth,
    tenantIds: config.access.allowedTenantIds,
    logger: logger.child({ module: 'bot-auth' }),
  });
  // Download links need a URL the user's browser reaches and a secret every instance shares.
  const links = config.publicUrl && config.auditLinkSecret ? { publicUrl: config.publicUrl, secret: config.auditLinkSecret, store } : undefined;
  const auditExports = links && createAuditExports(links);
  const sendExports = links && createSendExports(links);
  const relayCards = createRelayCards({ cards, isOptedOut: (n) => store.isOptedOut(n), sendExports, ...(clicksend ? { contactName: createContactNames(clicksend) } : {}) });
  const delivery = createDelivery({
    store,
    gateway: createTeamsGateway({ adapter, appId: config.bot.appId, logger, metrics: metrics.teams }),
    // Instances sharing a database share Teams' budget through it; one alone keeps it in memory.
    budget: store.sharedRates ? createSharedTeamsBudget({ rates: store.sharedRates, log: logger }) : createTeamsRateLimiter(),
    cards: relayCards,
    logger,
    workerId,
  });
  const wake = () => delivery.wake();
  const relay = createRelay({ store, logger, wake, metrics: metrics.webhooks });

  const sends = createSendPipeline({ clicksend, store, confirmAbove: config.sendConfirmAbove, logger });
  const botDeps: BotDeps = {
    clicksend,
    cards,
    submissions: store,
    conversations: store,
    optOuts: store,
    relay: { links: createLinks({ store, logger, wake }), replies: createReplies({ store, sends, logger, wake }) },
    download: deps.download ?? createFileDownloader(),
    settings: { defaultCountry: config.defaultCountry, voice: config.voice },
    access: createAccessPolicy(config.access),
    sends,
    audit: createAuditLog({ store, exports: auditExports, logger }),
    sendCard: relayCards.send,
    logger,
  };
  const bot = createBot(botDeps, createFeatures(botDeps));

  const server = createHttpServer({
    logger,
    readiness: createReadinessCheck({
      store: storeCheck,
      outbox: store,
      maxOutboxAgeMs: config.readyMaxOutboxAgeMs,
      clicksend: { reachability: clicksendReachability, ...(clicksend ? { check: () => clicksend.account.verifyCredentials() } : {}) },
      logger,
    }),
    metrics: { registry: metrics.registry, token: config.metricsToken },
  });
  mountInfoPages(server);
  mountAuditExportRoute(server, auditExports, logger);
  mountSendExportRoute(server, sendExports, logger);
  mountBotRoute(server, adapter, new BridgeActivityHandler(bot, logger), logger, { ...deps.botRoute, authenticated: Boolean(config.bot.appId) });
  mountWebhookRoutes(server, {
    token: config.webhookToken,
    sink: relay,
    logger,
    allowedIps: config.webhookAllowedIps,
    trustProxy: config.trustProxy,
  });
  countWebhookRefusals(server, metrics.webhooks, {
    [WEBHOOK_PATHS.inbound]: 'inbound',
    [WEBHOOK_PATHS.receipts]: 'receipt',
    [WEBHOOK_PATHS.voiceReceipts]: 'voice_receipt',
  });

  let closing: Promise<void> | undefined;
  const pruning = setInterval(() => {
    store.prune().catch((error: unknown) => log.warn({ err: error }, 'store prune failed'));
  }, PRUNE_EVERY_MS).unref();

  return {
    clicksend,
    store,
    checkClickSend: () => checkClickSend({ clicksend, publicUrl: config.publicUrl, webhookToken: config.webhookToken, logger }),
    listen: () =>
      new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.server.off('error', reject);
          // The port is ours now: rows claimed under our worker id were a dead process's.
          store
            .releaseOutboxClaims(instance, workerId)
            .then((released) => released > 0 && log.info({ released }, "outbox rows held by this instance's previous process put back in line"))
            .catch((error: unknown) => log.warn({ err: error }, 'could not release the previous process’s outbox claims; their leases will end'))
            .finally(() => {
              if (!closing) delivery.start();
            });
          const address = server.address();
          const host = address.address.includes(':') ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${host}:${address.port}` });
        });
      }),
    close(graceMs = 10_000) {
      closing ??= (async () => {
        clearInterval(pruning);
        const deadline = Date.now() + graceMs;
        // The listener stops at once; requests and Teams posts under way have the grace to finish.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // A keep-alive connection whose request finishes goes idle and would stay open until
        // the grace is over: close each one as soon as it is idle.
        server.server.closeIdleConnections();
        const sweep = setInterval(() => server.server.closeIdleConnections(), 50);
        const timer = setTimeout(() => server.server.closeAllConnections(), graceMs);
        await Promise.all([delivery.stop(graceMs), closed]);
        clearInterval(sweep);
        clearTimeout(timer);
        if (!deps.clicksendDispatcher) await closeWithin(dispatcher, deadline - Date.now());
        if (!deps.store) await store.close();
      })();
      return closing;
    },
  };
};
