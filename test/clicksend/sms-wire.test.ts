import { describe, expect, it } from 'vitest';
import {
  ClickSendApiError,
  ClickSendMessagesFailedError,
  ClickSendPartialSendError,
  ClickSendRateLimitError,
  ClickSendSchemaError,
} from '../../src/clicksend/errors.js';
import { InvalidRequestError } from '../../src/errors.js';
import { envelope, mockClickSend } from '../helpers/mock-clicksend.js';

const sent = (to: string, status = 'SUCCESS', extra: Record<string, unknown> = {}) => ({
  direction: 'out',
  date: 1775012927,
  to,
  body: 'Running 10 min late',
  from: '',
  message_id: `ID-${to}`,
  message_parts: 1,
  message_price: '0.0770',
  custom_string: null,
  status,
  ...extra,
});

const result = (messages: unknown[]) => ({
  total_price: (messages.length * 0.077).toFixed(4),
  total_count: messages.length,
  queued_count: messages.length,
  messages,
  _currency: { currency_name_short: 'AUD', currency_prefix_d: '$', currency_prefix_c: 'c', currency_name_long: 'Australian Dollars' },
});

const numbers = (count: number) => Array.from({ length: count }, (_, i) => `+614${String(10_000_000 + i).padStart(8, '0')}`);

