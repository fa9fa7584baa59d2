import { describe, expect, it } from 'vitest';
import { WebhookError, webhookStatus, WEBHOOK_ERROR_CODES } from '../../src/inbound/errors.js';
import { expectedToken, isValidWebhookToken, tokenOf, verifyWebhookToken } from '../../src/inbound/token.js';

const TOKEN = 'tok_0123456789abcdef0123456789abcdef';
const EXPECTED = expectedToken(TOKEN);

describe('webhook token', () => {
  it('accepts exactly the configured token', () => {
    expect(isValidWebhookToken(TOKEN, EXPECTED)).toBe(true);
  });

  it.each([null, undefined, '', TOKEN.toUpperCase(), TOKEN.slice(1), `${TOKEN} `])('refuses %j', (given) => {
    expect(isValidWebhookToken(given, EXPECTED)).toBe(false);
    expect(() => verifyWebhookToken(given, EXPECTED)).toThrow(expect.objectContaining({ code: 'ERR_WEBHOOK_UNAUTHORIZED' }));
  });

  it('reads the token from the query and nothing else', () => {
    expect(tokenOf(`/webhooks/clicksend/inbound?a=1&token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenOf('/webhooks/clicksend/inbound')).toBeNull();
    expect(tokenOf(undefined)).toBeNull();
    // As a URL's search params read it: decoded, the first of two, nothing after a fragment mark.
    expect(tokenOf('/webhooks/clicksend/inbound?token=a%2Bb+c&token=second')).toBe('a+b c');
    expect(tokenOf('/webhooks/clicksend/inbound?x=1#token=in-fragment')).toBeNull();
    expect(tokenOf('/webhooks/clicksend/inbound#x?token=in-fragment')).toBeNull();
    expect(tokenOf('/webhooks/clicksend/inbound?token=t?u')).toBe('t?u');
  });
});

describe('webhook error statuses', () => {
  it('maps every code to the status the contract names', () => {
    const statuses = Object.fromEntries(WEBHOOK_ERROR_CODES.map((code) => [code, webhookStatus(code)]));
    expect(statuses).toEqual({
      ERR_WEBHOOK_DISABLED: 404,
      ERR_WEBHOOK_FORBIDDEN: 403,
      ERR_WEBHOOK_RATE_LIMITED: 429,
      ERR_WEBHOOK_UNAUTHORIZED: 401,
      ERR_WEBHOOK_UNSUPPORTED_MEDIA_TYPE: 415,
      ERR_WEBHOOK_BODY_TOO_LARGE: 413,
      ERR_WEBHOOK_INVALID_BODY: 400,
      ERR_WEBHOOK_JSON_LIMIT: 400,
      ERR_WEBHOOK_ABORTED: 499,
      ERR_WEBHOOK_BODY_TIMEOUT: 408,
      ERR_WEBHOOK_SINK_FAILED: 503,
    });
  });

  it('keeps its cause and code', () => {
    const cause = new Error('down');
    const error = new WebhookError('ERR_WEBHOOK_SINK_FAILED', 'try again', { cause, messageId: 'M1' });
    expect(error).toMatchObject({ code: 'ERR_WEBHOOK_SINK_FAILED', cause, messageId: 'M1', name: 'WebhookError' });
  });
});
