import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach } from 'vitest';
import { createHttpServer, type HttpServerDeps } from '../../src/http/server.js';
import { mountWebhookRoutes, type WebhookRoutesDeps, type WebhookSink } from '../../src/inbound/routes.js';
import { createLogger, silentLogger, type Logger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { countWebhookRefusals } from '../../src/metrics/webhook-refusals.js';
import type { DeliveryReceipt, InboundSms } from '../../src/store/relay.js';

export const TOKEN = 'tok_0123456789abcdef0123456789abcdef';
export const NOW = new Date('2026-04-01T03:30:00.000Z');

export const fixture = (name: string): string => readFileSync(new URL(`../fixtures/clicksend/${name}`, import.meta.url), 'utf8');

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A sink that records what it was given; `fail` makes the next calls reject. */
export class FakeSink implements WebhookSink {
  readonly inbound: InboundSms[] = [];
  readonly receipts: DeliveryReceipt[] = [];
  readonly seen = new Set<string>();
  fail: Error | undefined;
  /** The message ids `acceptReceipt` calls ours. */
  readonly ours = new Set<string>();

  async acceptInbound(sms: InboundSms): Promise<'stored' | 'duplicate'> {
    if (this.fail) throw this.fail;
    this.inbound.push(sms);
    if (this.seen.has(sms.messageId)) return 'duplicate';
    this.seen.add(sms.messageId);
    return 'stored';
  }

  async acceptReceipt(receipt: DeliveryReceipt): Promise<boolean> {
    if (this.fail) throw this.fail;
    this.receipts.push(receipt);
    return this.ours.has(receipt.messageId);
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

export interface PostOptions {
  readonly contentType?: string | undefined;
  /** Sent in these pieces with chunked transfer encoding (no Content-Length). */
  readonly chunks?: readonly (string | Buffer)[];
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A POST over node:http, which (unlike fetch) lets a test leave out headers and stream. */
export const post = (url: string, options: PostOptions): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    const req = request(url, { method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
      });
    });
    // Once the server answered a refusal it may reset the connection under a body still being
    // sent; that is expected, and the answer was already read.
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body ?? '');
    }
  });

export interface Harness {
  readonly url: string;
  readonly sink: FakeSink;
  /** Every log line written, as raw text (only when `captureLogs`). */
  readonly logs: () => string;
  /** POSTs to a webhook path with `?token=<TOKEN>` unless `token` says otherwise (`null`: none). */
  post(path: string, options: PostOptions & { token?: string | null }): Promise<Answer>;
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

export type WebhookOptions = {
  token?: string | undefined;
  captureLogs?: boolean;
  /** Serves GET /metrics and counts refusals there, as the app does. */
  metrics?: boolean;
  timeouts?: HttpServerDeps['timeouts'];
} & Pick<WebhookRoutesDeps, 'allowedIps' | 'trustProxy' | 'failures'>;

export const startWebhooks = async (options: WebhookOptions = {}): Promise<Harness> => {
  let logText = '';
  const logger: Logger = options.captureLogs
    ? createLogger({ level: 'trace', destination: { write: (line: string) => void (logText += line) } })
    : silentLogger;
  const sink = new FakeSink();
  const metrics = options.metrics
    ? createMetrics({ version: '0.0.0-test', outbox: { outboxStats: async () => ({ pending: 0, waiting: 0, parked: 0, oldestQueuedAt: undefined }) } })
    : undefined;
  const server = createHttpServer({
    logger,
    isReady: async () => true,
    ...(metrics ? { metrics: { registry: metrics.registry } } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  const { allowedIps, trustProxy, failures } = options;
  mountWebhookRoutes(server, {
    token: 'token' in options ? options.token : TOKEN,
    sink,
    logger,
    now: () => NOW,
    allowedIps,
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...(failures ? { failures } : {}),
  });
  if (metrics) countWebhookRefusals(server, metrics.webhooks, { [INBOUND]: 'inbound', [RECEIPTS]: 'receipt', [VOICE_RECEIPTS]: 'voice_receipt' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address();
  running.push(
    () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    sink,
    logs: () => logText,
    post: (path, { token = TOKEN, ...rest }) =>
      post(token === null ? `${base}${path}` : `${base}${path}?token=${encodeURIComponent(token)}`, rest),
  };
};

export const INBOUND = '/webhooks/clicksend/inbound';
export const RECEIPTS = '/webhooks/clicksend/receipts';
export const VOICE_RECEIPTS = '/webhooks/clicksend/voice-receipts';

/** A form body from fields, as ClickSend's `post` webhook type sends it. */
export const form = (fields: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
