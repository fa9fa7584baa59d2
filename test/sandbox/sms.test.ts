import { describe, expect, it } from 'vitest';
import { call, startSandbox } from './helpers.js';

const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

const SMS_FIELDS = [
  'direction',
  'date',
  'to',
  'body',
  'from',
  'schedule',
  'message_id',
  'message_parts',
  'message_price',
  'from_email',
  'list_id',
  'custom_string',
  'contact_id',
  'user_id',
  'subaccount_id',
  'is_shared_system_number',
  'country',
  'carrier',
  'status',
];

describe('POST /v3/sms/send', () => {
  it('queues valid numbers and reports INVALID_RECIPIENT per message in the same 200 answer', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/send', {
      body: {
        messages: [
          { to: '+61411111111', body: 'Running late', custom_string: 'ref-1', source: 'test' },
          { to: '0412 345 678', body: 'Local number, AU by default' },
          { to: '12345', body: 'Not a number' },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Messages queued for delivery.' });
    const { data } = answer.body;
    expect(data).toMatchObject({ total_count: 3, queued_count: 2, blocked_count: 1, total_price: 0.1584 });
    expect(data._currency).toMatchObject({ currency_name_short: 'AUD', currency_prefix_d: '$' });
    const [first, second, third] = data.messages;
    expect(Object.keys(first).sort()).toEqual([...SMS_FIELDS].sort());
    expect(first).toMatchObject({
      direction: 'out',
      to: '+61411111111',
      from: sandbox.dedicatedNumbers[0],
      message_parts: 1,
      message_price: '0.0792',
      custom_string: 'ref-1',
      list_id: null,
      country: 'AU',
      status: 'SUCCESS',
    });
    expect(first.message_id).toMatch(UUID_UPPER);
    expect(typeof first.date).toBe('string');
    expect(second).toMatchObject({ to: '+61412345678', status: 'SUCCESS' });
    expect(third).toMatchObject({ to: '12345', status: 'INVALID_RECIPIENT', message_price: '0.0000' });
    expect(sandbox.state.messages.map((m) => m.messageId)).toEqual([first.message_id, second.message_id]);
  });

  it('reads local numbers in the message country', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/send', {
      body: { messages: [{ to: '(405) 555-5555', country: 'US', body: 'Hi' }] },
    });
    expect(answer.body.data.messages[0]).toMatchObject({ to: '+14055555555', country: 'US', status: 'SUCCESS' });
  });

  it('counts parts as GSM 160/153 or UCS-2 70/67 and prices each part', async () => {
    const sandbox = await startSandbox();
    const bodies = ['a'.repeat(160), 'a'.repeat(161), '€'.repeat(81), 'é'.repeat(70) + 'ж', 'ж'.repeat(70), 'ж'.repeat(71)];
    const answer = await call(sandbox, 'POST', '/v3/sms/send', { body: { messages: bodies.map((body) => ({ to: '+61422222222', body })) } });
    const parts = answer.body.data.messages.map((m: { message_parts: number }) => m.message_parts);
    expect(parts).toEqual([1, 2, 2, 2, 1, 2]);
    expect(answer.body.data.messages[1].message_price).toBe('0.1584');
  });

  it('reports EMPTY_MESSAGE, MISSING_REQUIRED_FIELDS, INVALID_SENDER_ID and INVALID_SCHEDULE per message', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/send', {
      body: {
        messages: [
          { to: '+61411111111', body: '   ' },
          { body: 'nobody to send to' },
          { to: '+61411111111', body: 'x', from: 'this is far too long' },
          { to: '+61411111111', body: 'x', schedule: 'tomorrow' },
        ],
      },
    });
    expect(answer.body.data.messages.map((m: { status: string }) => m.status)).toEqual([
      'EMPTY_MESSAGE',
      'MISSING_REQUIRED_FIELDS',
      'INVALID_SENDER_ID',
      'INVALID_SCHEDULE',
    ]);
  });

  it('answers 400 BAD_REQUEST naming the field when the body does not fit', async () => {
    const sandbox = await startSandbox();
    const missing = await call(sandbox, 'POST', '/v3/sms/send', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ http_code: 400, response_code: 'BAD_REQUEST', response_msg: 'The messages field is required.' });
    const wrongType = await call(sandbox, 'POST', '/v3/sms/send', { body: { messages: [{ to: '+61411111111', body: { text: 'x' } }] } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.response_msg).toMatch(/^messages\.0\.body: /);
    expect(wrongType.body.data).toHaveProperty(['messages.0.body']);
  });

  it('answers TOO_MANY_RECIPIENTS above 1,000 messages', async () => {
    const sandbox = await startSandbox();
    const messages = Array.from({ length: 1001 }, () => ({ to: '+61411111111', body: 'x' }));
    const answer = await call(sandbox, 'POST', '/v3/sms/send', { body: { messages } });
    expect(answer.status).toBe(400);
    expect(answer.body.response_code).toBe('TOO_MANY_RECIPIENTS');
  });

  it('spends the balance on real numbers but not on the documented test numbers', async () => {
    const sandbox = await startSandbox({ accounts: [{ username: 'u', apiKey: 'k', balance: 0.1 }] });
    const answer = await call(sandbox, 'POST', '/v3/sms/send', {
      body: { messages: [{ to: '+61411111111', body: 'free' }, { to: '+61412345678', body: 'paid' }, { to: '+61412345679', body: 'no money left' }] },
    });
    expect(answer.body.data.messages.map((m: { status: string }) => m.status)).toEqual(['SUCCESS', 'SUCCESS', 'INSUFFICIENT_CREDIT']);
    expect(sandbox.state.balances.get('u')).toBeCloseTo(0.0208);
  });
});

