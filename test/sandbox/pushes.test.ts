import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { call, eventually, startReceiver, startSandbox } from './helpers.js';

// The field order of ClickSend's own form pushes (fixtures/inbound-sms.form.txt, receipt.form.txt).
const INBOUND_FIELDS = [
  'timestamp',
  'from',
  'sms',
  'body',
  'message',
  'to',
  'originalsenderid',
  'message_id',
  'original_message_id',
  'originalmessageid',
  'original_body',
  'originalmessage',
  'custom_string',
  'customstring',
  'user_id',
  'subaccount_id',
];
const RECEIPT_FIELDS = [
  'timestamp_send',
  'timestamp',
  'message_id',
  'status_code',
  'status_text',
  'error_code',
  'error_text',
  'custom_string',
  'subaccount_id',
  'message_type',
  'digits',
];

const addInboundRule = (sandbox: Sandbox, rule: Record<string, unknown>) =>
  call(sandbox, 'POST', '/v3/automations/sms/inbound', {
    body: { dedicated_number: '*', rule_name: 'bridge', message_search_type: 0, message_search_term: null, action: 'URL', enabled: 1, ...rule },
  });

describe('inbound SMS pushes', () => {
  it('POSTs JSON with every field and alias when webhook_type is json', async () => {
    const sandbox = await startSandbox();
    const receiver = await startReceiver();
    await addInboundRule(sandbox, { action_address: receiver.url, webhook_type: 'json' });

    const result = await sandbox.simulateInbound({ from: '+61429912603', body: 'Is the 3pm slot still free?' });
    const push = await receiver.nth(1);
    expect(push.method).toBe('POST');
    expect(push.headers['content-type']).toBe('application/json');
    const body = JSON.parse(push.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(INBOUND_FIELDS);
    expect(body).toMatchObject({
      from: '+61429912603',
      sms: '+61429912603',
      to: sandbox.dedicatedNumbers[0],
      originalsenderid: sandbox.dedicatedNumbers[0],
      body: 'Is the 3pm slot still free?',
      message: 'Is the 3pm slot still free?',
      message_id: result.message_id,
      original_message_id: '',
      originalmessageid: '',
      original_body: '',
      originalmessage: '',
      custom_string: '',
      customstring: '',
      user_id: expect.any(Number),
      subaccount_id: expect.any(Number),
      timestamp: expect.any(Number),
    });
  });

  it('POSTs form-urlencoded strings by default, naming the outbound message a reply answers', async () => {
    const sandbox = await startSandbox();
    const receiver = await startReceiver();
    await addInboundRule(sandbox, { action_address: receiver.url });
    const sent = await call(sandbox, 'POST', '/v3/sms/send', {
      body: { messages: [{ to: '+61429912603', body: 'Your appointment is tomorrow at 2pm.', custom_string: 'thread-42' }] },
    });
    const original = sent.body.data.messages[0].message_id as string;

    await sandbox.simulateInbound({ from: '+61429912603', body: 'Thanks!', original_message_id: original });
    const push = await receiver.nth(1);
    expect(push.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(push.body);
    expect([...form.keys()]).toEqual(INBOUND_FIELDS);
    expect(Object.fromEntries(form)).toMatchObject({
      from: '+61429912603',
      body: 'Thanks!',
      original_message_id: original,
      originalmessageid: original,
      original_body: 'Your appointment is tomorrow at 2pm.',
      originalmessage: 'Your appointment is tomorrow at 2pm.',
      custom_string: 'thread-42',
      customstring: 'thread-42',
    });
    expect(form.get('timestamp')).toMatch(/^\d+$/);
  });

  it('sends a GET with the fields in the query string when webhook_type is get', async () => {
    const sandbox = await startSandbox();
    const receiver = await startReceiver();
    await addInboundRule(sandbox, { action_address: `${receiver.url}?token=secret`, webhook_type: 'get' });
    await sandbox.simulateInbound({ from: '+61411111111', body: 'hi' });
    const push = await receiver.nth(1);
    expect(push.method).toBe('GET');
    const query = new URL(push.url, 'http://x').searchParams;
    expect(query.get('token')).toBe('secret');
    expect(query.get('sms')).toBe('+61411111111');
    expect(query.get('message')).toBe('hi');
  });

  it('fires only enabled URL rules whose number and search term match', async () => {
    const sandbox = await startSandbox({ dedicatedNumbers: ['+61480000000', '+61480000001'] });
    const receiver = await startReceiver();
    const rules = [
      { rule_name: 'all', action_address: `${receiver.url}?r=all` },
      { rule_name: 'other-number', dedicated_number: '+61480000001', action_address: `${receiver.url}?r=other` },
      { rule_name: 'our-number', dedicated_number: '0480 000 000', action_address: `${receiver.url}?r=ours` },
      { rule_name: 'starts', message_search_type: 1, message_search_term: 'STOP', action_address: `${receiver.url}?r=starts` },
      { rule_name: 'contains', message_search_type: 2, message_search_term: 'pizza', action_address: `${receiver.url}?r=contains` },
      { rule_name: 'not-contains', message_search_type: 3, message_search_term: 'stop', action_address: `${receiver.url}?r=not` },
      { rule_name: 'disabled', enabled: 0, action_address: `${receiver.url}?r=disabled` },
      { rule_name: 'poll', action: 'POLL', action_address: '' },
    ];
    for (const rule of rules) expect((await addInboundRule(sandbox, rule)).status).toBe(200);

    const answer = await call(sandbox, 'POST', '/_sandbox/inbound', { auth: null, body: { from: '+61411111111', body: 'stop sending pizza' } });
    expect(answer.status).toBe(202);
    const urls = answer.body.pushed_to.map((p: { url: string }) => new URL(p.url).searchParams.get('r'));
    expect(urls).toEqual(['all', 'ours', 'starts', 'contains']);
    await receiver.nth(4);
  });

  it('records a push that fails and does not retry it', async () => {
    const sandbox = await startSandbox();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await addInboundRule(sandbox, { action_address: `http://127.0.0.1:${port}/gone` });

    await sandbox.simulateInbound({ from: '+61411111111', body: 'anyone there?' });
    const push = await eventually(() => sandbox.state.pushes.find((p) => p.finishedAt !== null));
    expect(push).toMatchObject({ kind: 'inbound', status: null, error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect(sandbox.state.pushes).toHaveLength(1);
    const listed = await call(sandbox, 'GET', '/_sandbox/pushes', { auth: null });
    expect(listed.body.pushes[0]).toMatchObject({ url: `http://127.0.0.1:${port}/gone`, error: expect.any(String) });
  });

  it('refuses an inbound simulation that names an unknown original message', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/_sandbox/inbound', {
      auth: null,
      body: { from: '+61411111111', body: 'hi', original_message_id: 'NOPE' },
    });
    expect(answer.status).toBe(404);
  });
});

describe('delivery receipt pushes', () => {
  it('pushes a form-encoded "delivered" receipt for each accepted message to each enabled receipt rule', async () => {
    const sandbox = await startSandbox({ receiptDelayMs: 5 });
    const receiver = await startReceiver();
    await call(sandbox, 'POST', '/v3/automations/sms/receipts', {
      body: { rule_name: 'receipts', match_type: 0, action: 'URL', action_address: receiver.url, enabled: 1 },
    });
    const sent = await call(sandbox, 'POST', '/v3/sms/send', {
      body: { messages: [{ to: '+61412345678', body: 'hello', custom_string: 'ref-9' }, { to: '999', body: 'invalid' }] },
    });
    const messageId = sent.body.data.messages[0].message_id as string;

    const push = await receiver.nth(1);
    expect(push.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(push.body);
    expect([...form.keys()]).toEqual(RECEIPT_FIELDS);
    expect(Object.fromEntries(form)).toMatchObject({
      message_id: messageId,
      status_code: '201',
      status_text: 'Success: Message received on handset.',
      error_code: '',
      error_text: '',
      custom_string: 'ref-9',
      message_type: 'sms',
      digits: '',
    });
    await eventually(() => (sandbox.state.messages[0]?.delivery === 'delivered' ? true : undefined));
    expect(receiver.received).toHaveLength(1);
  });

  it('pushes JSON receipts when the rule asks for json', async () => {
    const sandbox = await startSandbox({ receiptDelayMs: 5 });
    const receiver = await startReceiver();
    await call(sandbox, 'POST', '/v3/automations/sms/receipts', {
      body: { rule_name: 'r', match_type: 0, action: 'URL', action_address: receiver.url, enabled: 1, webhook_type: 'json' },
    });
    const mms = await call(sandbox, 'POST', '/v3/mms/send', {
      body: { media_file: 'https://example.com/cat.gif', messages: [{ to: '+61411111111', subject: 'Cat', body: 'Look' }] },
    });
    const push = await receiver.nth(1);
    expect(push.headers['content-type']).toBe('application/json');
    expect(JSON.parse(push.body)).toMatchObject({
      message_id: mms.body.data.messages[0].message_id,
      status_code: 201,
      message_type: 'mms',
      error_code: null,
    });
  });
});

describe('closing the sandbox', () => {
  it('aborts pushes still in flight so close() returns promptly', async () => {
    const sandbox = await startSandbox();
    const hanging = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    await addInboundRule(sandbox, { action_address: `http://127.0.0.1:${port}/slow` });
    await sandbox.simulateInbound({ from: '+61411111111', body: 'hello?' });

    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sandbox.state.pushes[0]?.error).toMatch(/aborted/);
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });
});
