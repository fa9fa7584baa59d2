import { expect } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { CHANNEL_ID, executeAction, textMessage } from './activities.js';
import { cardText } from './bridge.js';
import type { FakeConnector } from './fake-connector.js';
import { linkChannel, until } from './relay-traffic.js';

/**
 * A day of the bridge's traffic against a running bridge: a channel link, inbound SMS pushed by
 * the sandbox and straight to the webhooks (JSON, form, a duplicate, wrong and missing tokens, a
 * bad body), Teams failing posts, a reply typed in a thread with its delivery receipt, `sms`
 * typed and sent from a form, and a ClickSend call that fails. Each step checks that it happened.
 */

export const OUR_NUMBER = '+61480000000';
/** Who texts in (and gets the reply), who gets `sms`, who gets the form's SMS. */
export const NUMBERS = { customer: '+61411111111', other: '+61422222222', typed: '+61444444444', form: '+61433333333' } as const;
/** Words no log line could hold by chance. */
export const TEXTS = {
  inbound: 'Kiwifruit order arriving Tuesday',
  pushed: 'Gooseberry jam is sold out',
  form: 'Pomegranate delivery confirmed',
  reply: 'Quince tart ready at noon',
  typed: 'Mulberry crates are packed',
  failing: 'Persimmon for the list',
} as const;

export interface FullRun {
  readonly url: string;
  readonly token: string;
  /** METRICS_TOKEN, sent to /metrics as its callers do. */
  readonly metricsToken: string;
  readonly sandbox: Sandbox;
  readonly connector: FakeConnector;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Every answer the bridge gave the run's requests, for a look for secrets in them. */
const answers: string[] = [];

const post = async (url: string, contentType: string, body: string): Promise<number> => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  answers.push(await response.text());
  return response.status;
};

const inThread = <A extends { conversation: object; channelData: object }>(activity: A, thread: string) => ({
  ...activity,
  conversation: { ...activity.conversation, id: thread },
  channelData: { ...activity.channelData, channel: { id: CHANNEL_ID, name: CHANNEL_ID } },
});

const cardWith = (connector: FakeConnector, text: string) => connector.cards().find((c) => cardText(c.card).includes(text));

const sent = (sandbox: Sandbox, body: string) => sandbox.state.messages.find((m) => m.body === body);

/** Drives the run; resolves with the bodies of the bridge's HTTP answers. */
export const driveFullRun = async ({ url, token, metricsToken, sandbox, connector }: FullRun): Promise<string[]> => {
  answers.length = 0;
  const inbound = `${url}/webhooks/clicksend/inbound`;
  const receipts = `${url}/webhooks/clicksend/receipts`;
  expect([...sandbox.state.inboundRules.values()].map((r) => r.action_address)).toContain(`${inbound}?token=${token}`);
  await linkChannel(url, connector, { number: OUR_NUMBER });

  // The sandbox pushes to the rule the bridge registered; Teams fails the first posts.
  connector.failNext({ status: 500 });
  connector.failNext({ status: 429, retryAfter: 1 });
  await sandbox.simulateInbound({ from: NUMBERS.customer, to: OUR_NUMBER, body: TEXTS.inbound });
  const root = await until(() => cardWith(connector, TEXTS.inbound), 'the inbound SMS in Teams', 15_000);
  expect(connector.attempts.filter((a) => a.status === 500 || a.status === 429)).toHaveLength(2);

  const json = JSON.stringify({ message_id: 'IN-PUSHED-1', from: NUMBERS.other, to: OUR_NUMBER, body: TEXTS.pushed, timestamp: Math.floor(Date.now() / 1000) });
  const form = new URLSearchParams({ message_id: 'IN-PUSHED-2', from: NUMBERS.customer, to: OUR_NUMBER, body: TEXTS.pushed, timestamp: String(Math.floor(Date.now() / 1000)) }).toString();
  const statuses = [
    await post(`${inbound}?token=${token}`, JSON_TYPE, json),
    await post(`${inbound}?token=${token}`, JSON_TYPE, json),
    await post(`${inbound}?token=${token}`, FORM_TYPE, form),
    await post(`${inbound}?token=${token.slice(0, -3)}xyz`, JSON_TYPE, json),
    await post(inbound, FORM_TYPE, form),
    await post(`${inbound}?token=${token}`, JSON_TYPE, '{"from": 1}'),
    await post(`${receipts}?token=${token}`, FORM_TYPE, `message_id=NOT-OURS&status_code=201&status_text=Delivered&to=${encodeURIComponent(NUMBERS.other)}&timestamp=1700000000`),
  ];
  expect(statuses).toEqual([200, 200, 200, 401, 401, 400, 200]);
  await until(() => connector.cards().filter((c) => cardText(c.card).includes(TEXTS.pushed)).length >= 2, 'the pushed SMS in Teams');

  // A reply typed in the customer's thread goes out as an SMS; the sandbox pushes its receipt.
  const reply = inThread(textMessage(connector.url, TEXTS.reply, 'channel'), root.call.conversationId);
  expect((await post(`${url}/api/messages`, JSON_TYPE, JSON.stringify(reply))) < 300).toBe(true);
  const replied = await until(() => sent(sandbox, TEXTS.reply), 'the reply as an SMS');
  expect(replied.to).toBe(NUMBERS.customer);
  await until(() => sandbox.state.pushes.find((p) => p.kind === 'receipt' && p.messageId === replied.messageId && p.status === 200), 'its receipt taken');

  // `sms` typed in a personal chat, the SMS form submitted, and a send ClickSend refuses.
  await post(`${url}/api/messages`, JSON_TYPE, JSON.stringify(textMessage(connector.url, `sms ${NUMBERS.typed} ${TEXTS.typed}`)));
  await until(() => sent(sandbox, TEXTS.typed), 'the typed SMS');
  const submit = executeAction(connector.url, 'form-card-1', 'sms.send', { to: '0433 333 333', body: TEXTS.form, custom_string: 'order-77' });
  expect(await post(`${url}/api/messages`, JSON_TYPE, JSON.stringify(submit))).toBe(200);
  expect(sent(sandbox, TEXTS.form)?.to).toBe(NUMBERS.form);
  const calls = connector.calls.length;
  await post(`${url}/api/messages`, JSON_TYPE, JSON.stringify(textMessage(connector.url, `sms list:987654 ${TEXTS.failing}`)));
  await connector.waitForCalls(calls + 1);
  expect(sent(sandbox, TEXTS.failing)).toBeUndefined();

  // Operators' routes, called with a secret (right or wrong) in the Authorization header.
  const operators: [string, string][] = [['/healthz', token], ['/readyz', token], ['/metrics', metricsToken], ['/metrics', `${metricsToken.slice(0, -3)}xyz`]];
  for (const [path, bearer] of operators) answers.push(await (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${bearer}` } })).text());
  return [...answers];
};
