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

  return {
    clicksend,
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
