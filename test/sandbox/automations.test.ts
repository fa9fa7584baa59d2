import { describe, expect, it } from 'vitest';
import { call, startSandbox } from './helpers.js';

const inboundRule = {
  dedicated_number: '*',
  rule_name: 'Teams bridge',
  message_search_type: 0,
  message_search_term: '*',
  action: 'URL',
  action_address: 'https://bridge.example.com/clicksend/inbound?token=abc',
  enabled: 1,
  webhook_type: 'json',
};

describe('inbound SMS rules', () => {
  it('creates, lists, reads, updates and deletes a rule with ClickSend\'s fields', async () => {
    const sandbox = await startSandbox();
    const created = await call(sandbox, 'POST', '/v3/automations/sms/inbound', { body: inboundRule });
    expect(created.body).toMatchObject({ response_msg: 'Your record has been added.', data: { ...inboundRule, body: null } });
    const id = created.body.data.inbound_rule_id;
    expect(id).toEqual(expect.any(Number));

    const list = await call(sandbox, 'GET', '/v3/automations/sms/inbound');
    expect(list.body.data).toMatchObject({ total: 1, data: [{ sms_inbound_rule_id: id, rule_name: 'Teams bridge' }] });

    expect((await call(sandbox, 'GET', `/v3/automations/sms/inbound/${id}`)).body.data).toMatchObject({ inbound_rule_id: id });
    const updated = await call(sandbox, 'PUT', `/v3/automations/sms/inbound/${id}`, { body: { enabled: '0', webhook_type: 'POST', junk: 1 } });
    expect(updated.body.data).toMatchObject({ enabled: 0, webhook_type: 'post', rule_name: 'Teams bridge' });
    expect(updated.body.data).not.toHaveProperty('junk');

    const deleted = await call(sandbox, 'DELETE', `/v3/automations/sms/inbound/${id}`);
    expect(deleted.body).toMatchObject({ response_msg: 'Your record has been deleted.', data: [] });
    expect((await call(sandbox, 'GET', `/v3/automations/sms/inbound/${id}`)).status).toBe(404);
  });

  it('defaults webhook_type to post, and coerces numeric strings', async () => {
    const sandbox = await startSandbox();
    const { webhook_type: _omitted, ...rest } = inboundRule;
    const created = await call(sandbox, 'POST', '/v3/automations/sms/inbound', { body: { ...rest, enabled: '1', message_search_type: '2' } });
    expect(created.body.data).toMatchObject({ webhook_type: 'post', enabled: 1, message_search_type: 2 });
  });

  it('refuses a URL rule whose action_address is not a URL, and an unknown action', async () => {
    const sandbox = await startSandbox();
    const badUrl = await call(sandbox, 'POST', '/v3/automations/sms/inbound', { body: { ...inboundRule, action_address: 'not a url' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.response_msg).toMatch(/^action_address: /);
    const badAction = await call(sandbox, 'POST', '/v3/automations/sms/inbound', { body: { ...inboundRule, action: 'TELEPORT' } });
    expect(badAction.status).toBe(400);
    expect(badAction.body.response_msg).toMatch(/^action: /);
  });
});

describe('SMS delivery receipt rules', () => {
  it('creates, lists, reads, updates and deletes a receipt rule', async () => {
    const sandbox = await startSandbox();
    const rule = { rule_name: 'Receipts', match_type: 0, action: 'URL', action_address: 'https://bridge.example.com/receipts', enabled: 1 };
    const created = await call(sandbox, 'POST', '/v3/automations/sms/receipts', { body: rule });
    expect(created.body).toMatchObject({ response_msg: 'Your new SMS receipt has been added.', data: rule });
    const id = created.body.data.receipt_rule_id;

    expect((await call(sandbox, 'GET', '/v3/automations/sms/receipts')).body.data).toMatchObject({ total: 1, data: [{ receipt_rule_id: id }] });
    expect((await call(sandbox, 'GET', `/v3/automations/sms/receipts/${id}`)).body.data).toMatchObject(rule);
    const updated = await call(sandbox, 'PUT', `/v3/automations/sms/receipts/${id}`, { body: { rule_name: 'Renamed' } });
    expect(updated.body.data).toMatchObject({ rule_name: 'Renamed', action: 'URL' });
    expect((await call(sandbox, 'DELETE', `/v3/automations/sms/receipts/${id}`)).body.data).toEqual([]);
    expect(sandbox.state.receiptRules.size).toBe(0);
  });
});

describe('voice delivery receipt rules', () => {
  it('creates, lists, reads, updates and deletes a voice receipt rule, apart from the SMS ones', async () => {
    const sandbox = await startSandbox();
    const base = '/v3/automations/voice/receipts';
    const rule = { rule_name: 'Voice receipts', match_type: 0, action: 'URL', action_address: 'https://bridge.example.com/voice-receipts', enabled: 1 };
    const created = await call(sandbox, 'POST', base, { body: rule });
    expect(created.body).toMatchObject({ response_msg: 'Your new voice receipt has been added.', data: rule });
    const id = created.body.data.receipt_rule_id;
    expect(id).toEqual(expect.any(Number));
    expect(sandbox.state.receiptRules.size).toBe(0);

    expect((await call(sandbox, 'GET', base)).body).toMatchObject({ response_msg: 'Your voice receipts.', data: { total: 1, data: [{ receipt_rule_id: id }] } });
    expect((await call(sandbox, 'GET', `${base}/${id}`)).body.data).toMatchObject(rule);
    const updated = await call(sandbox, 'PUT', `${base}/${id}`, { body: { enabled: '0', junk: 1 } });
    expect(updated.body.data).toMatchObject({ enabled: 0, action: 'URL', rule_name: 'Voice receipts' });
    expect(updated.body.data).not.toHaveProperty('junk');
    const badUrl = await call(sandbox, 'PUT', `${base}/${id}`, { body: { action_address: 'not a url' } });
    expect(badUrl.status).toBe(400);

    expect((await call(sandbox, 'DELETE', `${base}/${id}`)).body).toMatchObject({ response_msg: 'Your rule voice receipt has been deleted.', data: [] });
    expect(sandbox.state.voiceReceiptRules.size).toBe(0);
    expect((await call(sandbox, 'GET', `${base}/${id}`)).status).toBe(404);
  });
});
