import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { call, eventually, startReceiver, startSandbox, type Received } from './helpers.js';

/** The sandbox's documented number that fails every message (README, local run). */
const FAILING = '+61400000999';

// The fields of ClickSend's voice receipt push, in the order of its `GET /voice/receipts` description.
const VOICE_RECEIPT_FIELDS = [
  'timestamp_send',
  'timestamp',
  'message_id',
  'status',
  'status_code',
  'status_text',
  'error_code',
  'error_text',
  'custom_string',
  'user_id',
  'subaccount_id',
  'message_type',
  'digits',
];

const addRule = (sandbox: Sandbox, kind: 'sms' | 'voice', url: string, extra: Record<string, unknown> = {}) =>
  call(sandbox, 'POST', `/v3/automations/${kind}/receipts`, {
    body: { rule_name: `${kind} receipts`, match_type: 0, action: 'URL', action_address: url, enabled: 1, ...extra },
  });

const sendVoice = async (sandbox: Sandbox, to: string): Promise<string> => {
  const answer = await call(sandbox, 'POST', '/v3/voice/send', {
    body: { messages: [{ to, body: 'Your code is 1 2 3', lang: 'en-au', voice: 'female', custom_string: 'call-1' }] },
  });
  expect(answer.body.data.messages[0].status).toBe('SUCCESS');
  return answer.body.data.messages[0].message_id as string;
};

const sendSms = async (sandbox: Sandbox, to: string): Promise<string> => {
  const answer = await call(sandbox, 'POST', '/v3/sms/send', { body: { messages: [{ to, body: 'Hello' }] } });
  expect(answer.body.data.messages[0].status).toBe('SUCCESS');
  return answer.body.data.messages[0].message_id as string;
};

const sendMms = async (sandbox: Sandbox, to: string): Promise<string> => {
  const answer = await call(sandbox, 'POST', '/v3/mms/send', {
    body: { media_file: 'https://example.com/cat.gif', messages: [{ to, subject: 'Cat', body: 'Look' }] },
  });
  expect(answer.body.data.messages[0].status).toBe('SUCCESS');
  return answer.body.data.messages[0].message_id as string;
};

const formOf = (push: Received) => Object.fromEntries(new URLSearchParams(push.body));
const jsonOf = (push: Received) => JSON.parse(push.body) as Record<string, unknown>;

describe('voice delivery receipts from the sandbox', () => {
  it('pushes a voice call its receipts, sent then delivered, to the voice receipt rules only, with the fields of ClickSend’s voice receipt', async () => {
    const sandbox = await startSandbox({ receiptDelayMs: 5 });
    const voiceHook = await startReceiver();
    const smsHook = await startReceiver();
    await addRule(sandbox, 'voice', voiceHook.url);
    await addRule(sandbox, 'sms', smsHook.url);

    const smsId = await sendSms(sandbox, '+61411111111');
    const callId = await sendVoice(sandbox, '+61411111111');
    const [sent, delivered] = [formOf(await voiceHook.nth(1)), formOf(await voiceHook.nth(2))];
    expect(Object.keys(delivered)).toEqual(VOICE_RECEIPT_FIELDS);
    expect(sent).toMatchObject({ message_id: callId, status_code: '200', message_type: 'voice', error_text: '' });
    expect(delivered).toMatchObject({
      message_id: callId,
      status: 'Delivered',
      status_code: '201',
      status_text: 'Success: Message received on handset.',
      error_code: '',
      error_text: '',
      custom_string: 'call-1',
      message_type: 'voice',
      digits: '',
    });
    await eventually(() => (sandbox.state.messages.every((m) => m.delivery === 'delivered') ? true : undefined));
    await eventually(() => smsHook.received[0]);
    expect(smsHook.received.map((push) => formOf(push).message_id)).toEqual([smsId]);
    expect(voiceHook.received).toHaveLength(2);
    expect(sandbox.state.pushes.filter((p) => p.kind === 'voice_receipt').map((p) => p.messageId)).toEqual([callId, callId]);
  });

  it('fails every SMS, MMS and voice call to +61400000999 with a failed receipt carrying an error text', async () => {
    const sandbox = await startSandbox({ receiptDelayMs: 5 });
    const voiceHook = await startReceiver();
    const smsHook = await startReceiver();
    await addRule(sandbox, 'voice', voiceHook.url, { webhook_type: 'json' });
    await addRule(sandbox, 'sms', smsHook.url, { webhook_type: 'json' });

    const smsId = await sendSms(sandbox, FAILING);
    const mmsId = await sendMms(sandbox, FAILING);
    const callId = await sendVoice(sandbox, FAILING);

    const smsReceipts = [jsonOf(await smsHook.nth(1)), jsonOf(await smsHook.nth(2))];
    expect(smsReceipts.map((r) => r.message_id).sort()).toEqual([smsId, mmsId].sort());
    for (const receipt of smsReceipts) {
      expect(receipt).toMatchObject({ status_code: 301, error_code: expect.any(String), error_text: expect.stringContaining(FAILING) });
    }
    const callReceipts = [jsonOf(await voiceHook.nth(1)), jsonOf(await voiceHook.nth(2))];
    expect(callReceipts.map((r) => [r.message_id, r.status_code])).toEqual([
      [callId, 200],
      [callId, 301],
    ]);
    expect(callReceipts[1]).toMatchObject({ status: 'Undelivered', error_text: expect.stringContaining(FAILING) });
    await eventually(() => (sandbox.state.messages.every((m) => m.delivery === 'failed') ? true : undefined));
  });

  it('still delivers a message to any other number, even one next to the failing one', async () => {
    const sandbox = await startSandbox({ receiptDelayMs: 5 });
    const smsHook = await startReceiver();
    await addRule(sandbox, 'sms', smsHook.url, { webhook_type: 'json' });
    await sendSms(sandbox, '+61400000998');
    expect(jsonOf(await smsHook.nth(1))).toMatchObject({ status_code: 201, error_text: null });
  });
});
