import { describe, expect, it } from 'vitest';
import { inboundCards, OUR_NUMBER, pushInbound, until } from '../helpers/relay-traffic.js';
import { BOT, CHANNEL_ID, executeAction, textMessage, USER } from '../helpers/activities.js';
import { cardText, executeActions, startTestBridge, TEST_WEBHOOK_TOKEN, type TestBridge } from '../helpers/bridge.js';

const OUR = OUR_NUMBER;
const OTHER_NUMBER = '+61480000001';
const CUSTOMER = '+61411111111';
const OTHER_CHANNEL = '19:support@thread.tacv2';

type InvokeAnswer = { statusCode: number; type: string; value: unknown };

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

/** A channel activity as Teams sends it from `channel` (its root post, or a thread of it). */
const inChannel = <A extends { conversation: object; channelData: object }>(activity: A, channel: string, conversationId = `${channel};messageid=1700000000000`) => ({
  ...activity,
  conversation: { ...activity.conversation, id: conversationId },
  channelData: { ...activity.channelData, channel: { id: channel, name: channel } },
});

const link = async (bridge: TestBridge, number: string = OUR, channel = CHANNEL_ID) => {
  const before = bridge.connector.cards().filter((c) => cardText(c.card).includes('Linked')).length;
  await bridge.post(inChannel(textMessage(bridge.connector.url, `link ${number}`, 'channel'), channel));
  await until(() => bridge.connector.cards().filter((c) => cardText(c.card).includes('Linked')).length > before);
};

const push = (bridge: TestBridge, body: Record<string, unknown>) => pushInbound(bridge.url, body);

