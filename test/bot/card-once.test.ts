import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { executeAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, startTestBridge, type TestBridge } from '../helpers/bridge.js';

/*
 * A card's button is acted on once however Teams delivers the click: retried invokes carry new
 * activity ids, and not every client sends the clicked message's id (`replyToId`).
 */

type InvokeAnswer = { value: Record<string, unknown> };

const sentSms = (bridge: TestBridge) => bridge.sandbox.state.messages.filter((m) => m.type === 'sms');

/** Types `sms` and returns the form card the bot posted, with its Send button. */
const openSmsForm = async (bridge: TestBridge) => {
  await bridge.post(textMessage(bridge.connector.url, 'sms'));
  await bridge.connector.waitForCalls(1);
  const card = bridge.connector.cards().at(-1)!.card;
  const send = executeActions(card).find((action) => action.verb === 'sms.send');
  expect(send).toBeDefined();
  return send!;
};

/** Clicks `verb` with `data` as Teams sends it: a new activity id each time, `replyToId` only when given. */
const click = async (bridge: TestBridge, verb: string, data: Record<string, unknown>, replyToId?: string) => {
  const { replyToId: _, ...withoutReply } = executeAction(bridge.connector.url, 'unused', verb, data);
  const answer = await bridge.post(replyToId === undefined ? withoutReply : { ...withoutReply, replyToId });
  expect(answer.status).toBe(200);
  return (answer.body as InvokeAnswer).value;
};

const fifty = <T>(make: () => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: 50 }, make));

const order = { to: '+61411111111', body: 'Your order is ready', custom_string: '', list_id: '' };

describe('a card button clicked many times', () => {
  it('sends one SMS for 50 invokes of one form without replyToId', async () => {
    const bridge = await startTestBridge();
    const send = await openSmsForm(bridge);
    const answers = await fifty(() => click(bridge, 'sms.send', { ...send.data, ...order }));
    expect(sentSms(bridge)).toHaveLength(1);
    expect(answers.map(cardText).filter((text) => text.includes('SMS sent')).length).toBeGreaterThanOrEqual(1);
  });

  it('sends one SMS for 50 invokes of one form that carry its message id', async () => {
    const bridge = await startTestBridge();
    const send = await openSmsForm(bridge);
    await fifty(() => click(bridge, 'sms.send', { ...send.data, ...order }, 'form-message-1'));
    expect(sentSms(bridge)).toHaveLength(1);
  });

  it('sends one SMS for 50 invokes of a card without a card id nor a message id (a card from before ids)', async () => {
    const bridge = await startTestBridge();
    await fifty(() => click(bridge, 'sms.send', order));
    expect(sentSms(bridge)).toHaveLength(1);
  });

  it('sends once from each of two forms with the same text, without replyToId', async () => {
    const bridge = await startTestBridge();
    const first = await openSmsForm(bridge);
    await click(bridge, 'sms.send', { ...first.data, ...order });
    const second = await openSmsForm(bridge);
    expect(second.data).not.toEqual(first.data);
    await click(bridge, 'sms.send', { ...second.data, ...order });
    expect(sentSms(bridge)).toHaveLength(2);
  });

  it('takes a form again once corrected after it was refused for bad input', async () => {
    const bridge = await startTestBridge();
    const send = await openSmsForm(bridge);
    const refused = await click(bridge, 'sms.send', { ...send.data, to: '12', body: '' });
    expect(cardText(refused)).toContain('The message is empty.');
    expect(sentSms(bridge)).toHaveLength(0);
    // The form comes back in place of the first: its button is the one clicked next.
    const again = executeActions(refused).find((action) => action.verb === 'sms.send')!;
    const answers = await fifty(() => click(bridge, 'sms.send', { ...again.data, ...order }));
    expect(sentSms(bridge)).toHaveLength(1);
    expect(answers.some((answer) => cardText(answer).includes('SMS sent'))).toBe(true);
  });

  it('takes the first form again once corrected, when a client still shows it', async () => {
    const bridge = await startTestBridge();
    const send = await openSmsForm(bridge);
    await click(bridge, 'sms.send', { ...send.data, to: '12', body: 'x' });
    expect(cardText(await click(bridge, 'sms.send', { ...send.data, ...order }))).toContain('SMS sent');
    expect(sentSms(bridge)).toHaveLength(1);
  });

  it('acts once when the card id was altered, keying on the message id or on the whole submission', async () => {
    const bridge = await startTestBridge();
    const send = await openSmsForm(bridge);
    const tampered = Object.fromEntries(Object.keys(send.data).map((key) => [key, 'not a card id']));
    await fifty(() => click(bridge, 'sms.send', { ...send.data, ...tampered, ...order }));
    expect(sentSms(bridge)).toHaveLength(1);
    // Card ids of the right shape, each new, with the message id Teams sent: still once.
    const forged = () => Object.fromEntries(Object.keys(send.data).map((key) => [key, randomBytes(16).toString('base64url')]));
    await fifty(() => click(bridge, 'sms.send', { ...send.data, ...forged(), ...order, body: 'Second card' }, 'form-message-2'));
    expect(sentSms(bridge)).toHaveLength(2);
  });
});
