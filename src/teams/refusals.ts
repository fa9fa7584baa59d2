import { TeamsDeliveryError } from '../errors.js';
import type { TeamsOperation } from '../metrics/instruments.js';

/**
 * How a failed botbuilder call reads: one `TeamsDeliveryError` saying whether (and when) the
 * outbox may try again.
 */

/** Teams answers these when it may take the call later; anything else 4xx will never work. */
const isTransientStatus = (status: number): boolean => status === 408 || status === 412 || status === 429 || status >= 500;

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'REQUEST_SEND_ERROR',
]);

interface HttpErrorLike {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  response?: { status?: unknown; headers?: { get?: (name: string) => string | undefined } };
}

/** `Retry-After` in seconds or as an HTTP date (and Azure's `retry-after-ms`), in ms from now. */
export const parseRetryAfter = (headers: { get?: (name: string) => string | undefined } | undefined, now = Date.now()): number | undefined => {
  const get = (name: string): string | undefined => headers?.get?.(name)?.trim() || undefined;
  const ms = get('retry-after-ms') ?? get('x-ms-retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = get('retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

/** Every way a botbuilder call can fail, as one error saying whether (and when) to try again. */
export const toDeliveryError = (operation: TeamsOperation, error: unknown): TeamsDeliveryError => {
  if (error instanceof TeamsDeliveryError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as HttpErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.response?.status === 'number' ? e.response.status : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const reason = typeof e.message === 'string' ? e.message : String(error);
  if (status !== undefined) {
    const permanent = !isTransientStatus(status);
    const retryAfterMs = permanent ? undefined : parseRetryAfter(e.response?.headers);
    const label = code && code !== 'REQUEST_SEND_ERROR' ? ` ${code}` : '';
    return new TeamsDeliveryError({ message: `Teams refused ${operation} (HTTP ${status}${label}): ${reason}`, status, retryAfterMs, permanent, cause: error });
  }
  const timedOut = e.name === 'AbortError';
  const transport = timedOut || (code !== undefined && TRANSIENT_CODES.has(code));
  const what = timedOut ? 'did not answer in time' : transport ? `could not be reached (${code})` : `failed: ${reason}`;
  // Unknown failures (e.g. getting a token from Entra) are treated as passing: the outbox gives up after its own attempts.
  return new TeamsDeliveryError({ message: `Teams ${operation} ${what}`, status: undefined, permanent: false, cause: error });
};
