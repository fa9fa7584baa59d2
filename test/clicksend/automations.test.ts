import { describe, expect, it } from 'vitest';
import { createAutomationsApi, type InboundRuleFields } from '../../src/clicksend/automations.js';
import { ClickSendApiError } from '../../src/clicksend/errors.js';
import { InvalidRequestError } from '../../src/errors.js';
import { TEST_USERS_API_KEY } from '../../src/sandbox/server.js';
import { startSandboxClient } from '../helpers/clicksend.js';
import { mockTransport } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const ok = (data: unknown) => ({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Your record has been added.', data });
const page = (data: unknown[]) => ({ total: data.length, per_page: 15, current_page: 1, last_page: 1, from: 1, to: data.length, data });


/** Our automations API on a MockAgent: nothing leaves the process, every request is recorded. */
const onTheWire = () => {
  const { agent, transport } = mockTransport({ username: 'alice', apiKey: 'secret-key' });
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { api: createAutomationsApi(transport), origin: agent.get(ORIGIN), calls };
};

const webhook: InboundRuleFields = {
  dedicated_number: '*',
  rule_name: 'Teams bridge',
  message_search_type: 0,
  action: 'URL',
  action_address: 'https://bridge.example.com/webhooks/clicksend/inbound?token=t',
  enabled: 1,
  webhook_type: 'json',
};
const receiptWebhook = {
  rule_name: 'Teams bridge receipts',
  match_type: 0,
  action: 'URL',
  action_address: 'https://bridge.example.com/webhooks/clicksend/receipts?token=t',
  enabled: 1,
} as const;

describe('automations on the wire', () => {
  it("registers the inbound webhook with the connector's fields, '*' as the term for any message", async () => {
    const { api, origin, calls } = onTheWire();
    origin
      .intercept({ path: '/v3/automations/sms/inbound', method: 'POST' })
      .reply(200, ok({ inbound_rule_id: '10', ...webhook, enabled: '1', message_search_term: '*' }));
    const rule = await api.inbound.create(webhook);
    expect(JSON.parse(String(calls()[0]?.body))).toEqual({ ...webhook, message_search_term: '*' });
    expect(rule).toMatchObject({ inbound_rule_id: 10, enabled: 1, webhook_type: 'json' });
  });

  it('reads inbound rules whose id comes as sms_inbound_rule_id, as in ClickSend’s listing example', async () => {
    const { api, origin } = onTheWire();
    const listed = {
      sms_inbound_rule_id: 9,
      dedicated_number: '+61298441484',
      rule_name: 'r',
      action: 'POLL',
      action_address: '',
      body: null,
      enabled: 1,
    };
    origin.intercept({ path: '/v3/automations/sms/inbound', method: 'GET' }).reply(200, ok(page([listed])));
    const rules = await api.inbound.list();
    expect(rules.data[0]).toMatchObject({ inbound_rule_id: 9, sms_inbound_rule_id: 9, action: 'POLL' });
  });

  it('updates and deletes a rule by its id, accepting data: [] on delete', async () => {
    const { api, origin, calls } = onTheWire();
    origin.intercept({ path: '/v3/automations/sms/inbound/10', method: 'PUT' }).reply(200, ok({ inbound_rule_id: 10, ...webhook, enabled: 0 }));
    origin.intercept({ path: '/v3/automations/sms/inbound/10', method: 'DELETE' }).reply(200, ok([]));
    await expect(api.inbound.update('10', { ...webhook, enabled: 0 })).resolves.toMatchObject({ enabled: 0 });
    await expect(api.inbound.delete(10)).resolves.toBeUndefined();
    expect(calls().map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /v3/automations/sms/inbound/10', 'DELETE /v3/automations/sms/inbound/10']);
  });

  it('registers, lists, updates and deletes delivery-receipt rules', async () => {
    const { api, origin, calls } = onTheWire();
    const base = '/v3/automations/sms/receipts';
    origin.intercept({ path: base, method: 'POST' }).reply(200, ok({ receipt_rule_id: '5', ...receiptWebhook }));
    origin.intercept({ path: `${base}?page=2&limit=20`, method: 'GET' }).reply(200, ok(page([{ receipt_rule_id: 5, ...receiptWebhook }])));
    origin.intercept({ path: `${base}/5`, method: 'PUT' }).reply(200, ok({ receipt_rule_id: 5, ...receiptWebhook, enabled: '0' }));
    origin.intercept({ path: `${base}/5`, method: 'DELETE' }).reply(200, ok([]));
    await expect(api.receipts.create(receiptWebhook)).resolves.toMatchObject({ receipt_rule_id: 5, match_type: 0 });
    await expect(api.receipts.list({ page: 2, limit: 20 })).resolves.toMatchObject({ data: [{ receipt_rule_id: 5 }] });
    await expect(api.receipts.update(5, { ...receiptWebhook, enabled: 0 })).resolves.toMatchObject({ enabled: 0 });
    await api.receipts.delete(5);
    expect(JSON.parse(String(calls()[0]?.body))).toEqual(receiptWebhook);
  });

  it('registers, lists, updates and deletes voice delivery-receipt rules at /automations/voice/receipts', async () => {
    const { api, origin, calls } = onTheWire();
    const base = '/v3/automations/voice/receipts';
    const voiceWebhook = { ...receiptWebhook, action_address: 'https://bridge.example.com/webhooks/clicksend/voice-receipts?token=t' };
    // ClickSend's own example answer (voice_delivery_receipt_rule), numbers as strings as they may come.
    const answer = { receipt_rule_id: '2', rule_name: 'My Rule 2', match_type: '3', action: 'URL', action_address: 'http://yourdomain.com', enabled: '1' };
    origin.intercept({ path: base, method: 'POST' }).reply(200, ok(answer));
    origin.intercept({ path: `${base}?page=1&limit=100`, method: 'GET' }).reply(200, ok(page([answer])));
    origin.intercept({ path: `${base}/2`, method: 'PUT' }).reply(200, ok({ ...answer, ...voiceWebhook, receipt_rule_id: 2 }));
    origin.intercept({ path: `${base}/2`, method: 'DELETE' }).reply(200, ok([]));
    await expect(api.voiceReceipts.create(voiceWebhook)).resolves.toMatchObject({ receipt_rule_id: 2, match_type: 3, enabled: 1 });
    await expect(api.voiceReceipts.list({ page: 1, limit: 100 })).resolves.toMatchObject({ data: [{ receipt_rule_id: 2, action: 'URL' }] });
    await expect(api.voiceReceipts.update('2', voiceWebhook)).resolves.toMatchObject({ action_address: voiceWebhook.action_address });
    await api.voiceReceipts.delete(2);
    expect(calls().map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST ${base}`,
      `GET ${base}`,
      `PUT ${base}/2`,
      `DELETE ${base}/2`,
    ]);
    expect(JSON.parse(String(calls()[0]?.body))).toEqual(voiceWebhook);
  });

  it('refuses a voice receipt rule whose URL action has no URL before any request', async () => {
    const { api, calls } = onTheWire();
    await expect(api.voiceReceipts.create({ ...receiptWebhook, action_address: 'bridge.example.com' })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'action_address' })],
    });
    expect(calls()).toHaveLength(0);
  });

  it('does not repeat a rule creation that failed with a 5xx: a second rule would push twice', async () => {
    const { api, origin, calls } = onTheWire();
    const busy = { http_code: 503, response_code: 'SERVICE_UNAVAILABLE', response_msg: 'busy', data: null };
    origin.intercept({ path: '/v3/automations/sms/inbound', method: 'POST' }).reply(503, busy).times(3);
    await expect(api.inbound.create(webhook)).rejects.toBeInstanceOf(ClickSendApiError);
    expect(calls()).toHaveLength(1);
  });

  it.each([
    ['a dedicated number that is neither E.164 nor *', { dedicated_number: '0411111111' }, 'dedicated_number'],
    ['a search type above 3', { message_search_type: 4 }, 'message_search_type'],
    ['a "contains" search without a term', { message_search_type: 2 }, 'message_search_term'],
    ['an action ClickSend does not know', { action: 'WEBHOOK' }, 'action'],
    ['a URL action without a URL', { action_address: 'bridge.example.com' }, 'action_address'],
    ['a URL action without webhook_type', { webhook_type: undefined }, 'webhook_type'],
    ['a webhook type other than post, get and json', { webhook_type: 'xml' }, 'webhook_type'],
    ['enabled other than 0 or 1', { enabled: 2 }, 'enabled'],
    ['an empty rule name', { rule_name: ' ' }, 'rule_name'],
  ])('refuses an inbound rule with %s before any request', async (_what, change, field) => {
    const { api, calls } = onTheWire();
    const error = await api.inbound.create({ ...webhook, ...change } as InboundRuleFields).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toContain(field);
    expect(calls()).toHaveLength(0);
  });

  it('refuses a receipt rule with a negative match type and a bad rule id before any request', async () => {
    const { api, calls } = onTheWire();
    await expect(api.receipts.create({ ...receiptWebhook, match_type: -1 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'match_type' })],
    });
    await expect(api.receipts.delete('five')).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'receipt_rule_id' })],
    });
    expect(calls()).toHaveLength(0);
  });
});

describe('automations against the sandbox', () => {
  it('registers, lists, updates and deletes the inbound webhook rule', async () => {
    const { client } = await startSandboxClient();
    const rule = await client.automations.inbound.create(webhook);
    expect(rule).toMatchObject({ ...webhook, message_search_term: '*' });
    expect(rule.inbound_rule_id).toBeGreaterThan(0);

    const listed = await client.automations.inbound.list();
    expect(listed).toMatchObject({ total: 1, data: [{ inbound_rule_id: rule.inbound_rule_id, action: 'URL' }] });

    const disabled = await client.automations.inbound.update(rule.inbound_rule_id, { ...webhook, enabled: 0 });
    expect(disabled).toMatchObject({ inbound_rule_id: rule.inbound_rule_id, enabled: 0 });

    await client.automations.inbound.delete(rule.inbound_rule_id);
    await expect(client.automations.inbound.list()).resolves.toMatchObject({ total: 0 });
  });

  it('makes the sandbox push an inbound SMS to the registered URL', async () => {
    const { client, sandbox } = await startSandboxClient();
    const url = 'http://127.0.0.1:9/webhooks/clicksend/inbound?token=t';
    const rule = await client.automations.inbound.create({ ...webhook, action_address: url });
    const inbound = await sandbox.simulateInbound({ from: '+61422222222', body: 'hello' });
    expect(inbound.pushed_to).toEqual([expect.objectContaining({ inbound_rule_id: rule.inbound_rule_id, url, webhook_type: 'json' })]);
  });

  it('registers, lists, updates and deletes the delivery-receipt rule', async () => {
    const { client } = await startSandboxClient();
    const rule = await client.automations.receipts.create(receiptWebhook);
    expect(rule).toMatchObject(receiptWebhook);
    await expect(client.automations.receipts.list({ limit: 15 })).resolves.toMatchObject({
      data: [{ receipt_rule_id: rule.receipt_rule_id }],
    });
    const renamed = await client.automations.receipts.update(rule.receipt_rule_id, { ...receiptWebhook, rule_name: 'Receipts' });
    expect(renamed).toMatchObject({ receipt_rule_id: rule.receipt_rule_id, rule_name: 'Receipts' });
    await client.automations.receipts.delete(rule.receipt_rule_id);
    await expect(client.automations.receipts.list()).resolves.toMatchObject({ total: 0, data: [] });
  });

  it("throws ClickSend's 404 NOT_FOUND when deleting a rule that does not exist", async () => {
    const { client } = await startSandboxClient();
    await expect(client.automations.inbound.delete(424_242)).rejects.toMatchObject({ status: 404, responseCode: 'NOT_FOUND' });
    const error = await client.automations.receipts.delete(424_242).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 404, responseCode: 'NOT_FOUND', responseMsg: 'Receipt rule not found.' });
  });

  it.each([
    ['sandbox', 'wrong-key', 401, 'UNAUTHORIZED'],
    ['notactive', TEST_USERS_API_KEY, 403, 'ACCOUNT_NOT_ACTIVATED'],
    ['banned', TEST_USERS_API_KEY, 403, 'FORBIDDEN'],
  ])("throws ClickSend's refusal to register a webhook for %s", async (username, apiKey, status, responseCode) => {
    const { client, sandbox } = await startSandboxClient({ client: { credentials: { username, apiKey } } });
    await expect(client.automations.inbound.create(webhook)).rejects.toMatchObject({ status, responseCode });
    expect(sandbox.state.inboundRules.size).toBe(0);
  });

  it('refuses a URL rule whose address is not a URL, and nothing reaches the sandbox', async () => {
    const { client, sandbox } = await startSandboxClient();
    await expect(client.automations.inbound.create({ ...webhook, action_address: 'not a url' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(sandbox.state.inboundRules.size).toBe(0);
  });
});
