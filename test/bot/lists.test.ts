import { describe, expect, it } from 'vitest';
import { executeAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, inputIds, startTestBridge, type TestBridge } from '../helpers/bridge.js';

type Card = Record<string, unknown>;

/** Types a command and waits for the card the bot posts in answer. */
const command = async (bridge: TestBridge, text: string): Promise<{ id: string; card: Card }> => {
  const before = bridge.connector.calls.length;
  const activity = textMessage(bridge.connector.url, text);
  expect((await bridge.post(activity)).status).toBe(200);
  const calls = await bridge.connector.waitForCalls(before + 1);
  const cards = bridge.connector.cards();
  return { id: calls[before]!.id, card: cards[cards.length - 1]!.card };
};

/** Clicks an Action.Execute button of the card posted as `cardId`; the answer replaces that card. */
const click = async (bridge: TestBridge, cardId: string, button: { verb: string; data: Record<string, unknown> }): Promise<Card> => {
  const answer = await bridge.post(executeAction(bridge.connector.url, cardId, button.verb, button.data));
  expect(answer.status).toBe(200);
  const body = answer.body as { statusCode: number; type: string; value: Card };
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return body.value;
};

const button = (card: Card, title: string) => {
  const found = executeActions(card).find((a) => a.title === title);
  if (!found) throw new Error(`no "${title}" button on ${cardText(card)}`);
  return found;
};

const rowNames = (card: Card): string[] => cardText(card).split('\n').filter((line) => /^List \d\d$/.test(line));