const receipt = (bridge: TestBridge, body: Record<string, unknown>) =>
  fetch(`${bridge.url}/webhooks/clicksend/receipts?token=${TEST_WEBHOOK_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const posts = (bridge: TestBridge) => inboundCards(bridge.connector);

/** The inputs of a card, with their limits. */
const inputsOf = (card: unknown): { id: string; maxLength?: number }[] => {
  const found: { id: string; maxLength?: number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const { type, id, maxLength } = node as { type?: unknown; id?: unknown; maxLength?: unknown };
      if (typeof type === 'string' && type.startsWith('Input.') && typeof id === 'string') found.push({ id, ...(typeof maxLength === 'number' ? { maxLength } : {}) });
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
};

const sentSms = (bridge: TestBridge) => bridge.sandbox.state.messages.filter((m) => m.type === 'sms');

/** Links OUR, lets CUSTOMER text it, and returns the thread's root post. */
const startThread = async (bridge: TestBridge, body = 'Can I book?') => {
  await link(bridge);
  await push(bridge, { message_id: 'IN-ROOT', from: CUSTOMER, body });
  return until(() => posts(bridge)[0]);
};

/** Clicks a card's Action.Execute button (with the Reply input filled) from the thread it is in. */
const clickReply = async (bridge: TestBridge, thread: string, rootId: string, data: Record<string, unknown>) => {
  const activity = inChannel(executeAction(bridge.connector.url, rootId, 'thread.reply', data, 'channel'), CHANNEL_ID, thread);
  const answer = await bridge.post(activity);
  expect(answer.status).toBe(200);
  return answer.body as InvokeAnswer;
};

/** A reply typed in the thread; `mention: false` as Teams sends it with ChannelMessage.Read.Group. */
const typeInThread = (bridge: TestBridge, thread: string, text: string, mention = true) => {
  const activity = inChannel(textMessage(bridge.connector.url, text, 'channel'), CHANNEL_ID, thread);
  return bridge.post(mention ? activity : { ...activity, text, entities: [] });
};

/** The message ids the bridge stored, in the order it committed them (its log says so). */
const storedOrder = (bridge: TestBridge): string[] =>
  bridge
    .logs()
    .split('\n')
    .filter((line) => line.includes('"inbound sms stored"'))
    .map((line) => String((JSON.parse(line) as { messageId?: unknown }).messageId));

describe('threads of a customer', () => {
  it('makes one thread of two texts from a new customer pushed at the same moment, each shown once, in order', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await link(bridge);
    const texts: Record<string, string> = { 'SAME-1': 'First at once', 'SAME-2': 'Second at once' };
    const answers = await Promise.all(Object.entries(texts).map(([id, body]) => push(bridge, { message_id: id, from: CUSTOMER, body })));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);

    const shown = () => posts(bridge).map((p) => cardText(p.card)).join('\n');
    await until(() => Object.values(texts).every((t) => shown().includes(t)));
    await push(bridge, { message_id: 'SAME-3', from: CUSTOMER, body: 'Third, later' });
    await until(() => shown().includes('Third, later'));
    await settle();

    expect(bridge.connector.calls.filter((c) => c.created)).toHaveLength(1);
    const thread = posts(bridge)[0]!.call.conversationId;
    expect(posts(bridge).every((p) => p.call.conversationId === thread)).toBe(true);
    const all = shown();
    const inOrder = [...storedOrder(bridge).map((id) => texts[id] ?? 'Third, later')];
    expect(inOrder).toHaveLength(3);
    for (const text of inOrder) expect(all.split(text)).toHaveLength(2);
    const positions = inOrder.map((text) => all.indexOf(text));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("shows the contact's name from a ClickSend list, our number, the text and the time", async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'VIP customers' });
    await bridge.app.clicksend!.contacts.create(list.list_id, { phone_number: CUSTOMER, first_name: 'Grace', last_name: 'Hopper' });
    await link(bridge);

    const timestamp = 1_767_225_600; // 2026-01-01T00:00:00Z
    await push(bridge, { message_id: 'NAMED-1', from: CUSTOMER, body: 'Is my order ready?', timestamp });
    const text = cardText((await until(() => posts(bridge)[0])).card);
    expect(text).toContain('Grace Hopper');
    expect(text).toContain(CUSTOMER);
    expect(text).toContain(OUR);
    expect(text).toContain('Is my order ready?');
    expect(text).toContain('{{DATE(2026-01-01T00:00:00Z,SHORT)}} {{TIME(2026-01-01T00:00:00Z)}}');
  });

  it('quotes our message that the customer answered', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await link(bridge);
    await push(bridge, { message_id: 'ANS-1', from: CUSTOMER, body: 'Yes please', original_message_id: 'OUT-77', original_body: 'Shall we book you in for 3pm?' });
    const text = cardText((await until(() => posts(bridge)[0])).card);
    expect(text).toContain('In reply to');
    expect(text).toContain('Shall we book you in for 3pm?');
    expect(text).toContain('Yes please');
  });
});

describe('replying from a thread', () => {
  it("texts the customer from our number with the card's Reply button, clicked in the thread", async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    const [button] = executeActions(root.card);
    expect(button).toMatchObject({ verb: 'thread.reply', data: { customer: CUSTOMER, ourNumber: OUR } });

    const answer = await clickReply(bridge, root.call.conversationId, root.call.id, { ...button!.data, body: 'See you at 3' });
    expect(answer.statusCode).toBe(200);
    expect(cardText(answer.value)).not.toContain('does not belong');
    expect(sentSms(bridge)).toMatchObject([{ to: CUSTOMER, from: OUR, body: 'See you at 3' }]);
    const status = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('replied by SMS')));
    expect(status.call.conversationId).toBe(root.call.conversationId);
  });

  it('refuses a Reply whose customer or number is not the thread it was clicked in, and sends nothing', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    const thread = root.call.conversationId;

    const wrongCustomer = await clickReply(bridge, thread, root.call.id, { customer: '+61422222222', ourNumber: OUR, body: 'Hello stranger' });
    const wrongNumber = await clickReply(bridge, thread, root.call.id, { customer: CUSTOMER, ourNumber: OTHER_NUMBER, body: 'From elsewhere' });
    const noThread = await clickReply(bridge, `${CHANNEL_ID};messageid=1699999999999`, root.call.id, { customer: CUSTOMER, ourNumber: OUR, body: 'Nowhere' });
    // Each refused in a new message; the customer's card is never replaced by it.
    for (const answer of [wrongCustomer, wrongNumber, noThread]) expect(cardText(answer.value)).not.toContain('does not belong');
    await until(() => bridge.connector.cards().filter((c) => cardText(c.card).includes('does not belong to this thread')).length === 3, 'three refusals');
    expect(bridge.connector.calls.filter((c) => c.method === 'PUT')).toEqual([]);
    await settle(200);
    expect(sentSms(bridge)).toHaveLength(0);
  });

  it('asks for the reply when the Reply field is empty or too long, and sends nothing', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    const data = { customer: CUSTOMER, ourNumber: OUR };
    await clickReply(bridge, root.call.conversationId, root.call.id, { ...data, body: '   ' });
    await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('type the reply first')), 'the refusal of an empty reply');
    await clickReply(bridge, root.call.conversationId, root.call.id, { ...data, body: 'x'.repeat(1_225) });
    await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Your reply is 1,225 characters')));
    expect(sentSms(bridge)).toHaveLength(0);
  });

  it('sends one SMS per click when the same Reply card is used twice', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    const data = { customer: CUSTOMER, ourNumber: OUR };
    await clickReply(bridge, root.call.conversationId, root.call.id, { ...data, body: 'First answer' });
    await clickReply(bridge, root.call.conversationId, root.call.id, { ...data, body: 'Second answer' });
    expect(sentSms(bridge).map((m) => m.body)).toEqual(['First answer', 'Second answer']);
  });

  it('texts what @mentions the bot in the thread, and keeps what does not in Teams as a note', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    await typeInThread(bridge, root.call.conversationId, 'With the mention');
    await until(() => sentSms(bridge).length === 1);
    await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('replied by SMS')), 'the reply’s status card');
    const posted = () => bridge.connector.calls.filter((c) => c.method === 'POST').length;
    const postsBefore = posted();
    // Seen only where the team granted ChannelMessage.Read.Group: the team talking, never texted.
    await typeInThread(bridge, root.call.conversationId, 'Without the mention: she called yesterday', false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentSms(bridge)).toMatchObject([{ to: CUSTOMER, from: OUR, body: 'With the mention' }]);
    expect(posted(), 'no answer to a note').toBe(postsBefore);
    expect(sentSms(bridge).some((m) => m.body?.includes(BOT.name))).toBe(false);
    const audited = (await bridge.app.store.listAudit(new Date(0))).filter((e) => e.action === 'thread.reply');
    expect(audited.map((e) => e.messageIds[0])).toEqual(sentSms(bridge).map((m) => m.messageId));
    expect(audited[0]).toMatchObject({ recipients: 1, userId: USER.aadObjectId, userName: USER.name, currency: 'AUD' });
    expect(Number(audited[0]!.price)).toBeGreaterThan(0);
  });

  it('answers a command typed in a thread as a command, texts nothing, and offers to text it', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    await typeInThread(bridge, root.call.conversationId, 'help');
    await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('link <number>')), 'the help card');
    await typeInThread(bridge, root.call.conversationId, 'links are broken on your site, sorry');
    const offer = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Not texted: this is a command')), 'the offer');
    expect(offer.call.conversationId).toBe(root.call.conversationId);
    expect(sentSms(bridge)).toEqual([]);
    // The offer's button texts all of it, once.
    const button = ((offer.card.actions ?? []) as { verb: string; data: Record<string, unknown> }[])[0]!;
    await clickReply(bridge, root.call.conversationId, offer.call.id, button.data);
    await until(() => sentSms(bridge).length === 1);
    expect(sentSms(bridge)[0]).toMatchObject({ to: CUSTOMER, from: OUR, body: 'links are broken on your site, sorry' });
  });

  it('refuses a reply in the thread of a number that was unlinked, at once and in a new message', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    const unlink = inChannel(textMessage(bridge.connector.url, `unlink ${OUR}`, 'channel'), CHANNEL_ID, `${CHANNEL_ID};messageid=1700000000000`);
    await bridge.post(unlink);
    await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Unlinked')), 'the unlink');
    const answer = await clickReply(bridge, root.call.conversationId, root.call.id, { customer: CUSTOMER, ourNumber: OUR, body: 'Are you still there?' });
    expect(cardText(answer.value)).not.toContain('no longer linked');
    const refusal = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('no longer linked to this channel')), 'the refusal');
    expect(cardText(refusal.card)).toContain(`link ${OUR}`);
    expect(refusal.call.method).toBe('POST');
    expect(sentSms(bridge)).toEqual([]);
  });

  it('refuses a reply from a member without the sender role, and texts nobody', async () => {
    const bridge = await startTestBridge({ webhooks: true, env: { ADMIN_USER_IDS: USER.aadObjectId, SENDER_USER_IDS: '00000000-0000-0000-0000-0000000000ff' } });
    const root = await startThread(bridge);
    const reader = { id: '29:reader', name: 'Rita Reader', aadObjectId: '00000000-0000-0000-0000-0000000000ee' };
    const activity = inChannel(textMessage(bridge.connector.url, 'Hello from Rita', 'channel'), CHANNEL_ID, root.call.conversationId);
    const before = bridge.connector.cards().length;
    expect((await bridge.post({ ...activity, from: reader })).status).toBe(200);
    const refusal = await until(() => bridge.connector.cards().slice(before).find((c) => cardText(c.card).includes('needs the sender role')));
    expect(cardText(refusal.card)).toContain('Replying to a customer needs the sender role');
    expect(sentSms(bridge)).toHaveLength(0);
  });

  it('refuses a Reply to a customer who opted out in a new message, leaving the customer’s card as it was', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    await push(bridge, { message_id: 'OUT-STOP', from: CUSTOMER, body: 'Stop' });
    await until(() => bridge.connector.cards().find((c) => /opted out/i.test(cardText(c.card))), 'the STOP card');

    const answer = await clickReply(bridge, root.call.conversationId, root.call.id, { customer: CUSTOMER, ourNumber: OUR, body: 'Last chance!' });
    // The invoke's answer does not replace the customer's card with the refusal.
    expect(cardText(answer.value)).not.toContain('Not sent');
    const refusal = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Not sent: the customer opted out')), 'the refusal');
    expect(cardText(refusal.card)).toContain(CUSTOMER);
    expect(refusal.call.method).toBe('POST');
    expect(bridge.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === root.call.id)).toEqual([]);
    expect(sentSms(bridge)).toHaveLength(0);
  });
});

describe('delivery receipts', () => {
  it("turns the status card to Failed with ClickSend's error text", async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 60_000 } });
    const root = await startThread(bridge);
    await typeInThread(bridge, root.call.conversationId, 'Your parcel is here');
    const status = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('replied by SMS')));
    expect(cardText(status.card)).toContain('Queued');
    const [sms] = sentSms(bridge);

    const answer = await receipt(bridge, { message_id: sms!.messageId, status_code: 301, status_text: 'Undelivered', error_text: 'Number disconnected' });
    expect(answer.status).toBe(200);
    const updated = await until(() => bridge.connector.cards().find((c) => c.call.method === 'PUT' && c.call.activityId === status.call.id));
    expect(cardText(updated.card)).toContain('Failed');
    expect(cardText(updated.card)).toContain('Number disconnected');
    expect(updated.call.conversationId).toBe(root.call.conversationId);
  });

  it('answers 200 to a receipt for a message that is not ours and changes nothing', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await startThread(bridge);
    await settle(200);
    const before = bridge.connector.calls.length;
    const answer = await receipt(bridge, { message_id: 'NOT-OURS-1', status_code: 301, error_text: 'Nope' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });
    await settle();
    expect(bridge.connector.calls).toHaveLength(before);
    expect(await bridge.app.store.getOutbound('NOT-OURS-1')).toBeUndefined();
  });
});

describe('which channel gets a text', () => {
  it('sends texts to a number with its own link to that channel, and the others to the link all channel', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await link(bridge, 'all', CHANNEL_ID);
    await link(bridge, OTHER_NUMBER, OTHER_CHANNEL);

    await push(bridge, { message_id: 'ROUTE-1', from: CUSTOMER, to: OTHER_NUMBER, body: 'For support' });
    const own = await until(() => posts(bridge).find((p) => cardText(p.card).includes('For support')));
    await push(bridge, { message_id: 'ROUTE-2', from: CUSTOMER, to: OUR, body: 'For anyone' });
    const any = await until(() => posts(bridge).find((p) => cardText(p.card).includes('For anyone')));

    expect(own.call.created).toBe(true);
    expect(own.call.conversationId.startsWith(`${OTHER_CHANNEL};messageid=`)).toBe(true);
    expect(any.call.created).toBe(true);
    expect(any.call.conversationId.startsWith(`${CHANNEL_ID};messageid=`)).toBe(true);
    expect(bridge.logs()).not.toContain(TEST_WEBHOOK_TOKEN);
  });
});

describe('the length of a reply', () => {
  const refusalOf = (bridge: TestBridge, words: string) => until(() => bridge.connector.cards().find((c) => cardText(c.card).includes(words)));

  it('refuses a 1,300-character reply with its length and parts in a new message in the thread, keeps the card and sends nothing', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    const answer = await clickReply(bridge, root.call.conversationId, root.call.id, { customer: CUSTOMER, ourNumber: OUR, body: 'x'.repeat(1_300) });
    expect(answer.type).not.toBe('application/vnd.microsoft.card.adaptive');
    const refusal = await refusalOf(bridge, 'Your reply is');
    expect(cardText(refusal.card)).toContain('Your reply is 1,300 characters (9 SMS parts); the most is 1,224 characters or 8 parts');
    expect(refusal.call.conversationId).toBe(root.call.conversationId);
    expect(bridge.connector.calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
    expect(sentSms(bridge)).toHaveLength(0);
  });

  it('refuses a Unicode reply of 70 x 9 characters for its 10 SMS parts, though it is under 1,224 characters', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    await clickReply(bridge, root.call.conversationId, root.call.id, { customer: CUSTOMER, ourNumber: OUR, body: 'Ж'.repeat(70 * 9) });
    const refusal = await refusalOf(bridge, 'Your reply is');
    expect(cardText(refusal.card)).toContain('Your reply is 630 characters (10 SMS parts); the most is 1,224 characters or 8 parts');
    expect(sentSms(bridge)).toHaveLength(0);
  });

  it('sends a GSM reply of exactly 1,224 characters, typed in a Reply field that does not cut it short', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const root = await startThread(bridge);
    const input = inputsOf(root.card).find((i) => i.id === 'body');
    expect(input?.maxLength ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1_224);
    await clickReply(bridge, root.call.conversationId, root.call.id, { customer: CUSTOMER, ourNumber: OUR, body: 'y'.repeat(1_224) });
    await until(() => sentSms(bridge).length === 1);
    expect(sentSms(bridge)[0]?.body).toBe('y'.repeat(1_224));
  });
});

describe('a reply is texted once, and only when meant', () => {
  it('texts one SMS for a Reply clicked twice at once and retried by Teams under new activity ids, leaving the card as it was', async () => {
    const { bridge, root, data } = await startThreadBridge();
    const thread = root.call.conversationId;
    const clicks = await Promise.all([1, 2].map(() => clickReply(bridge, thread, root.call.id, { ...data, body: 'On our way' })));
    const retried = await clickReply(bridge, thread, root.call.id, { ...data, body: 'On our way' });
    await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('replied by SMS')), 'the reply’s status card');
    await settle(200);
    expect(sentSms(bridge).map((m) => m.body)).toEqual(['On our way']);
    for (const answer of [...clicks, retried]) expect(answer.type).not.toBe('application/vnd.microsoft.card.adaptive');
    expect(bridge.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === root.call.id)).toEqual([]);
  });

  it('texts the offer of a command-word message once, however often its button is clicked, and replaces the offer with what it did', async () => {
    const { bridge, root } = await startThreadBridge();
    await typeInThread(bridge, root.call.conversationId, 'links we sent were wrong, sorry');
    const offer = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Not texted: this is a command')), 'the offer');
    const button = executeActions(offer.card)[0]!;
    const first = await clickReply(bridge, root.call.conversationId, offer.call.id, button.data);
    const second = await clickReply(bridge, root.call.conversationId, offer.call.id, button.data);
    await settle(200);
    expect(sentSms(bridge).map((m) => m.body)).toEqual(['links we sent were wrong, sorry']);
    for (const answer of [first, second]) {
      expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(cardText(answer.value)).toContain('Texted to the customer');
      expect(executeActions(answer.value)).toEqual([]);
    }
  });

  it('offers, and does not text, a note that mentions the bot other than first; its button texts it with the names of the mentioned', async () => {
    const { bridge, root } = await startThreadBridge();
    const thread = root.call.conversationId;
    const alice = { type: 'mention', text: '<at>Alice</at>', mentioned: { id: '29:alice', name: 'Alice' } };
    const bot = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT };
    const typed = inChannel(textMessage(bridge.connector.url, 'x', 'channel'), CHANNEL_ID, thread);
    await bridge.post({ ...typed, text: `<at>Alice</at> can you ask <at>${BOT.name}</at> to resend?`, entities: [alice, bot] });
    const offer = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Not texted')), 'the offer');
    await settle(200);
    expect(sentSms(bridge)).toEqual([]);

    await clickReply(bridge, thread, offer.call.id, executeActions(offer.card)[0]!.data);
    await until(() => sentSms(bridge).length === 1);
    expect(sentSms(bridge)[0]?.body).toBe(`Alice can you ask ${BOT.name} to resend?`);

    // Addressed to the bot first: texted, another person's mention kept as their name.
    await bridge.post({ ...typed, id: 'activity-addressed', text: `<at>${BOT.name}</at> <at>Alice</at> will call you back`, entities: [bot, alice] });
    await until(() => sentSms(bridge).length === 2);
    expect(sentSms(bridge)[1]?.body).toBe('Alice will call you back');
  });

  it('texts a reply whose record fails once, and says in a new message that its status could not be recorded', async () => {
    const { bridge, root, data } = await startThreadBridge();
    const store = bridge.app.store as { recordOutbound: (...args: unknown[]) => Promise<unknown> };
    store.recordOutbound = () => Promise.reject(new Error('disk I/O error'));
    const answer = await clickReply(bridge, root.call.conversationId, root.call.id, { ...data, body: 'Your table is ready' });
    expect(answer.type).not.toBe('application/vnd.microsoft.card.adaptive');
    const said = await until(() => bridge.connector.cards().find((c) => cardText(c.card).includes('could not be recorded')), 'the warning');
    const [sms] = sentSms(bridge);
    expect(sentSms(bridge)).toHaveLength(1);
    expect(cardText(said.card)).toContain(`Sent to ${CUSTOMER} (message id ${sms!.messageId}), but its status could not be recorded: check before sending it again.`);
    expect(said.call.method).toBe('POST');
    expect(said.call.conversationId).toBe(root.call.conversationId);
  });
});

/** A bridge with a customer's thread, and the data of its card's Reply button. */
async function startThreadBridge() {
  const bridge = await startTestBridge({ webhooks: true });
  const root = await startThread(bridge);
  const data = executeActions(root.card).find((b) => b.verb === 'thread.reply')!.data;
  return { bridge, root, data };
}
