import { hash, timingSafeEqual } from 'node:crypto';
import { WebhookError } from './errors.js';

// Hashing first gives timingSafeEqual two buffers of equal length whatever was sent, so
// neither the comparison nor an early length check tells a caller how long the token is.
const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

/** `WEBHOOK_TOKEN` as it is compared: its digest, made once, so that a push hashes only what it sent. */
export interface ExpectedToken {
  readonly digest: Buffer;
}

export const expectedToken = (token: string): ExpectedToken => ({ digest: digest(token) });

/** Constant-time check of the `?token=` a push carried against `WEBHOOK_TOKEN`. */
export const isValidWebhookToken = (given: string | null | undefined, expected: ExpectedToken): boolean => {
  const same = timingSafeEqual(digest(given ?? ''), expected.digest);
  return same && given !== null && given !== undefined;
};

/** Throws the 401-coded refusal when the token is missing or wrong. */
export const verifyWebhookToken = (given: string | null | undefined, expected: ExpectedToken): void => {
  if (!isValidWebhookToken(given, expected)) {
    throw new WebhookError('ERR_WEBHOOK_UNAUTHORIZED', 'the webhook token is missing or wrong');
  }
};

/**
 * The `token` query parameter of a request URL (`/webhooks/...?token=...`), if any: the query
 * is what follows the first `?` before any `#`, decoded as a URL's search params are.
 */
export const tokenOf = (url: string | undefined): string | null => {
  if (url === undefined) return null;
  const hash = url.indexOf('#');
  const beforeFragment = hash < 0 ? url : url.slice(0, hash);
  const start = beforeFragment.indexOf('?');
  return start < 0 ? null : new URLSearchParams(beforeFragment.slice(start + 1)).get('token');
};
