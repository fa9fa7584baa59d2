import { createHash, timingSafeEqual } from 'node:crypto';
import { WebhookError } from './errors.js';

// Hashing first gives timingSafeEqual two buffers of equal length whatever was sent, so
// neither the comparison nor an early length check tells a caller how long the token is.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time check of the `?token=` a push carried against `WEBHOOK_TOKEN`. */
export const isValidWebhookToken = (given: string | null | undefined, expected: string): boolean => {
  const same = timingSafeEqual(digest(given ?? ''), digest(expected));
  return same && given !== null && given !== undefined;
};

/** Throws the 401-coded refusal when the token is missing or wrong. */
export const verifyWebhookToken = (given: string | null | undefined, expected: string): void => {
  if (!isValidWebhookToken(given, expected)) {
    throw new WebhookError('ERR_WEBHOOK_UNAUTHORIZED', 'the webhook token is missing or wrong');
  }
};

/** The `token` query parameter of a request URL (`/webhooks/...?token=...`), if any. */
export const tokenOf = (url: string | undefined): string | null => {
  const base = 'http://localhost';
  return URL.canParse(url ?? '/', base) ? new URL(url ?? '/', base).searchParams.get('token') : null;
};
