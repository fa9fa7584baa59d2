import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import restify from 'restify';
import { restifyLogger, type Logger } from '../log.js';
import type { Readiness } from './readiness.js';

export interface HttpServerDeps {
  readonly logger: Logger;
  /** Whether the bridge can do its work, with each check's reason (see readiness.ts). */
  readonly readiness?: () => Promise<Readiness>;
  /** The simpler form for servers without an outbox (route tests): false means the store is down. */
  readonly isReady?: () => Promise<boolean>;
  /** Served at GET /metrics; with a `token`, only to `Authorization: Bearer <token>`. */
  readonly metrics?: { readonly registry: Registry; readonly token?: string | undefined };
  /** How long a client may take to send its headers, and its whole request, checked how often (tests shorten them). */
  readonly timeouts?: { readonly headersMs: number; readonly requestMs: number; readonly checkEveryMs: number };
}

/**
 * Teams and ClickSend send small requests at once; Node's defaults (60 s for headers, 300 s for
 * a request) would let a client that trickles bytes hold a connection for minutes.
 */
const TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, checkEveryMs: 1_000 };

export type HttpServer = restify.Server;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares in constant time (over digests, so that the length does not leak either). */
const isBearer = (header: string | undefined, token: string): boolean => {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
};

/**
 * The restify server with the operational routes. Feature routes (`/api/messages`, the
 * webhooks) are mounted by the composition root; restify 11 wants async handlers to take
 * `(req, res)` only.
 */
export const createHttpServer = (deps: HttpServerDeps): HttpServer => {
  const server = restify.createServer({ name: 'clicksend-teams-bridge', handleUncaughtExceptions: false, log: restifyLogger(deps.logger) });
  const timeouts = deps.timeouts ?? TIMEOUTS;
  server.server.headersTimeout = timeouts.headersMs;
  server.server.requestTimeout = timeouts.requestMs;
  // Node checks both only this often (30 s by default); read when the server starts listening.
  Object.assign(server.server, { connectionsCheckingInterval: timeouts.checkEveryMs });
  const log = deps.logger.child({ module: 'http' });
  const { isReady } = deps;
  const storeDown: Readiness = { ok: false, checks: { store: { ok: false, reason: 'the store did not answer' } } };
  const readiness =
    deps.readiness ?? (async (): Promise<Readiness> => (!isReady || (await isReady()) ? { ok: true, checks: { store: { ok: true } } } : storeDown));

  server.get('/healthz', async (_req, res) => {
    res.send(200, { ok: true });
  });

  server.get('/readyz', async (_req, res) => {
    const ready = await readiness().catch((error: unknown): Readiness => {
      log.error({ err: error }, 'readiness check failed');
      return { ok: false, checks: { store: { ok: false, reason: 'the readiness check failed' } } };
    });
    res.send(ready.ok ? 200 : 503, ready);
  });

  const { metrics } = deps;
  if (metrics) {
    server.get('/metrics', async (req, res) => {
      if (metrics.token !== undefined && !isBearer(req.headers.authorization, metrics.token)) {
        res.send(401, { error: 'send the metrics token as Authorization: Bearer <METRICS_TOKEN>' });
        return;
      }
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  }

  server.on('restifyError', (req: restify.Request, _res: restify.Response, error: Error & { statusCode?: number }, callback: () => void) => {
    if ((error.statusCode ?? 500) >= 500) log.error({ err: error, route: req.getRoute()?.path }, 'request failed');
    callback();
  });

  return server;
};
