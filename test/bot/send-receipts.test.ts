import { describe, expect, it } from 'vitest';
import { executeAction, textMessage } from '../helpers/activities.js';
import { cardText, startTestBridge, TEST_WEBHOOK_TOKEN, type TestBridge } from '../helpers/bridge.js';
import { until } from '../helpers/relay-traffic.js';

/**
 * The result card of a send made from a command or a form follows its messages: ClickSend's
 * delivery receipts (pushed by the sandbox, or by a test) update that very card, in place.
 */

const receipt = (bridge: TestBridge, body: Record<string, unknown>) =>
  fetch(`${bridge.url}/webhooks/clicksend/receipts?token=${TEST_WEBHOOK_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The updates (PUT) of the activity `activityId`, as card texts, in order. */
const updatesOf = (bridge: TestBridge, activityId: string) =>
  bridge.connector
    .cards()
    .filter((c) => c.call.method === 'PUT' && c.call.activityId === activityId)
    .map((c) => cardText(c.card));

describe('send cards follow their receipts', () => {
  it('turns the card of a typed sms to Delivered when ClickSend reports it', async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 50 } });
    await bridge.post(textMessage(bridge.connector.url, 'sms +61411111111 Running 10 min late'));
    const [posted] = await bridge.connector.waitForCalls(1);
    expect(cardText(bridge.connector.cards()[0]!.card)).toContain('Pending 1');
    const delivered = await until(() => updatesOf(bridge, posted!.id).find((text) => text.includes('Delivered 1 · Failed 0 · Pending 0')), 'the card updated', 10_000);
    expect(delivered).toContain('Delivered');
  });

  it('updates the form card the result replaced, and shows a failure with ClickSend’s reason', async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 3_600_000 } });
    const answer = await bridge.post(
      executeAction(bridge.connector.url, 'form-card-7', 'sms.send', { to: '+61411111111', body: 'Your order is ready', custom_string: '', list_id: '' }),
    );
    expect(answer.status).toBe(200);
    const [sms] = bridge.sandbox.state.messages.filter((m) => m.type === 'sms');
    expect(sms).toBeDefined();
    const pushed = await receipt(bridge, { message_id: sms!.messageId, status: 'Undelivered', status_code: 301, error_text: 'Number disconnected', timestamp: Math.floor(Date.now() / 1000) });
    expect(pushed.status).toBe(200);
    const failed = await until(() => updatesOf(bridge, 'form-card-7').find((text) => text.includes('Failed 1')), 'the card updated', 10_000);
    expect(failed).toContain('Number disconnected');
    expect(failed).toContain('0 of 1 SMS sent');
  });

  it('makes a handful of updates, not one per receipt, for a burst of receipts', { timeout: 20_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 3_600_000 } });
    const numbers = Array.from({ length: 10 }, (_, i) => `+614111111${String(i).padStart(2, '0')}`);
    for (const to of numbers) await bridge.post(textMessage(bridge.connector.url, `sms ${to} Sale starts now`));
    await bridge.connector.waitForCalls(numbers.length);
    const sent = bridge.sandbox.state.messages.filter((m) => m.type === 'sms');
    // Each card gets three receipts in a moment: one update each, showing the last.
    for (const status of ['Queued', 'Sent', 'Delivered']) {
      await Promise.all(sent.map((m) => receipt(bridge, { message_id: m.messageId, status, status_code: status === 'Delivered' ? 201 : 200 })));
    }
    await until(() => bridge.connector.calls.filter((c) => c.method === 'PUT').length >= sent.length, 'every card updated', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const puts = bridge.connector.cards().filter((c) => c.call.method === 'PUT');
    expect(puts.length).toBeLessThanOrEqual(sent.length * 2);
    for (const put of puts.slice(-sent.length)) expect(cardText(put.card)).toContain('Delivered 1');
  });

  it('answers 200 to a receipt for a message it never sent, and changes no card', async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 3_600_000 } });
    const pushed = await receipt(bridge, { message_id: 'NOT-OURS-1', status: 'Delivered', status_code: 201 });
    expect(pushed.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bridge.connector.calls).toEqual([]);
  });
});

describe('Retry failed', () => {
  /** The Retry button of a card, if it has one. */
  const retryOf = (card: Record<string, unknown>) =>
    ((card.actions ?? []) as { verb?: string; data?: Record<string, unknown> }[]).find((a) => a.verb?.startsWith('retry.'));

  it('sends only the failed recipients again, after a confirmation, once however often it is clicked', { timeout: 20_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 3_600_000 } });
    const sentSms = () => bridge.sandbox.state.messages.filter((m) => m.type === 'sms');
    const form = { to: '+61411111111', body: 'Your parcel is here', custom_string: '', list_id: '' };
    await bridge.post(executeAction(bridge.connector.url, 'form-card-9', 'sms.send', form));
    const [first] = sentSms();
    await receipt(bridge, { message_id: first!.messageId, status: 'Undelivered', status_code: 301, error_text: 'Handset off' });
    const updated = await until(
      () => bridge.connector.cards().find((c) => c.call.method === 'PUT' && c.call.activityId === 'form-card-9' && retryOf(c.card)),
      'the card with Retry failed',
      10_000,
    );
    const retry = retryOf(updated.card)!;
    expect(retry.verb).toBe('retry.sms');

    // The click asks first, in a new message: the first card stays as it is.
    await bridge.post(executeAction(bridge.connector.url, 'form-card-9', retry.verb!, retry.data!));
    const confirm = await until(() => bridge.connector.cards().find((c) => c.call.method === 'POST' && cardText(c.card).includes('Send the failed SMS again?')), 'the confirmation');
    expect(cardText(confirm.card)).toMatch(/\$0\.\d{4} AUD/);
    expect(sentSms()).toHaveLength(1);

    const confirmButton = ((confirm.card.actions ?? []) as { verb: string; data: Record<string, unknown> }[])[0]!;
    const clicks = await Promise.all(
      [1, 2, 3].map(() => bridge.post(executeAction(bridge.connector.url, confirm.call.id, confirmButton.verb, confirmButton.data))),
    );
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(sentSms()).toHaveLength(2);
    expect(sentSms()[1]).toMatchObject({ to: '+61411111111', body: 'Your parcel is here' });
    const audited = (await bridge.app.store.listAudit(new Date(0))).filter((e) => e.action === 'sms.send');
    expect(audited.map((e) => e.detail)).toEqual(['', `retry of send ${String(retry.data!.sendId)}`]);
  });
});

describe('a list send of a thousand', () => {
  it('shows one card whose counts follow a thousand receipts in a handful of updates, within Teams’ limits', { timeout: 60_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 3_600_000 } });
    const clicksend = bridge.app.clicksend!;
    const list = await clicksend.lists.create({ list_name: 'Everyone' });
    for (let i = 0; i < 1_000; i += 1) {
      await clicksend.contacts.create(list.list_id, { phone_number: `+614${String(10_000_000 + i)}`, first_name: `C${i}` });
    }
    bridge.connector.enforceLimits(true);
    const data = { to: '', body: 'Store closes early today', custom_string: '', list_id: String(list.list_id), confirmed: '1' };
    const answer = await bridge.post(executeAction(bridge.connector.url, 'list-card-1', 'sms.send', data));
    expect(answer.status).toBe(200);
    const sent = bridge.sandbox.state.messages.filter((m) => m.type === 'sms');
    expect(sent).toHaveLength(1_000);

    // 900 delivered, 100 failed, pushed as fast as ClickSend would.
    const pushes = sent.map((m, i) =>
      i % 10 === 0
        ? { message_id: m.messageId, status: 'Undelivered', status_code: 301, error_text: 'Number disconnected' }
        : { message_id: m.messageId, status: 'Delivered', status_code: 201 },
    );
    for (let i = 0; i < pushes.length; i += 50) await Promise.all(pushes.slice(i, i + 50).map((p) => receipt(bridge, p)));

    const final = await until(
      () => updatesOf(bridge, 'list-card-1').find((text) => text.includes('Delivered 900 · Failed 100 · Pending 0')),
      'the card with every receipt',
      20_000,
    );
    expect(final).toContain('and 980 more recipients');
    expect(final).toContain('Number disconnected');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const updates = updatesOf(bridge, 'list-card-1');
    // A handful, not a thousand; none refused by Teams' limits.
    expect(updates.length).toBeLessThanOrEqual(15);
    expect(bridge.connector.throttled).toBe(0);
    // The card stays well under Teams' 28 KB message limit.
    const last = bridge.connector.cards().filter((c) => c.call.method === 'PUT').at(-1)!;
    expect(JSON.stringify(last.card).length).toBeLessThan(28_000);
  });
});

describe('MMS', () => {
  it('turns its card to Delivered with the receipt the sandbox pushes', { timeout: 20_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 50 } });
    const mms = { to: '+61411111111', subject: 'Your plan', body: 'See attached', media_file: 'https://files.example.com/plan.jpg', list_id: '' };
    await bridge.post(executeAction(bridge.connector.url, 'mms-card-1', 'mms.send', mms));
    const delivered = await until(() => updatesOf(bridge, 'mms-card-1').find((t) => t.includes('Delivered 1')), 'the delivered MMS', 10_000);
    expect(delivered).toContain('MMS sent');
  });
});

describe('voice calls', () => {
  it('turn their card to Delivered with the voice receipts the sandbox pushes, and to Failed for the number that always fails', { timeout: 20_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 50 } });
    const call = { body: 'Your table is ready', lang: 'en-us', voice: 'female', list_id: '', custom_string: '' };
    await bridge.post(executeAction(bridge.connector.url, 'voice-card-1', 'voice.send', { ...call, to: '+61411111111' }));
    await bridge.post(executeAction(bridge.connector.url, 'voice-card-2', 'voice.send', { ...call, to: '+61400000999' }));
    const delivered = await until(() => updatesOf(bridge, 'voice-card-1').find((t) => t.includes('Delivered 1')), 'the delivered call', 10_000);
    expect(delivered).toContain('Voice call made');
    const failed = await until(() => updatesOf(bridge, 'voice-card-2').find((t) => t.includes('Failed 1')), 'the failed call', 10_000);
    expect(failed).toContain('Retry failed');
  });
});

describe('Retry failed spends only what was priced, once', () => {
  const ADMIN = { id: '29:admin', name: 'Ada Admin', aadObjectId: '00000000-0000-0000-0000-00000000ad01' };
  const SENDER = { id: '29:sender', name: 'Sam Sender', aadObjectId: '00000000-0000-0000-0000-000000005e01' };
  const ROLES = { ADMIN_USER_IDS: ADMIN.aadObjectId, SENDER_USER_IDS: SENDER.aadObjectId };
  type Button = { verb: string; data: Record<string, unknown> };

  const buttonsOf = (card: Record<string, unknown>) => (card.actions ?? []) as Button[];
  const retryButton = (card: Record<string, unknown>) => buttonsOf(card).find((a) => a.verb.startsWith('retry.'));
  const sentSms = (bridge: TestBridge) => bridge.sandbox.state.messages.filter((m) => m.type === 'sms');
  const fail = (bridge: TestBridge, messageId: string) =>
    receipt(bridge, { message_id: messageId, status: 'Undelivered', status_code: 301, error_text: 'Handset off' });
  const click = (bridge: TestBridge, cardId: string, button: Button, from: object = ADMIN) =>
    bridge.post({ ...executeAction(bridge.connector.url, cardId, button.verb, button.data), from });
  const posted = (bridge: TestBridge, text: string) =>
    bridge.connector.cards().filter((c) => c.call.method === 'POST' && cardText(c.card).includes(text));

  /** An admin's SMS to a contact list of `count` numbers, shown on `list-card-1`, whose first message failed. */
  const failedListSend = async (count: number, env: Record<string, string> = {}) => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 3_600_000 }, env });
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Regulars' });
    for (let i = 0; i < count; i += 1) await bridge.app.clicksend!.contacts.create(list.list_id, { phone_number: `+6141111110${i}` });
    const data = { to: '', body: 'Table ready', custom_string: '', list_id: String(list.list_id), confirmed: '1' };
    expect((await click(bridge, 'list-card-1', { verb: 'sms.send', data })).status).toBe(200);
    const messages = sentSms(bridge);
    expect(messages).toHaveLength(count);
    await fail(bridge, messages[0]!.messageId);
    const card = await until(
      () => bridge.connector.cards().find((c) => c.call.method === 'PUT' && c.call.activityId === 'list-card-1' && retryButton(c.card)),
      'the card with Retry failed',
    );
    return { bridge, messages, retry: retryButton(card.card)! };
  };

  /** Clicks Retry on the send card and returns the confirmation it posted. */
  const askRetry = async (bridge: TestBridge, retry: Button, from: object = ADMIN) => {
    const before = posted(bridge, 'Send the failed SMS again?').length;
    expect((await click(bridge, 'list-card-1', retry, from)).status).toBe(200);
    const confirm = await until(() => posted(bridge, 'Send the failed SMS again?')[before], 'the confirmation');
    return { cardId: confirm.call.id, button: buttonsOf(confirm.card)[0]!, text: cardText(confirm.card) };
  };

  it('sends only the recipients the confirmation priced, even when another failed before Confirm', { timeout: 20_000 }, async () => {
    const { bridge, messages, retry } = await failedListSend(2);
    const confirm = await askRetry(bridge, retry);
    expect(confirm.text).toContain(messages[0]!.to);
    await fail(bridge, messages[1]!.messageId);
    await until(async () => (await bridge.app.store.getSend(String(retry.data.sendId)))?.messages.every((m) => m.status === 'failed'), 'both failed');

    await click(bridge, confirm.cardId, confirm.button);
    expect(sentSms(bridge).slice(2).map((m) => m.to)).toEqual([messages[0]!.to]);
  });

  it('retries a set once: of two confirmations from a double click, the second says it was already sent again', { timeout: 20_000 }, async () => {
    const { bridge, messages, retry } = await failedListSend(1);
    const [one, two] = [await askRetry(bridge, retry), await askRetry(bridge, retry)];
    await click(bridge, one!.cardId, one!.button);
    await click(bridge, two!.cardId, two!.button);
    expect(sentSms(bridge).slice(1).map((m) => m.to)).toEqual([messages[0]!.to]);
    await until(() => posted(bridge, 'These were already sent again')[0], 'the answer to the second Confirm');

    // The first card still offers Retry: its failed row is failed still, but was retried.
    const asked = posted(bridge, 'Send the failed SMS again?').length;
    await click(bridge, 'list-card-1', retry);
    await until(() => posted(bridge, 'These were already sent again')[1], 'the answer to Retry of a set retried');
    expect(posted(bridge, 'Send the failed SMS again?')).toHaveLength(asked);
    expect(sentSms(bridge)).toHaveLength(2);
  });

  it('refuses a retry of a list send to a sender who is not an admin, before anything is priced', { timeout: 20_000 }, async () => {
    const { bridge, retry } = await failedListSend(1, ROLES);
    const asAdmin = await askRetry(bridge, retry);

    await click(bridge, 'list-card-1', retry, SENDER);
    await click(bridge, asAdmin.cardId, asAdmin.button, SENDER);
    const refusals = await until(() => {
      const found = bridge.connector.cards().filter((c) => cardText(c.card).includes('Sending to a whole contact list needs the admin role'));
      return found.length >= 2 && found;
    }, 'both refusals');
    expect(refusals.map((c) => c.call.method)).toEqual(['POST', 'POST']);
    expect(posted(bridge, 'Send the failed SMS again?')).toHaveLength(1);
    expect(sentSms(bridge)).toHaveLength(1);
  });
});
