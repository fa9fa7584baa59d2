import { createHash, timingSafeEqual } from 'node:crypto';
import { WebhookError } from './errors.js';

// Hashing first gives timingSafeEqual two buffers of equal length whatever was sent, so
// neither the comparison nor an early length check tells a caller how long the token is.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

// The configured token's digest, made once rather than on every push.
let expectedDigest: { readonly token: string; readonly digest: Buffer } | undefined;
const digestOfExpected = (expected: string): Buffer => {
  if (expectedDigest?.token !== expected) expectedDigest = { token: expected, digest: digest(expected) };
  return expectedDigest.digest;
};

/** Constant-time check of the `?token=` a push carried against `WEBHOOK_TOKEN`. */
export const isValidWebhookToken = (given: string | null | undefined, expected: string): boolean => {
  const same = timingSafeEqual(digest(given ?? ''), digestOfExpected(expected));
  return same && given !== null && given !== undefined;
};

/** Throws the 401-coded refusal when the token is missing or wrong. */
export const verifyWebhookToken = (given: string | null | undefined, expected: string): void => {
  if (!isValidWebhookToken(given, expected)) {
    throw new WebhookError('ERR_WEBHOOK_UNAUTHORIZED', 'the webhook token is missing or wrong');
  }
};

/**
 * The `token` query parameter of a request URL (`/webhooks/...?token=...`), if any: the query
 * is what follows the first `?`, up to a `#`, decoded as a URL's search params are.
 */
export const tokenOf = (url: string | undefined): string | null => {
  const start = url?.indexOf('?') ?? -1;
  if (url === undefined || start < 0) return null;
  const end = url.indexOf('#', start);
  return new URLSearchParams(url.slice(start + 1, end < 0 ? undefined : end)).get('token');
};
