import { THREAD_RULE } from '../../src/bridge/relay-cards.js';
import { describe, expect, it } from 'vitest';
import { inboundCards, OPTED_OUT_MARK, OUR_NUMBER, pushInbound, until } from '../helpers/relay-traffic.js';
import { CHANNEL_ID, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, inputIds, startTestBridge, type TestBridge } from '../helpers/bridge.js';

const OUR = OUR_NUMBER;
const CUSTOMER = '+61411111111';

const link = async (bridge: TestBridge, number = OUR) => {
  await bridge.post(textMessage(bridge.connector.url, `link ${number}`, 'channel'));
  await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Linked')));
};

const push = (bridge: TestBridge, body: Record<string, unknown>) => pushInbound(bridge.url, body);

const posts = (bridge: TestBridge) => inboundCards(bridge.connector);

/** Every TextBlock of a card, with its properties (its colour among them). */
const textBlocks = (card: unknown): Record<string, unknown>[] => {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as Record<string, unknown>)['type'] === 'TextBlock') found.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
};

describe('inbound SMS into channel threads', () => {
  it('starts a thread for a new customer and posts later texts into it; a second customer gets their own', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await link(bridge);

    expect((await push(bridge, { message_id: 'IN-1', from: CUSTOMER, body: 'Is 3pm free?' })).status).toBe(200);
    const first = await until(() => posts(bridge)[0]);
    expect(first.call.created).toBe(true);
    expect(first.call.conversationId).toMatch(new RegExp(`^${CHANNEL_ID};messageid=`));
    expect(cardText(first.card)).toContain('Is 3pm free?');
    // The thread rule, said once, at the top of the thread.
    expect(cardText(first.card)).toContain(THREAD_RULE);

    await push(bridge, { message_id: 'IN-2', from: CUSTOMER, body: 'Or 4pm?' });
    const second = await until(() => posts(bridge)[1]);
    expect(second.call.created).toBeFalsy();
    expect(second.call.conversationId).toBe(first.call.conversationId);
    expect(cardText(second.card)).toContain('Or 4pm?');
    expect(cardText(second.card)).not.toContain(THREAD_RULE);

    await push(bridge, { message_id: 'IN-3', from: '+61422222222', body: 'Hi there' });
    const third = await until(() => posts(bridge)[2]);
    expect(third.call.created).toBe(true);
    expect(third.call.conversationId).not.toBe(first.call.conversationId);
  });

  it('stores a repeated push once and posts it once', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await link(bridge);
    const answers = await Promise.all([1, 2, 3].map(() => push(bridge, { message_id: 'DUP-1', from: CUSTOMER, body: 'Once only' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await answers[0]!.json()).toEqual({ ok: true });
    await until(() => posts(bridge)[0]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(posts(bridge)).toHaveLength(1);
  });

  it('keeps texts for an unlinked number and delivers them when the number is linked', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await push(bridge, { message_id: 'EARLY-1', from: CUSTOMER, body: 'Anyone there?' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(posts(bridge)).toHaveLength(0);
    await link(bridge);
    const card = await until(() => posts(bridge)[0]);
    expect(cardText(card.card)).toContain('Anyone there?');
  });

  it('relays a customer text pushed by ClickSend itself (the sandbox) through the registered rule', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await link(bridge, 'all');
    await bridge.sandbox.simulateInbound({ from: CUSTOMER, to: OUR, body: 'Pushed by ClickSend' });
    const card = await until(() => posts(bridge)[0]);
    expect(cardText(card.card)).toContain('Pushed by ClickSend');
  });
});

describe('replies from a thread', () => {
  const threadOf = async (bridge: TestBridge) => {
    await link(bridge);
    await push(bridge, { message_id: 'IN-R1', from: CUSTOMER, body: 'Can I book?' });
    const root = await until(() => posts(bridge)[0]);
    return root.call.conversationId;
  };

  const replyIn = (bridge: TestBridge, conversationId: string, text: string) => {
    const activity = textMessage(bridge.connector.url, text, 'channel');
    return bridge.post({ ...activity, conversation: { ...activity.conversation, id: conversationId } });
  };

  it('texts the customer from the number they wrote to, and the receipt updates the status card', async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 100 } });
    const thread = await threadOf(bridge);
    await replyIn(bridge, thread, 'Yes, see you at 3');

    const sms = await until(() => bridge.sandbox.state.messages.find((m) => m.type === 'sms'));
    expect(sms).toMatchObject({ to: CUSTOMER, from: OUR, body: 'Yes, see you at 3' });
    const status = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('replied by SMS')));
    expect(status.call.conversationId).toBe(thread);
    // Its parts and price, like every other result card.
    expect(cardText(status.card)).toMatch(/1 part · \$0\.\d{4} AUD/);
    const updated = await until(() =>
      bridge.connector.cards().find((c) => c.call.method === 'PUT' && c.call.activityId === status.call.id && cardText(c.card).includes('Delivered')),
    );
    expect(updated).toBeDefined();
  });

  it('refuses every send to a customer who texted STOP, until START', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const thread = await threadOf(bridge);
    await push(bridge, { message_id: 'IN-STOP', from: CUSTOMER, body: 'STOP' });
    await until(() => posts(bridge).find((c) => cardText(c.card).includes('opted out')));

    await replyIn(bridge, thread, 'Are you sure?');
    await bridge.post(textMessage(bridge.connector.url, `sms ${CUSTOMER} Special offer`));
    await until(() => bridge.connector.cards().filter((c) => cardText(c.card).includes('opted out of texts')).length === 2 || undefined);
    expect(bridge.sandbox.state.messages.filter((m) => m.type === 'sms')).toHaveLength(0);

    await push(bridge, { message_id: 'IN-START', from: CUSTOMER, body: 'start' });
    await until(() => posts(bridge).find((c) => cardText(c.card).includes('opted back in')));
    await replyIn(bridge, thread, 'Welcome back');
    await until(() => bridge.sandbox.state.messages.find((m) => m.type === 'sms'));
  });

  it("marks the customer's cards opted out, without a Reply box, from STOP until START, and shows START as good news", async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const thread = await threadOf(bridge);
    expect(inputIds(posts(bridge)[0]!.card)).toEqual(['body']);

    await push(bridge, { message_id: 'IN-STOP', from: CUSTOMER, body: 'STOP' });
    const stop = await until(() => posts(bridge).find((c) => cardText(c.card).includes('STOP')), 'the STOP card');
    expect(stop.call.conversationId).toBe(thread);
    expect(cardText(stop.card).split('\n')[0]).toBe(OPTED_OUT_MARK);
    expect(inputIds(stop.card)).not.toContain('body');
    expect(executeActions(stop.card)).toEqual([]);
    expect(textBlocks(stop.card).find((b) => String(b['text']).startsWith('The customer opted out'))).toMatchObject({ color: 'attention' });

    await push(bridge, { message_id: 'IN-AFTER-STOP', from: CUSTOMER, body: 'Still there?' });
    const quiet = await until(() => posts(bridge).find((c) => cardText(c.card).includes('Still there?')), 'the text after STOP');
    expect(cardText(quiet.card)).toContain(OPTED_OUT_MARK);
    expect(inputIds(quiet.card)).not.toContain('body');

    await push(bridge, { message_id: 'IN-START', from: CUSTOMER, body: 'START' });
    const start = await until(() => posts(bridge).find((c) => cardText(c.card).includes('opted back in')), 'the START card');
    expect(cardText(start.card)).not.toContain(OPTED_OUT_MARK);
    expect(inputIds(start.card)).toEqual(['body']);
    expect(executeActions(start.card)).toMatchObject([{ verb: 'thread.reply', data: { customer: CUSTOMER, ourNumber: OUR } }]);
    expect(textBlocks(start.card).find((b) => String(b['text']).includes('opted back in'))).toMatchObject({ color: 'good' });

    await push(bridge, { message_id: 'IN-AFTER-START', from: CUSTOMER, body: 'Book me in' });
    const later = await until(() => posts(bridge).find((c) => cardText(c.card).includes('Book me in')), 'the text after START');
    expect(cardText(later.card)).not.toContain(OPTED_OUT_MARK);
    expect(inputIds(later.card)).toEqual(['body']);
    expect(posts(bridge).every((c) => c.call.conversationId === thread)).toBe(true);
  });
});