describe('sending to a contact list', () => {
  it('expands list_id into one message per contact, with list_id and contact_id set', async () => {
    const sandbox = await startSandbox();
    const list = await call(sandbox, 'POST', '/v3/lists', { body: { list_name: 'Customers' } });
    const listId = list.body.data.list_id;
    const ids: number[] = [];
    for (const phone of ['+61411111111', '+61422222222']) {
      const contact = await call(sandbox, 'POST', `/v3/lists/${listId}/contacts`, { body: { phone_number: phone, first_name: 'A' } });
      ids.push(contact.body.data.contact_id);
    }
    await call(sandbox, 'POST', `/v3/lists/${listId}/contacts`, { body: { email: 'no-phone@example.com' } });

    const answer = await call(sandbox, 'POST', '/v3/sms/send', { body: { messages: [{ list_id: String(listId), body: 'Hello all' }] } });
    const messages = answer.body.data.messages;
    expect(messages).toHaveLength(2);
    expect(messages.map((m: { to: string }) => m.to)).toEqual(['+61411111111', '+61422222222']);
    expect(messages.map((m: { contact_id: string }) => m.contact_id)).toEqual(ids.map(String));
    expect(messages.every((m: { list_id: string }) => m.list_id === String(listId))).toBe(true);
  });

  it('reports NOT_ENOUGH_PERMISSION_TO_LIST_ID for a list that does not exist', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/send', { body: { messages: [{ list_id: 999999, body: 'x' }] } });
    expect(answer.body.data.messages[0]).toMatchObject({ list_id: '999999', status: 'NOT_ENOUGH_PERMISSION_TO_LIST_ID' });
  });
});

describe('POST /v3/sms/price', () => {
  it('prices like a send but keeps and charges nothing', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/price', { body: { messages: [{ to: '+61412345678', body: 'a'.repeat(300) }] } });
    expect(answer.body).toMatchObject({ response_code: 'SUCCESS', data: { total_price: 0.1584, total_count: 1 } });
    expect(sandbox.state.messages).toHaveLength(0);
    expect(sandbox.state.balances.get('sandbox')).toBe(100);
  });
});

describe('cancelling scheduled SMS', () => {
  it('cancels one scheduled message, refuses one already sent, and cancels the rest with cancel-all', async () => {
    const sandbox = await startSandbox({ receiptDelayMs: 60_000 });
    const later = Math.floor(Date.now() / 1000) + 3600;
    const sent = await call(sandbox, 'POST', '/v3/sms/send', {
      body: {
        messages: [
          { to: '+61411111111', body: 'now' },
          { to: '+61411111111', body: 'later 1', schedule: later },
          { to: '+61411111111', body: 'later 2', schedule: String(later), custom_string: 'batch' },
          { to: '+61411111111', body: 'later 3', schedule: later, custom_string: 'batch' },
        ],
      },
    });
    const [now, later1] = sent.body.data.messages;
    expect(later1.schedule).toBe(later);

    const refused = await call(sandbox, 'PUT', `/v3/sms/${now.message_id}/cancel`);
    expect(refused.status).toBe(400);
    const cancelled = await call(sandbox, 'PUT', `/v3/sms/${later1.message_id}/cancel`);
    expect(cancelled.body).toEqual({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Scheduled sms message has been cancelled.', data: null });
    const unknown = await call(sandbox, 'PUT', '/v3/sms/00000000-0000-0000-0000-000000000000/cancel');
    expect(unknown.status).toBe(404);

    const all = await call(sandbox, 'PUT', '/v3/sms/cancel-all', { body: { custom_string: 'batch' } });
    expect(all.body).toMatchObject({ response_msg: '2 sms messages have been cancelled.', data: { count: 2 } });
    expect(sandbox.state.messages.map((m) => m.delivery)).toEqual(['queued', 'cancelled', 'cancelled', 'cancelled']);
  });
});
