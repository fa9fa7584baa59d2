import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, createCallerAllowList, createFailureLimiter, limiterKeyOf } from '../../src/inbound/callers.js';
import { startTestBridge, TEST_WEBHOOK_TOKEN } from '../helpers/bridge.js';
import { FORM_TYPE, INBOUND, JSON_TYPE, RECEIPTS, TOKEN, fixture, startWebhooks } from './harness.js';

const requestFrom = (remoteAddress: string, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

const inboundJson = fixture('inbound-sms.json');

/** The i-th of 65,536 distinct IPv4 addresses. */
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('the webhook caller', () => {
  it('is the socket peer unless a proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddressOf(requestFrom('::ffff:10.0.0.5', '203.0.113.7'), false)).toBe('10.0.0.5');
  });

  it('is the right-most X-Forwarded-For entry behind a trusted proxy, so a forged left entry changes nothing', () => {
    expect(clientAddressOf(requestFrom('10.0.0.5', '198.51.100.1, 203.0.113.7'), true)).toBe('203.0.113.7');
    expect(clientAddressOf(requestFrom('10.0.0.5', ['198.51.100.1', '203.0.113.8 ']), true)).toBe('203.0.113.8');
    expect(clientAddressOf(requestFrom('10.0.0.5', '::FFFF:203.0.113.9'), true)).toBe('203.0.113.9');
  });

  it('is the proxy itself when a trusted proxy sent no usable X-Forwarded-For', () => {
    expect(clientAddressOf(requestFrom('10.0.0.5'), true)).toBe('10.0.0.5');
    expect(clientAddressOf(requestFrom('10.0.0.5', '203.0.113.7, not-an-ip'), true)).toBe('10.0.0.5');
  });

  it('is checked against addresses and CIDR blocks of both families', () => {
    const allowed = createCallerAllowList(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
    expect(['203.0.113.7', '198.51.100.254', '2001:db8:1::5', '::ffff:203.0.113.7'].map(allowed)).toEqual([true, true, true, true]);
    expect(['203.0.113.8', '198.51.101.1', '2001:db9::1', '', 'unknown'].map(allowed)).toEqual([false, false, false, false, false]);
    expect(createCallerAllowList(undefined)('192.0.2.1')).toBe(true);
  });

  it('counts IPv6 callers by their /64, IPv4 callers by address', () => {
    expect(limiterKeyOf('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(limiterKeyOf('2001:db8:0:1:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(limiterKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(limiterKeyOf('203.0.113.7')).toBe('203.0.113.7');
  });
});

describe('the failure limiter', () => {
  it('limits an address after 10 failures until its 60 s window ends', () => {
    let now = 1_000_000;
    const limiter = createFailureLimiter({ now: () => now });
    for (let i = 0; i < 9; i += 1) limiter.recordFailure('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfterMs('a')).toBe(60_000);
    expect(limiter.retryAfterMs('b')).toBe(0);
    now += 59_000;
    expect(limiter.retryAfterMs('a')).toBe(1_000);
    now += 1_000;
    expect(limiter.retryAfterMs('a')).toBe(0);
  });

  it('tracks at most maxAddresses addresses, forgetting the oldest caller that is not limited first', () => {
    const limiter = createFailureLimiter({ maxAddresses: 100, maxFailures: 3 });
    for (let i = 0; i < 1_000; i += 1) limiter.recordFailure(address(i));
    expect(limiter.size).toBe(100);
    for (let i = 0; i < 2; i += 1) limiter.recordFailure(address(999));
    expect(limiter.retryAfterMs(address(999))).toBeGreaterThan(0);
    // Its first failure was forgotten: two more do not limit it.
    for (let i = 0; i < 2; i += 1) limiter.recordFailure(address(0));
    expect(limiter.retryAfterMs(address(0))).toBe(0);
  });

  it('keeps a limited caller limited until its window ends, however many other callers fail meanwhile', () => {
    let now = 1_000_000;
    const limiter = createFailureLimiter({ now: () => now });
    for (let i = 0; i < 10; i += 1) limiter.recordFailure('192.0.2.66');
    now += 1_000;
    for (let i = 0; i < 20_000; i += 1) limiter.recordFailure(address(i));
    expect(limiter.size).toBeLessThanOrEqual(10_000);
    expect(limiter.retryAfterMs('192.0.2.66')).toBe(59_000);
    now += 59_000;
    expect(limiter.retryAfterMs('192.0.2.66')).toBe(0);
  });

  it('counts the failures of callers that find the table full of limited ones together, without forgetting any limited one', () => {
    let now = 1_000_000;
    const limiter = createFailureLimiter({ maxAddresses: 100, maxFailures: 10, now: () => now });
    for (let i = 0; i < 100; i += 1) for (let n = 0; n < 10; n += 1) limiter.recordFailure(address(i));
    now += 10_000;
    // A caller that never failed (ClickSend pushing) is not refused while the shared budget lasts.
    expect(limiter.retryAfterMs('203.0.113.1')).toBe(0);
    for (let i = 100; i < 109; i += 1) limiter.recordFailure(address(i));
    expect(limiter.retryAfterMs(address(200))).toBe(0);
    limiter.recordFailure(address(109));
    // Every caller the table cannot hold shares the limit; the limited ones are all still there.
    expect(limiter.retryAfterMs(address(200))).toBe(60_000);
    expect(limiter.size).toBe(100);
    for (let i = 0; i < 100; i += 1) expect(limiter.retryAfterMs(address(i))).toBe(50_000);
    // The shared window outlasts theirs; once it ends too, new callers get windows of their own again.
    now += 50_000;
    expect(limiter.retryAfterMs(address(0))).toBe(10_000);
    now += 10_000;
    expect(limiter.retryAfterMs(address(0))).toBe(0);
    for (let n = 0; n < 9; n += 1) limiter.recordFailure(address(300));
    expect(limiter.retryAfterMs(address(300))).toBe(0);
    limiter.recordFailure(address(300));
    expect(limiter.retryAfterMs(address(300))).toBe(60_000);
    expect(limiter.retryAfterMs(address(301))).toBe(0);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});

describe('webhook callers over HTTP', () => {
  it.each([INBOUND, RECEIPTS])('answers 403 with a JSON error on %s to a caller outside WEBHOOK_ALLOWED_IPS, even with the token', async (path) => {
    const hooks = await startWebhooks({ allowedIps: ['203.0.113.0/24'] });
    const answer = await hooks.post(path, { contentType: JSON_TYPE, body: inboundJson });
    expect(answer).toMatchObject({ status: 403, body: { error: expect.any(String) } });
    expect([...hooks.sink.inbound, ...hooks.sink.receipts]).toEqual([]);
  });

  it('takes a push from a caller inside WEBHOOK_ALLOWED_IPS', async () => {
    const hooks = await startWebhooks({ allowedIps: ['127.0.0.0/8'] });
    expect((await hooks.post(INBOUND, { contentType: JSON_TYPE, body: inboundJson })).status).toBe(200);
  });

  it('checks the address the trusted proxy appended, not one the caller forged', async () => {
    const hooks = await startWebhooks({ allowedIps: ['203.0.113.7'], trustProxy: true });
    const forged = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: inboundJson, headers: { 'x-forwarded-for': '203.0.113.7, 192.0.2.1' } });
    expect(forged.status).toBe(403);
    const real = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: inboundJson, headers: { 'x-forwarded-for': '192.0.2.1, 203.0.113.7' } });
    expect(real.status).toBe(200);
  });

  it('answers 429 with Retry-After after 10 wrong tokens, even to the right token, and only for that caller', async () => {
    let now = 5_000_000;
    const hooks = await startWebhooks({ trustProxy: true, failures: createFailureLimiter({ now: () => now }) });
    const from = (address: string, token: string | null) =>
      hooks.post(INBOUND, { contentType: FORM_TYPE, body: fixture('inbound-sms.form.txt'), token, headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < 10; i += 1) expect((await from('192.0.2.66', i % 2 ? null : 'guess')).status).toBe(401);
    const limited = await from('192.0.2.66', TOKEN);
    expect(limited).toMatchObject({ status: 429, body: { error: expect.any(String) } });
    expect(limited.headers['retry-after']).toBe('60');
    expect(hooks.sink.inbound).toEqual([]);

    expect((await from('192.0.2.10', TOKEN)).status).toBe(200);
    now += 60_000;
    expect((await from('192.0.2.66', TOKEN)).status).toBe(200);
  });

  it('still answers 429 to a limited caller after many other callers got the token wrong', async () => {
    const hooks = await startWebhooks({ trustProxy: true, failures: createFailureLimiter({ maxAddresses: 20 }) });
    const from = (forwardedFor: string, token: string | null) =>
      hooks.post(INBOUND, { contentType: JSON_TYPE, body: inboundJson, token, headers: { 'x-forwarded-for': forwardedFor } });
    for (let i = 0; i < 10; i += 1) await from('192.0.2.66', 'guess');
    for (let i = 0; i < 50; i += 1) expect((await from(address(i), 'guess')).status).toBe(401);
    expect((await from('192.0.2.66', TOKEN)).status).toBe(429);
  });

  it('never limits a caller for its accepted pushes', async () => {
    const hooks = await startWebhooks();
    for (let i = 0; i < 15; i += 1) {
      const body = JSON.stringify({ ...(JSON.parse(inboundJson) as object), message_id: `M-${i}` });
      expect((await hooks.post(INBOUND, { contentType: JSON_TYPE, body })).status).toBe(200);
    }
  });
});

describe('the running bridge', () => {
  it('applies WEBHOOK_ALLOWED_IPS and TRUST_PROXY from the environment', async () => {
    const bridge = await startTestBridge({ webhooks: true, env: { WEBHOOK_ALLOWED_IPS: '203.0.113.0/24', TRUST_PROXY: 'true' } });
    const push = (forwardedFor: string) =>
      fetch(`${bridge.url}${INBOUND}?token=${TEST_WEBHOOK_TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': JSON_TYPE, 'x-forwarded-for': forwardedFor },
        body: inboundJson,
      });
    expect((await push('192.0.2.1')).status).toBe(403);
    expect((await push('192.0.2.1, 203.0.113.9')).status).toBe(200);
  });
});
