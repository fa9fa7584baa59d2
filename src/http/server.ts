import restify from 'restify';
import { restifyLogger, type Logger } from '../log.js';

export interface HttpServerDeps {
  readonly logger: Logger;
  /** True when every dependency the bridge needs to do its work answers. */
  readonly isReady: () => Promise<boolean>;
}

export type HttpServer = restify.Server;

/**
 * The restify server with the operational routes. Feature routes (`/api/messages`, the
 * webhooks) are mounted by the composition root; restify 11 wants async handlers to take
 * `(req, res)` only.
 */
export const createHttpServer = (deps: HttpServerDeps): HttpServer => {
  const server = restify.createServer({ name: 'clicksend-teams-bridge', handleUncaughtExceptions: false, log: restifyLogger(deps.logger) });
  const log = deps.logger.child({ module: 'http' });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { ok: true });
  });

  server.get('/readyz', async (_req, res) => {
    const ready = await deps.isReady().catch((error: unknown) => {
      log.warn({ err: error }, 'readiness check failed');
      return false;
    });
    res.send(ready ? 200 : 503, { ok: ready });
  });

  server.on('restifyError', (req: restify.Request, _res: restify.Response, error: Error & { statusCode?: number }, callback: () => void) => {
    if ((error.statusCode ?? 500) >= 500) log.error({ err: error, route: req.getRoute()?.path }, 'request failed');
    callback();
  });

  return server;
};