describe('sms.send on the wire', () => {
  it('posts JSON with Basic auth, ClickSend parameter names and our source tag', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(200, envelope(result([sent('+61411111111')])));

    const answer = await mock.client.sms.send([{ to: '+61411111111', body: 'Running 10 min late', custom_string: 'ref-1' }]);

    const [request] = mock.requests();
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('user:key').toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      messages: [{ to: '+61411111111', body: 'Running 10 min late', custom_string: 'ref-1', source: 'clicksend-teams-bridge' }],
    });
    expect(answer.total_price).toBeCloseTo(0.077);
    expect(answer.messages[0]).toMatchObject({ message_id: 'ID-+61411111111', message_price: 0.077, status: 'SUCCESS' });
    expect(answer._currency?.currency_name_short).toBe('AUD');
  });

  it('tags the copies it sends with our source and leaves the messages it was given as they were', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(200, envelope(result([sent('+61411111111')])));
    const message = { to: '+61411111111', body: 'Hi' };
    await mock.client.sms.send([message]);
    expect(message).toEqual({ to: '+61411111111', body: 'Hi' });
    expect(mock.requests()[0]?.body).toEqual({ messages: [{ to: '+61411111111', body: 'Hi', source: 'clicksend-teams-bridge' }] });
  });

  it('passes a contact list recipient through as list_id', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(200, envelope(result([sent('+61411111111', 'SUCCESS', { list_id: '42' })])));
    const answer = await mock.client.sms.send([{ list_id: 42, body: 'Hello list' }]);
    expect(mock.requests()[0]?.body).toEqual({ messages: [{ list_id: 42, body: 'Hello list', source: 'clicksend-teams-bridge' }] });
    expect(answer.messages[0]?.list_id).toBe(42);
  });

  it('splits 10,000 recipients into exactly 10 requests of 1,000 and adds up the totals', async () => {
    const mock = mockClickSend();
    mock.pool
      .intercept({ path: '/v3/sms/send', method: 'POST' })
      .reply(200, (opts) => {
        const body = JSON.parse(String(opts.body)) as { messages: { to: string }[] };
        return envelope(result(body.messages.map((m) => sent(m.to))));
      })
      .times(10);

    const answer = await mock.client.sms.send(numbers(10_000).map((to) => ({ to, body: 'Sale on now' })));

    const requests = mock.requests();
    expect(requests).toHaveLength(10);
    for (const request of requests) expect((request.body as { messages: unknown[] }).messages).toHaveLength(1000);
    expect(answer.total_count).toBe(10_000);
    expect(answer.messages).toHaveLength(10_000);
    expect(answer.total_price).toBeCloseTo(770, 6);
  });

  it('refuses an over-long body and a malformed number before any request', async () => {
    const mock = mockClickSend();
    const error = await mock.client.sms.send([{ to: '0411111111', body: 'x'.repeat(1225) }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    const paths = (error as InvalidRequestError).issues.map((i) => i.path);
    expect(paths).toContain('messages.0.to');
    expect(paths).toContain('messages.0.body');
    expect(mock.requests()).toHaveLength(0);
  });

  it('refuses a message with both a number and a list', async () => {
    const mock = mockClickSend();
    await expect(mock.client.sms.send([{ to: '+61411111111', list_id: 1, body: 'Hi' }])).rejects.toBeInstanceOf(InvalidRequestError);
    expect(mock.requests()).toHaveLength(0);
  });

  it('keeps every per-recipient status when ClickSend refuses some messages in a 200 answer', async () => {
    const mock = mockClickSend();
    mock.pool
      .intercept({ path: '/v3/sms/send', method: 'POST' })
      .reply(200, envelope(result([sent('+61411111111'), sent('+61400000000', 'INVALID_RECIPIENT')])));

    const error = await mock.client.sms
      .send([
        { to: '+61411111111', body: 'Hi' },
        { to: '+61422222222', body: 'Hi' },
      ])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    const failure = error as ClickSendMessagesFailedError<{ messages: { status: string }[] }>;
    expect(failure.code).toBe('CS_ERR_MESSAGES_FAILED');
    expect(failure.failed).toEqual([{ index: 1, to: '+61400000000', status: 'INVALID_RECIPIENT' }]);
    expect(failure.result.messages.map((m) => m.status)).toEqual(['SUCCESS', 'INVALID_RECIPIENT']);
  });

  it('waits out a 429 for as long as Retry-After says and then sends once', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(429, envelope(null, 'TOO_MANY_REQUESTS', 429), { headers: { 'retry-after': '7' } });
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(200, envelope(result([sent('+61411111111')])));

    await mock.client.sms.send([{ to: '+61411111111', body: 'Hi' }]);

    expect(mock.sleeps).toEqual([7000]);
    expect(mock.requests()).toHaveLength(2);
  });

  it('gives up with a rate-limit error after a bounded number of 429s', async () => {
    const mock = mockClickSend({ retryOn429: { attempts: 2, maxWaitMs: 5_000 } });
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(429, envelope(null, 'TOO_MANY_REQUESTS', 429), { headers: { 'retry-after': '60' } }).times(3);

    const error = await mock.client.sms.send([{ to: '+61411111111', body: 'Hi' }]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendRateLimitError);
    expect((error as ClickSendRateLimitError).outcome).toBe('not-sent');
    expect(mock.sleeps).toEqual([5000, 5000]);
    expect(mock.requests()).toHaveLength(3);
  });

  it('never sends again after a 500, which may have happened after the send', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(500, envelope(null, 'INTERNAL_ERROR', 500)).times(2);

    const error = await mock.client.sms.send([{ to: '+61411111111', body: 'Hi' }]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 500, responseCode: 'INTERNAL_ERROR', outcome: 'unknown' });
    expect(mock.requests()).toHaveLength(1);
  });

  it('never sends again after the connection drops mid-request', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' }));
    const error = await mock.client.sms.send([{ to: '+61411111111', body: 'Hi' }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CS_ERR_TRANSPORT', outcome: 'unknown' });
    expect(mock.requests()).toHaveLength(1);
  });

  it('reports what a batched send had already sent when a later batch fails', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(200, (opts) => {
      const body = JSON.parse(String(opts.body)) as { messages: { to: string }[] };
      return envelope(result(body.messages.map((m) => sent(m.to))));
    });
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(500, envelope(null, 'INTERNAL_ERROR', 500));

    const error = await mock.client.sms.send(numbers(2500).map((to) => ({ to, body: 'Hi' }))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendPartialSendError);
    const partial = error as ClickSendPartialSendError<{ messages: unknown[] }>;
    expect(partial.sent.messages).toHaveLength(1000);
    expect(partial.unsentCount).toBe(1500);
    expect(partial.cause).toBeInstanceOf(ClickSendApiError);
    expect(mock.requests()).toHaveLength(2);
  });

  it('reports an answer of the wrong shape as a schema error, since the send may have worked', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/send', method: 'POST' }).reply(200, envelope({ messages: 'nope' }));
    const error = await mock.client.sms.send([{ to: '+61411111111', body: 'Hi' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendSchemaError);
    expect((error as ClickSendSchemaError).issues[0]?.path).toBe('data.messages');
  });

  it('asks ClickSend for the price with the same body and reports refused numbers without throwing', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/price', method: 'POST' }).reply(200, envelope(result([sent('+61411111111'), sent('+61400000000', 'INVALID_RECIPIENT')])));
    const price = await mock.client.sms.price([
      { to: '+61411111111', body: 'Hi' },
      { to: '+61422222222', body: 'Hi' },
    ]);
    expect(price.messages.map((m) => m.status)).toEqual(['SUCCESS', 'INVALID_RECIPIENT']);
  });

  it('cancels one scheduled SMS and all of them by custom string', async () => {
    const mock = mockClickSend();
    mock.pool.intercept({ path: '/v3/sms/ABC-1/cancel', method: 'PUT' }).reply(200, envelope(null));
    mock.pool.intercept({ path: '/v3/sms/cancel-all', method: 'PUT' }).reply(200, envelope({ count: 2 }));
    await mock.client.sms.cancel('ABC-1');
    await mock.client.sms.cancelAll('campaign-7');
    expect(mock.requests().map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', '/v3/sms/ABC-1/cancel', undefined],
      ['PUT', '/v3/sms/cancel-all', { custom_string: 'campaign-7' }],
    ]);
  });
});
