import { createServer } from 'node:http';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/teams/gateway.js';
import { CHANNEL_ID, afterTest, card, failure, setup, type GatewaySetup } from './setup.js';

describe('TeamsGateway over HTTP', () => {
  it('starts a thread in a channel and returns its ;messageid= conversation id and root post id', async () => {
    const { connector, gateway, channel } = await setup();
    const thread = await gateway.createThread(channel, { card });
    expect(thread.conversationId).toMatch(/^19:sales@thread\.tacv2;messageid=\d+$/);
    expect(thread.conversationId).toBe(`${CHANNEL_ID};messageid=${thread.rootMessageId}`);
    const [call] = connector.calls;
    expect(call).toMatchObject({ method: 'POST', created: true, conversationId: thread.conversationId, id: thread.rootMessageId });
    expect(call?.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: CHANNEL_ID }, tenant: { id: 'tenant-1' } },
      bot: { id: '28:bot-1' },
      activity: { type: 'message' },
    });
    expect(connector.cards().map((c) => c.card)).toEqual([card]);
  });

  it('posts into a thread by its conversation id, not as a reply to the channel', async () => {
    const { connector, gateway, channel } = await setup();
    const thread = await gateway.createThread(channel, { text: 'new conversation with +61411111111' });
    const posted = await gateway.post({ ...channel, conversationId: thread.conversationId }, { text: 'hello', card });
    expect(posted.activityId).toBe(connector.calls[1]?.id);
    expect(connector.attempts.map((a) => `${a.method} ${decodeURIComponent(a.path)}`)).toEqual([
      'POST /v3/conversations',
      `POST /v3/conversations/${thread.conversationId}/activities`,
    ]);
    expect(connector.calls[1]).toMatchObject({ conversationId: thread.conversationId, body: { type: 'message', text: 'hello', from: { id: '28:bot-1' } } });
    expect(connector.calls[1]).not.toHaveProperty('activityId');
  });

  it('accepts a post Teams answers with 202 and no body, without an id', async () => {
    const { connector, gateway, channel } = await setup();
    connector.acceptWithoutBody();
    await expect(gateway.post(channel, { text: 'hi' })).resolves.toEqual({ activityId: undefined });
    expect(connector.attempts.map((a) => a.status)).toEqual([202]);
  });

  it('gives up, without a second try, when Teams starts a thread but answers no id', async () => {
    const { connector, gateway, channel } = await setup();
    connector.acceptWithoutBody();
    const error = await failure(gateway.createThread(channel, { text: 'x' }));
    expect(error).toMatchObject({ permanent: true, status: undefined });
    expect(connector.attempts.map((a) => a.status)).toEqual([202]);
  });

  it('replaces a post with a PUT to its activity', async () => {
    const { connector, gateway, channel } = await setup();
    const target = { ...channel, conversationId: `${CHANNEL_ID};messageid=1700000000001` };
    await expect(gateway.update(target, 'bot-activity-7', { card })).resolves.toBeUndefined();
    expect(connector.calls).toEqual([
      expect.objectContaining({ method: 'PUT', conversationId: target.conversationId, activityId: 'bot-activity-7', body: expect.objectContaining({ id: 'bot-activity-7' }) }),
    ]);
    expect(connector.cards().map((c) => c.card)).toEqual([card]);
  });
});

type Operation = 'createThread' | 'post' | 'update';
const operations: Operation[] = ['createThread', 'post', 'update'];
const run = (setupResult: GatewaySetup, operation: Operation): Promise<unknown> => {
  const { gateway, channel } = setupResult;
  if (operation === 'createThread') return gateway.createThread(channel, { text: 'x' });
  if (operation === 'post') return gateway.post(channel, { text: 'x' });
  return gateway.update(channel, 'bot-activity-1', { text: 'x' });
};

describe.each(operations)('TeamsGateway %s failures', (operation) => {
  it.each([
    { status: 429, retryAfter: 2, permanent: false, retryAfterMs: 2_000 },
    { status: 429, retryAfter: undefined, permanent: false, retryAfterMs: undefined },
    { status: 412, retryAfter: undefined, permanent: false, retryAfterMs: undefined },
    { status: 500, retryAfter: undefined, permanent: false, retryAfterMs: undefined },
    { status: 502, retryAfter: undefined, permanent: false, retryAfterMs: undefined },
    { status: 503, retryAfter: 1, permanent: false, retryAfterMs: 1_000 },
    { status: 400, retryAfter: undefined, permanent: true, retryAfterMs: undefined },
    { status: 401, retryAfter: undefined, permanent: true, retryAfterMs: undefined },
    { status: 403, retryAfter: undefined, permanent: true, retryAfterMs: undefined },
    { status: 404, retryAfter: undefined, permanent: true, retryAfterMs: undefined },
    { status: 413, retryAfter: undefined, permanent: true, retryAfterMs: undefined },
  ])('maps HTTP $status (Retry-After $retryAfter) to permanent=$permanent after exactly one attempt', async ({ status, retryAfter, permanent, retryAfterMs }) => {
    const s = await setup();
    s.connector.failNext({ status, ...(retryAfter === undefined ? {} : { retryAfter }), times: 5 });
    const error = await failure(run(s, operation));
    expect(error).toMatchObject({ code: 'ERR_TEAMS_DELIVERY', status, permanent, retryAfterMs });
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.cause).toMatchObject({ statusCode: status });
    // botbuilder's pipeline would have retried 429/503 with Retry-After and 5xx; the gateway turns that off.
    expect(s.connector.attempts).toHaveLength(1);
    expect(s.connector.calls).toHaveLength(0);
    expect(s.onTurnError).not.toHaveBeenCalled();
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const s = await setup();
    s.connector.failNext({ status: 429, retryAfter: new Date(Date.now() + 30_000).toUTCString() });
    const error = await failure(run(s, operation));
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('reports a connector that drops the connection as passing, after one attempt', async () => {
    const s = await setup();
    s.connector.down(true);
    const error = await failure(run(s, operation));
    expect(error).toMatchObject({ status: undefined, permanent: false, retryAfterMs: undefined });
    expect(error.message).toMatch(/could not be reached \((ECONNRESET|EPIPE)\)/);
    expect(s.connector.attempts).toEqual([expect.objectContaining({ status: 0 })]);
    s.connector.down(false);
    await run(s, operation);
    expect(s.connector.calls).toHaveLength(1);
  });

  it('reports a connector nobody listens on as passing', async () => {
    const s = await setup();
    await s.connector.close();
    const error = await failure(run(s, operation));
    expect(error).toMatchObject({ status: undefined, permanent: false });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('gives up on a connector that never answers after the timeout', async () => {
    const s = await setup({ timeoutMs: 200 });
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    afterTest(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });
    const { port } = silent.address() as { port: number };
    const started = Date.now();
    const error = await failure(run({ ...s, channel: { ...s.channel, serviceUrl: `http://127.0.0.1:${port}/` } }, operation));
    expect(error).toMatchObject({ status: undefined, permanent: false });
    expect(error.message).toContain('did not answer in time');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('parseRetryAfter', () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] });
  it('reads seconds, HTTP dates and retry-after-ms, and ignores nonsense', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': '3' }), now)).toBe(3_000);
    expect(parseRetryAfter(headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:10 GMT' }), now)).toBe(10_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Mon, 31 Dec 2029 23:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '3' }), now)).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
