import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createClickSendClient } from '../../src/clicksend/client.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { envelope } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

/** Our client over undici's MockAgent, reporting to a real metrics registry. */
const setup = () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const metrics = createMetrics({ version: '0.0.0', outbox: { outboxStats: async () => ({ pending: 0, waiting: 0, parked: 0, oldestQueuedAt: undefined }) } });
  const client = createClickSendClient(
    { baseUrl: `${ORIGIN}/v3`, credentials: { username: 'user', apiKey: 'key' }, rateLimit: false },
    { dispatcher: agent, sleep: async () => {}, metrics: metrics.clicksend },
  );
  /** The value of a counter's sample with exactly these labels (0 when it has none). */
  const value = async (name: string, labels: Record<string, string>): Promise<number> => {
    const metric = await metrics.registry.getSingleMetric(name)?.get();
    const key = JSON.stringify(labels);
    return metric?.values.find((v) => JSON.stringify(Object.fromEntries(Object.entries(v.labels).sort())) === key)?.value ?? 0;
  };
  return { pool: agent.get(ORIGIN), client, value };
};

const sent = (status: string, to: string) => ({ message_id: `M-${to}`, to, status, message_parts: 1, message_price: 0.1 });
const TO = ['+61411111111', '+61422222222'];

describe('ClickSend metrics', () => {
  it('counts each exchange with its result, and the messages of a send that ClickSend accepted and refused', async () => {
    const { pool, client, value } = setup();
    pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(429, envelope(null, 'TOO_MANY_REQUESTS', 429));
    pool
      .intercept({ path: '/v3/sms/send', method: 'POST' })
      .reply(200, envelope({ total_price: 0.1, total_count: 2, queued_count: 1, messages: [sent('SUCCESS', TO[0]!), sent('INVALID_RECIPIENT', TO[1]!)] }));
    await expect(client.sms.send(TO.map((to) => ({ to, body: 'hello' })))).rejects.toMatchObject({ code: 'CS_ERR_MESSAGES_FAILED' });

    expect(await value('bridge_clicksend_requests_total', { operation: 'sms.send', result: 'http_429' })).toBe(1);
    expect(await value('bridge_clicksend_requests_total', { operation: 'sms.send', result: 'ok' })).toBe(1);
    expect(await value('bridge_clicksend_messages_total', { channel: 'sms', result: 'accepted' })).toBe(1);
    expect(await value('bridge_clicksend_messages_total', { channel: 'sms', result: 'refused' })).toBe(1);
  });

  it('does not count a price request as a send', async () => {
    const { pool, client, value } = setup();
    pool.intercept({ path: '/v3/sms/price', method: 'POST' }).reply(200, envelope({ total_price: 0.1, total_count: 1, queued_count: 0, messages: [sent('SUCCESS', TO[0]!)] }));
    await client.sms.price([{ to: TO[0]!, body: 'hello' }]);
    expect(await value('bridge_clicksend_requests_total', { operation: 'sms.price', result: 'ok' })).toBe(1);
    expect(await value('bridge_clicksend_messages_total', { channel: 'sms', result: 'accepted' })).toBe(0);
  });

  it('labels a 5xx by its class, an unreadable answer as invalid_response, and a failed connection by its code', async () => {
    const { pool, client, value } = setup();
    pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(503, 'busy');
    await expect(client.sms.send([{ to: TO[0]!, body: 'hi' }])).rejects.toMatchObject({ status: 503 });
    pool.intercept({ path: '/v3/account', method: 'GET' }).reply(200, 'not json');
    await expect(client.account.get()).rejects.toMatchObject({ code: 'CS_ERR_SCHEMA' });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    pool.intercept({ path: '/v3/account', method: 'GET' }).replyWithError(refused).times(3);
    await expect(client.account.get()).rejects.toMatchObject({ code: 'CS_ERR_TRANSPORT' });

    expect(await value('bridge_clicksend_requests_total', { operation: 'sms.send', result: 'http_5xx' })).toBe(1);
    expect(await value('bridge_clicksend_requests_total', { operation: 'account.get', result: 'invalid_response' })).toBe(1);
    // A GET is tried three times in all.
    expect(await value('bridge_clicksend_requests_total', { operation: 'account.get', result: 'ECONNREFUSED' })).toBe(3);
  });
});