describe('contact lists through /api/messages', () => {
  it('says there are no lists when the account has none', async () => {
    const bridge = await startTestBridge();
    const { card } = await command(bridge, 'lists');
    const text = cardText(card);
    expect(text).toContain('Contact lists (0)');
    expect(text).toContain('No contact lists found.');
    expect(executeActions(card).map((a) => a.title)).toEqual(['New list']);
  });

  it('pages 40 lists 15 at a time with Next and Previous', async () => {
    const bridge = await startTestBridge();
    for (let i = 1; i <= 40; i += 1) await bridge.app.clicksend!.lists.create({ list_name: `List ${String(i).padStart(2, '0')}` });
    const first = await command(bridge, 'lists');
    expect(cardText(first.card)).toContain('Contact lists (40)');
    expect(cardText(first.card)).toContain('Page 1 of 3');
    expect(rowNames(first.card)).toHaveLength(15);
    expect(rowNames(first.card)[0]).toBe('List 01');
    expect(executeActions(first.card).map((a) => a.title)).not.toContain('Previous');

    const second = await click(bridge, first.id, button(first.card, 'Next'));
    expect(cardText(second)).toContain('Page 2 of 3');
    expect(rowNames(second)).toEqual(Array.from({ length: 15 }, (_, i) => `List ${i + 16}`));

    const back = await click(bridge, first.id, button(second, 'Previous'));
    expect(cardText(back)).toContain('Page 1 of 3');
    expect(rowNames(back)).toEqual(rowNames(first.card));

    const third = await click(bridge, first.id, button(second, 'Next'));
    expect(cardText(third)).toContain('Page 3 of 3');
    expect(rowNames(third)).toHaveLength(10);
    expect(executeActions(third).map((a) => a.title)).not.toContain('Next');
  });

  it('shows only the lists whose name matches a search, not contacts that match', async () => {
    const bridge = await startTestBridge();
    const clicksend = bridge.app.clicksend!;
    await clicksend.lists.create({ list_name: 'VIP customers' });
    await clicksend.lists.create({ list_name: 'Newsletter' });
    const staff = await clicksend.lists.create({ list_name: 'vip staff' });
    await clicksend.contacts.create(staff.list_id, { first_name: 'Vipul', phone_number: '+61411111111' });
    const { card } = await command(bridge, 'lists VIP');
    const text = cardText(card);
    expect(text).toContain('Lists matching "VIP" (2)');
    expect(text).toContain('VIP customers');
    expect(text).toContain('vip staff');
    expect(text).not.toContain('Newsletter');
    expect(text).not.toContain('Vipul');

    const none = cardText((await command(bridge, 'lists Vipul')).card);
    expect(none).toContain('Lists matching "Vipul" (0)');
    expect(none).toContain('No contact lists found.');
  });

  it('creates a list once even when Teams delivers the command twice', async () => {
    const bridge = await startTestBridge();
    const activity = textMessage(bridge.connector.url, 'list create Trade show leads');
    await Promise.all([bridge.post(activity), bridge.post(activity)]);
    await bridge.connector.waitForCalls(1);
    // The repeat is answered with nothing: the first delivery's card is the answer.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bridge.connector.calls).toHaveLength(1);
    const lists = [...bridge.sandbox.state.lists.values()];
    expect(lists.map((l) => l.list_name)).toEqual(['Trade show leads']);
    const text = bridge.connector.cards().map((c) => cardText(c.card)).join('\n');
    expect(text).toContain('List created');
    expect(text).toContain(String(lists[0]!.list_id));
  });

  it('opens the form when list create has no name, and refuses it submitted empty', async () => {
    const bridge = await startTestBridge();
    const form = await command(bridge, 'list create');
    expect(inputIds(form.card)).toEqual(['list_name']);
    const submit = button(form.card, 'Create list');
    expect(submit.verb).toBe('list.create');

    const refused = await click(bridge, form.id, { verb: submit.verb, data: { ...submit.data, list_name: '  ' } });
    expect(inputIds(refused)).toEqual(['list_name']);
    expect(cardText(refused)).toContain('give the list a name');
    expect(bridge.sandbox.state.lists.size).toBe(0);

    // Nothing was done, so the corrected form can be submitted again.
    const created = await click(bridge, form.id, { verb: submit.verb, data: { list_name: 'Retail' } });
    expect(cardText(created)).toContain('List created');
    expect([...bridge.sandbox.state.lists.values()].map((l) => l.list_name)).toEqual(['Retail']);
  });

  it('deletes a list only after its confirmation, once however often Delete is clicked', async () => {
    const bridge = await startTestBridge();
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Old leads' });
    await bridge.app.clicksend!.contacts.create(list.list_id, { phone_number: '+61411111111' });
    const ask = await command(bridge, `list delete ${list.list_id}`);
    expect(cardText(ask.card)).toContain('Delete the list "Old leads"?');
    expect(cardText(ask.card)).toContain('Its 1 contacts are deleted with it.');
    expect(bridge.sandbox.state.lists.has(list.list_id)).toBe(true);

    const confirm = button(ask.card, 'Delete');
    const [first, second] = [await click(bridge, ask.id, confirm), await click(bridge, ask.id, confirm)];
    expect(cardText(first)).toContain('List deleted');
    expect(second).toEqual(first);
    expect(bridge.sandbox.state.lists.has(list.list_id)).toBe(false);
    expect(bridge.sandbox.state.contacts.size).toBe(0);
    expect(bridge.logs()).toContain('duplicate submission ignored');
  });

  it('keeps the list when the confirmation is cancelled', async () => {
    const bridge = await startTestBridge();
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Keepers' });
    const ask = await command(bridge, `list delete ${list.list_id}`);
    const cancelled = await click(bridge, ask.id, button(ask.card, 'Keep it'));
    expect(cardText(cancelled)).toContain('Cancelled');
    expect(bridge.sandbox.state.lists.has(list.list_id)).toBe(true);
  });

  it('asks which list when list delete has no id', async () => {
    const bridge = await startTestBridge();
    const { card } = await command(bridge, 'list delete');
    expect(cardText(card)).toContain('Which list?');
    expect(cardText(card)).toContain('list delete <list_id>');
  });

  it("shows ClickSend's 404 code for an unknown list, with a reference but no secret or stack", async () => {
    const bridge = await startTestBridge();
    const activity = textMessage(bridge.connector.url, 'list delete 999999');
    await bridge.post(activity);
    await bridge.connector.waitForCalls(1);
    const card = bridge.connector.cards()[0]!.card;
    const text = cardText(card);
    expect(text).toContain('ClickSend refused the request');
    expect(text).toContain('Code: NOT_FOUND');
    expect(text).toContain(`Reference: ${activity.id}`);
    const json = JSON.stringify(card);
    expect(json).not.toContain(bridge.sandbox.credentials.apiKey);
    expect(json).not.toMatch(/\n\s+at |\.ts:\d+/);
    const logLine = bridge.logs().split('\n').find((line) => line.includes('"turn failed"'));
    expect(logLine).toContain(activity.id);
    expect(bridge.logs()).not.toContain(bridge.sandbox.credentials.apiKey);
  });
});

describe('tampered list and contact buttons', () => {
  it.each([true, ['428'], 428.5, '428; DROP', -1])('refuses to delete a list or contact given the id %j, and deletes nothing', async (id) => {
    const bridge = await startTestBridge();
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Keep me' });
    const contact = await bridge.app.clicksend!.contacts.create(list.list_id, { first_name: 'Kim', phone_number: '+61411111111' });
    for (const [verb, data] of [
      ['list.delete', { list_id: id }],
      ['contact.delete', { list_id: String(list.list_id), contact_id: id }],
      ['contact.delete', { list_id: id, contact_id: String(contact.contact_id) }],
    ] as const) {
      const answer = await bridge.post(executeAction(bridge.connector.url, `card-${Math.random()}`, verb, data));
      expect(cardText((answer.body as { value: Card }).value)).toContain('Please check what you entered');
    }
    expect(bridge.sandbox.state.lists.has(list.list_id)).toBe(true);
    expect((await bridge.app.clicksend!.contacts.list(list.list_id, { page: 1 })).data).toHaveLength(1);
  });
});
