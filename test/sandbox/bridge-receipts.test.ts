import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { RECEIPTS, TOKEN, VOICE_RECEIPTS, startWebhooks } from '../inbound/harness.js';
import { call, eventually, startSandbox } from './helpers.js';

/**
 * The sandbox's receipts against the bridge's own webhook routes, so that what the sandbox
 * pushes is what the routes read. (A file of its own: restify, which the routes load, patches
 * node:http's responses for the whole process, and the plain receivers of the other files
 * would answer through its patch.)
 */

const FAILING = '+61400000999';

const addRule = (sandbox: Sandbox, kind: 'sms' | 'voice', url: string) =>
  call(sandbox, 'POST', `/v3/automations/${kind}/receipts`, {
    body: { rule_name: `${kind} receipts`, match_type: 0, action: 'URL', action_address: url, enabled: 1 },
  });

const send = async (sandbox: Sandbox, kind: 'sms' | 'voice', to: string): Promise<string> => {
  const message = kind === 'voice' ? { to, body: 'Your code is 1 2 3', lang: 'en-au', voice: 'female' } : { to, body: 'Hello' };
  const answer = await call(sandbox, 'POST', `/v3/${kind}/send`, { body: { messages: [message] } });
  expect(answer.body.data.messages[0].status).toBe('SUCCESS');
  return answer.body.data.messages[0].message_id as string;
};
const sendVoice = (sandbox: Sandbox, to: string) => send(sandbox, 'voice', to);
const sendSms = (sandbox: Sandbox, to: string) => send(sandbox, 'sms', to);

describe('sandbox receipts read by the bridge', () => {
  it('pushes receipts the bridge’s webhooks read: a call sent then delivered, one to the failing number failed with its reason', async () => {
    const sandbox = await startSandbox({ receiptDelayMs: 5 });
    const hooks = await startWebhooks();
    await addRule(sandbox, 'voice', `${hooks.url}${VOICE_RECEIPTS}?token=${TOKEN}`);
    await addRule(sandbox, 'sms', `${hooks.url}${RECEIPTS}?token=${TOKEN}`);

    const delivered = await sendVoice(sandbox, '+61411111111');
    const failed = await sendVoice(sandbox, FAILING);
    const failedSms = await sendSms(sandbox, FAILING);
    await eventually(() => (hooks.sink.receipts.length === 5 ? true : undefined));
    const statuses = (messageId: string) => hooks.sink.receipts.filter((r) => r.messageId === messageId).map((r) => r.status);
    expect(statuses(delivered)).toEqual(['sent', 'delivered']);
    expect(statuses(failed)).toEqual(['sent', 'failed']);
    expect(statuses(failedSms)).toEqual(['failed']);
    for (const id of [failed, failedSms]) {
      expect(hooks.sink.receipts.find((r) => r.messageId === id && r.status === 'failed')?.statusText).toContain(FAILING);
    }
    // The sink has a receipt before its answer reaches the sandbox.
    await eventually(() => (sandbox.state.pushes.every((p) => p.finishedAt !== null) ? true : undefined));
    expect(sandbox.state.pushes.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
