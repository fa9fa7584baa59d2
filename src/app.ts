import type { Dispatcher } from 'undici';
import { createClickSendClient, createClickSendDispatcher, type ClickSendClient } from './clicksend/client.js';
import type { Config } from './config.js';
import { createHttpServer } from './http/server.js';
import type { Logger } from './log.js';

export interface AppDeps {
  readonly logger: Logger;
  /** The undici dispatcher for ClickSend; one is made when left out. */
  readonly clicksendDispatcher?: Dispatcher;
}

export interface App {
  readonly clicksend: ClickSendClient | undefined;
  /**
   * Checks the ClickSend credentials once and logs the outcome (and the balance), so that an
   * operator sees a wrong key at start rather than at the first send. Never throws.
   */
  checkClickSend(): Promise<void>;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then frees every resource. */
  close(graceMs?: number): Promise<void>;
}

/** The composition root: builds every piece of infrastructure once and passes it down. */
export const createApp = (config: Config, deps: AppDeps): App => {
  const { logger } = deps;
  const dispatcher = deps.clicksendDispatcher ?? createClickSendDispatcher();
  const clicksend = config.clicksend.credentials
    ? createClickSendClient(
        { baseUrl: config.clicksend.apiUrl, credentials: config.clicksend.credentials, rateLimit: config.clicksend.rateLimit },
        { dispatcher, logger },
      )
    : undefined;
  const server = createHttpServer({ logger, isReady: async () => true });

  const log = logger.child({ module: 'app' });

  return {
    clicksend,
    async checkClickSend() {
      if (!clicksend) {
        log.warn('CLICKSEND_USERNAME and CLICKSEND_API_KEY are not set: nothing can be sent');
        return;
      }
      try {
        const check = await clicksend.account.verifyCredentials();
        if (check.ok) {
          log.info(
            { balance: check.account.balance, currency: check.account._currency?.currency_name_short },
            'clicksend credentials accepted',
          );
        } else {
          log.error({ reason: check.reason, responseCode: check.error.responseCode }, 'clicksend refused the credentials');
        }
      } catch (error) {
        log.warn({ code: (error as { code?: string }).code }, 'clicksend could not be reached to check the credentials');
      }
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.server.off('error', reject);
          const address = server.address();
          const host = address.address.includes(':') ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${host}:${address.port}` });
        });
      }),
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      const timer = setTimeout(() => server.server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      if (!deps.clicksendDispatcher) await dispatcher.close();
    },
  };
};
