import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ensureWebhookRules, INBOUND_RULE_NAME, RECEIPT_RULE_NAME, VOICE_RECEIPT_RULE_NAME } from '../../src/bridge/webhook-registration.js';
import { createClickSendClient } from '../../src/clicksend/client.js';
import { createLogger } from '../../src/log.js';
import { startSandboxClient } from '../helpers/clicksend.js';

const PUBLIC_URL = 'https://bridge.example.com';
const TOKEN = 'webhook-secret-7f3a9c2e1b';
const INBOUND_URL = `${PUBLIC_URL}/webhooks/clicksend/inbound?token=${TOKEN}`;
const RECEIPTS_URL = `${PUBLIC_URL}/webhooks/clicksend/receipts?token=${TOKEN}`;
const VOICE_RECEIPTS_URL = `${PUBLIC_URL}/webhooks/clicksend/voice-receipts?token=${TOKEN}`;

/** A real pino logger at debug, and everything it wrote. */
const capture = () => {
  let text = '';
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => text };
};

/** The sandbox, and our client on it logging to `logs` as the app's does. */
const setup = async () => {
  const { sandbox, dispatcher } = await startSandboxClient();
  const logs = capture();
  const client = createClickSendClient({ baseUrl: sandbox.apiUrl, credentials: sandbox.credentials, rateLimit: false }, { dispatcher, logger: logs.logger });
  const ensure = () => ensureWebhookRules(client, { publicUrl: PUBLIC_URL, token: TOKEN }, logs.logger);
  const inbound = () => [...sandbox.state.inboundRules.values()];
  const receipts = () => [...sandbox.state.receiptRules.values()];
  const voiceReceipts = () => [...sandbox.state.voiceReceiptRules.values()];
  return { sandbox, client, logs, ensure, inbound, receipts, voiceReceipts };
};

