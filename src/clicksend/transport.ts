import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { noClickSendMetrics, type ClickSendMetrics } from '../metrics/instruments.js';
import { ClickSendApiError, ClickSendRateLimitError, ClickSendSchemaError, type ClickSendError } from './errors.js';
import { compiledAnswer } from './compiled.js';
import { failureResult, parseRetryAfter, statusResult, toTransportError } from './exchange-failures.js';
import { countSent, SEND_CHANNELS } from './messages.js';
import { createRateLimiter, defaultSleep, type RateLimiter } from './rate-limiter.js';
import { EnvelopeSchema } from './schemas.js';

/**
 * The one place that talks HTTP to ClickSend: auth, timeouts, rate limiting, the envelope,
 * error mapping, and the only retries we allow ourselves (429s, and idempotent GETs).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallSpec<S extends z.ZodType> {
  /** Stable operation name for logs and errors, e.g. `sms.send`. */
  readonly operation: string;
  readonly method: HttpMethod;
  /** Path below the base URL, e.g. `/sms/send`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /**
   * Schema of the envelope's `data`. Keep it a constant (module or client level): envelope and
   * data are compiled into one schema the first time it is seen (`compiledAnswer`).
   */
  readonly data: S;
}

export interface Transport {
  call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.output<S>>;
}

export interface TransportTimeouts {
  /** Until the response headers arrive. */
  readonly headersMs: number;
  /** Between body chunks. */
  readonly bodyMs: number;
}

export interface TransportOptions {
  /** e.g. `https://rest.clicksend.com/v3`. */
  readonly baseUrl: string;
  readonly credentials: { readonly username: string; readonly apiKey: string };
  readonly timeouts?: Partial<TransportTimeouts>;
  /** Client-side limit; `false` turns it off (tests of the wire format). */
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number } | false;
  /** How often a 429 is waited out before giving up, and the longest single wait. */
  readonly retryOn429?: { readonly attempts: number; readonly maxWaitMs: number };
  /** How often an idempotent GET is tried again after a transport failure or a 502/503/504. */
  readonly getRetries?: number;
}

export interface TransportDeps {
  /** An undici Agent or Pool; its `connect.timeout` is the connect timeout. */
  readonly dispatcher: Dispatcher;
  readonly logger?: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly limiter?: RateLimiter;
  readonly metrics?: ClickSendMetrics;
}

export const DEFAULT_TIMEOUTS: TransportTimeouts = { headersMs: 30_000, bodyMs: 30_000 };
const DEFAULT_RETRY_ON_429 = { attempts: 3, maxWaitMs: 30_000 };
const RETRYABLE_GET_STATUSES = new Set([502, 503, 504]);

const readJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const issuesOf = (error: z.ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

export const createTransport = (options: TransportOptions, deps: TransportDeps): Transport => {
  const base = new URL(options.baseUrl.replace(/\/+$/, '') + '/');
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/$/, '');
  const authorization = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.apiKey}`).toString('base64')}`;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const retryOn429 = options.retryOn429 ?? DEFAULT_RETRY_ON_429;
  const getRetries = options.getRetries ?? 2;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? noClickSendMetrics;
  const log = (deps.logger ?? silentLogger).child({ module: 'clicksend' });
  const limiter =
    deps.limiter ??
    (options.rateLimit === false ? undefined : createRateLimiter({ ...(options.rateLimit ?? { requests: 100, windowMs: 60_000 }), now, sleep }));

  // Built once: undici only reads them, and a send should not pay for building them again.
  const jsonHeaders = { authorization, accept: 'application/json', 'content-type': 'application/json' };
  const plainHeaders = { authorization, accept: 'application/json' };

  const pathOf = (spec: CallSpec<z.ZodType>): string => {
    if (spec.query === undefined) return basePath + spec.path;
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.query)) if (value !== undefined) search.set(key, String(value));
    const query = search.toString();
    return `${basePath}${spec.path}${query ? `?${query}` : ''}`;
  };

  const failed = (spec: CallSpec<z.ZodType>, error: unknown): ClickSendError => {
    metrics.call(spec.operation, failureResult(error));
    return toTransportError(spec.operation, error);
  };

  /** One HTTP exchange; the body is always read to the end (or dumped) before returning. */
  const exchange = async (spec: CallSpec<z.ZodType>) => {
    if (limiter !== undefined) await limiter.acquire();
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await deps.dispatcher.request({
        origin,
        path: pathOf(spec),
        method: spec.method,
        headers: spec.body === undefined ? plainHeaders : jsonHeaders,
        body: spec.body === undefined ? null : JSON.stringify(spec.body),
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      });
    } catch (error) {
      throw failed(spec, error);
    }
    try {
      text = await response.body.text();
    } catch (error) {
      throw failed(spec, error);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) metrics.call(spec.operation, statusResult(response.statusCode));
    return { status: response.statusCode, headers: response.headers, json: readJson(text) };
  };

  const fail = (spec: CallSpec<z.ZodType>, status: number, json: unknown): ClickSendApiError => {
    const envelope = EnvelopeSchema.safeParse(json);
    return new ClickSendApiError({
      operation: spec.operation,
      status,
      responseCode: envelope.success ? envelope.data.response_code : `HTTP_${status}`,
      responseMsg: envelope.success ? (envelope.data.response_msg ?? '') : 'ClickSend answered without its usual envelope',
    });
  };

  const call = async <S extends z.ZodType>(spec: CallSpec<S>): Promise<z.output<S>> => {
    let rateLimited = 0;
    let getFailures = 0;
    for (;;) {
      // The debug line's object and clock reads are skipped unless someone will read them.
      const debug = log.isLevelEnabled('debug');
      const started = debug ? now() : 0;
      let answer: Awaited<ReturnType<typeof exchange>>;
      try {
        answer = await exchange(spec);
      } catch (error) {
        if (spec.method === 'GET' && getFailures < getRetries) {
          getFailures += 1;
          await sleep(200 * 2 ** getFailures);
          continue;
        }
        log.warn({ operation: spec.operation, code: (error as ClickSendError).code }, 'clicksend call failed');
        throw error;
      }
      const { status, headers, json } = answer;
      if (debug) log.debug({ operation: spec.operation, status, ms: now() - started }, 'clicksend call');

      if (status === 429) {
        // A 429 means ClickSend did not take the request: waiting and sending it again is safe.
        const retryAfterMs = parseRetryAfter(headers['retry-after'], now());
        if (rateLimited >= retryOn429.attempts) {
          throw new ClickSendRateLimitError({ operation: spec.operation, attempts: rateLimited + 1, retryAfterMs });
        }
        rateLimited += 1;
        const wait = Math.min(retryAfterMs ?? 1000 * 2 ** (rateLimited - 1), retryOn429.maxWaitMs);
        log.info({ operation: spec.operation, wait }, 'clicksend rate limited; waiting');
        await sleep(wait);
        continue;
      }
      if (spec.method === 'GET' && RETRYABLE_GET_STATUSES.has(status) && getFailures < getRetries) {
        getFailures += 1;
        await sleep(200 * 2 ** getFailures);
        continue;
      }
      if (status < 200 || status >= 300) throw fail(spec, status, json);

      const parsed = compiledAnswer(spec.data).safeParse(json);
      if (!parsed.success) {
        metrics.call(spec.operation, 'invalid_response');
        throw new ClickSendSchemaError({ operation: spec.operation, issues: issuesOf(parsed.error) });
      }
      metrics.call(spec.operation, 'ok');
      const channel = SEND_CHANNELS[spec.operation];
      if (channel) {
        const { accepted, refused } = countSent(parsed.data.data);
        metrics.sent(channel, accepted, refused);
      }
      return parsed.data.data;
    }
  };

  return { call };
};