describe('ensureWebhookRules', () => {
  it('creates an inbound rule (JSON, every number, every message) and a receipt rule, both carrying the token', async () => {
    const { ensure, inbound, receipts } = await setup();
    expect(await ensure()).toEqual({ inbound: 'created', receipts: 'created', voiceReceipts: 'created' });
    expect(inbound()).toEqual([
      expect.objectContaining({
        rule_name: INBOUND_RULE_NAME,
        dedicated_number: '*',
        message_search_type: 0,
        action: 'URL',
        action_address: INBOUND_URL,
        enabled: 1,
        webhook_type: 'json',
      }),
    ]);
    expect(receipts()).toEqual([expect.objectContaining({ rule_name: RECEIPT_RULE_NAME, action: 'URL', action_address: RECEIPTS_URL, enabled: 1 })]);
  });

  it('changes nothing when run again', async () => {
    const { ensure, inbound, receipts, voiceReceipts } = await setup();
    await ensure();
    const before = { inbound: structuredClone(inbound()), receipts: structuredClone(receipts()), voiceReceipts: structuredClone(voiceReceipts()) };
    expect(await ensure()).toEqual({ inbound: 'unchanged', receipts: 'unchanged', voiceReceipts: 'unchanged' });
    expect({ inbound: inbound(), receipts: receipts(), voiceReceipts: voiceReceipts() }).toEqual(before);
  });

  it('enables its rules again when someone disabled them', async () => {
    const { ensure, client, inbound, receipts } = await setup();
    await ensure();
    const [inboundRule] = inbound();
    const [receiptRule] = receipts();
    await client.automations.inbound.update(inboundRule!.inbound_rule_id, { ...fieldsOf(inboundRule!), enabled: 0 });
    await client.automations.receipts.update(receiptRule!.receipt_rule_id, { ...receiptFieldsOf(receiptRule!), enabled: 0 });

    expect(await ensure()).toEqual({ inbound: 'updated', receipts: 'updated', voiceReceipts: 'unchanged' });
    expect(inbound()).toEqual([expect.objectContaining({ inbound_rule_id: inboundRule!.inbound_rule_id, enabled: 1, action_address: INBOUND_URL })]);
    expect(receipts()).toEqual([expect.objectContaining({ receipt_rule_id: receiptRule!.receipt_rule_id, enabled: 1, action_address: RECEIPTS_URL })]);
  });

  it('points its rules back at the bridge when they point elsewhere or post a form', async () => {
    const { ensure, client, inbound, receipts } = await setup();
    await ensure();
    const [inboundRule] = inbound();
    const [receiptRule] = receipts();
    await client.automations.inbound.update(inboundRule!.inbound_rule_id, {
      ...fieldsOf(inboundRule!),
      action_address: 'https://old-bridge.example.com/hook',
      webhook_type: 'post',
    });
    await client.automations.receipts.update(receiptRule!.receipt_rule_id, { ...receiptFieldsOf(receiptRule!), action_address: 'https://old-bridge.example.com/dlr' });

    expect(await ensure()).toEqual({ inbound: 'updated', receipts: 'updated', voiceReceipts: 'unchanged' });
    expect(inbound()).toEqual([expect.objectContaining({ action_address: INBOUND_URL, webhook_type: 'json', enabled: 1 })]);
    expect(receipts()).toEqual([expect.objectContaining({ action_address: RECEIPTS_URL, enabled: 1 })]);
  });

  it('takes over a rule of its own address left with a stale token instead of adding a second one', async () => {
    const { ensure, client, inbound } = await setup();
    await client.automations.inbound.create({
      dedicated_number: '*',
      rule_name: 'Made by hand',
      message_search_type: 0,
      action: 'URL',
      action_address: `${PUBLIC_URL}/webhooks/clicksend/inbound?token=old-token`,
      enabled: 1,
      webhook_type: 'json',
    });
    expect((await ensure()).inbound).toBe('updated');
    expect(inbound()).toEqual([expect.objectContaining({ action_address: INBOUND_URL })]);
  });

  it('widens its rule again when someone narrowed it to some numbers, some messages or another action', async () => {
    const { ensure, client, inbound } = await setup();
    await ensure();
    const [rule] = inbound();
    await client.automations.inbound.update(rule!.inbound_rule_id, { ...fieldsOf(rule!), message_search_type: 2, message_search_term: 'order' });
    expect((await ensure()).inbound).toBe('updated');
    expect(inbound()).toEqual([expect.objectContaining({ message_search_type: 0, message_search_term: '*' })]);

    await client.automations.inbound.update(rule!.inbound_rule_id, { ...fieldsOf(rule!), dedicated_number: '+61480000000' });
    expect((await ensure()).inbound).toBe('updated');
    expect(inbound()).toEqual([expect.objectContaining({ dedicated_number: '*' })]);

    await client.automations.inbound.update(rule!.inbound_rule_id, { ...fieldsOf(rule!), action: 'NONE' });
    expect((await ensure()).inbound).toBe('updated');
    expect(inbound()).toEqual([expect.objectContaining({ action: 'URL', action_address: INBOUND_URL })]);
    expect(await ensure()).toEqual({ inbound: 'unchanged', receipts: 'unchanged', voiceReceipts: 'unchanged' });
  });

  it('makes its receipt rule a URL action again when someone changed the action', async () => {
    const { ensure, client, receipts } = await setup();
    await ensure();
    const [rule] = receipts();
    await client.automations.receipts.update(rule!.receipt_rule_id, { ...receiptFieldsOf(rule!), action: 'NONE' });
    expect(await ensure()).toEqual({ inbound: 'unchanged', receipts: 'updated', voiceReceipts: 'unchanged' });
    expect(receipts()).toEqual([expect.objectContaining({ action: 'URL', action_address: RECEIPTS_URL, enabled: 1 })]);
  });

  it('creates a voice receipt rule pointing at the voice-receipts webhook, apart from the SMS receipt rule', async () => {
    const { ensure, receipts, voiceReceipts } = await setup();
    expect((await ensure()).voiceReceipts).toBe('created');
    expect(voiceReceipts()).toEqual([
      expect.objectContaining({ rule_name: VOICE_RECEIPT_RULE_NAME, match_type: 0, action: 'URL', action_address: VOICE_RECEIPTS_URL, enabled: 1 }),
    ]);
    expect(receipts()).toEqual([expect.objectContaining({ action_address: RECEIPTS_URL })]);
  });

  it('updates its voice receipt rule in place when it was disabled, points elsewhere or lost its URL action, never adding a second', async () => {
    const { ensure, client, voiceReceipts } = await setup();
    await ensure();
    const [rule] = voiceReceipts();
    const id = rule!.receipt_rule_id;
    for (const change of [{ enabled: 0 as const }, { action_address: 'https://old-bridge.example.com/voice' }, { action: 'NONE' as const }, { match_type: 3 }]) {
      await client.automations.voiceReceipts.update(id, { ...receiptFieldsOf(rule!), ...change });
      expect(await ensure()).toEqual({ inbound: 'unchanged', receipts: 'unchanged', voiceReceipts: 'updated' });
      expect(voiceReceipts()).toEqual([
        expect.objectContaining({ receipt_rule_id: id, match_type: 0, action: 'URL', action_address: VOICE_RECEIPTS_URL, enabled: 1 }),
      ]);
    }
    expect((await ensure()).voiceReceipts).toBe('unchanged');
    expect(voiceReceipts()).toHaveLength(1);
  });

  it('takes over a voice receipt rule of its own address left with a stale token instead of adding a second one', async () => {
    const { ensure, client, voiceReceipts } = await setup();
    await client.automations.voiceReceipts.create({
      rule_name: 'Made by hand',
      match_type: 0,
      action: 'URL',
      action_address: `${PUBLIC_URL}/webhooks/clicksend/voice-receipts?token=old-token`,
      enabled: 1,
    });
    expect((await ensure()).voiceReceipts).toBe('updated');
    expect(voiceReceipts()).toEqual([expect.objectContaining({ action_address: VOICE_RECEIPTS_URL })]);
  });

  it('never writes the token to its logs', async () => {
    const { ensure, client, inbound, logs } = await setup();
    await ensure();
    const [rule] = inbound();
    await client.automations.inbound.update(rule!.inbound_rule_id, { ...fieldsOf(rule!), enabled: 0 });
    await ensure();
    await ensure();
    expect(logs.text()).toContain('clicksend webhook rules checked');
    expect(logs.text()).not.toContain(TOKEN);
    expect(logs.text()).not.toContain(encodeURIComponent(TOKEN));
  });
});

type InboundRecord = ReturnType<Awaited<ReturnType<typeof setup>>['inbound']>[number];
type ReceiptRecord = ReturnType<Awaited<ReturnType<typeof setup>>['receipts']>[number];

const fieldsOf = (rule: InboundRecord) => ({
  dedicated_number: rule.dedicated_number,
  rule_name: rule.rule_name,
  message_search_type: rule.message_search_type as 0 | 1 | 2 | 3,
  message_search_term: rule.message_search_term ?? '*',
  action: 'URL' as 'URL' | 'NONE',
  action_address: rule.action_address,
  enabled: rule.enabled as 0 | 1,
  webhook_type: rule.webhook_type,
});

const receiptFieldsOf = (rule: ReceiptRecord) => ({
  rule_name: rule.rule_name,
  match_type: rule.match_type,
  action: 'URL' as 'URL' | 'NONE',
  action_address: rule.action_address,
  enabled: rule.enabled as 0 | 1,
});
