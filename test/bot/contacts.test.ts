import { describe, expect, it } from 'vitest';
import { formInputIds } from '../cards/form-ids.js';
import { executeAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, inputIds, startTestBridge, type TestBridge } from '../helpers/bridge.js';

type Card = Record<string, unknown>;

const CONTACT_INPUTS = formInputIds['contact-form'];

/** Types a command and waits for the card the bot posts in answer. */
const command = async (bridge: TestBridge, text: string): Promise<{ id: string; card: Card }> => {
  const before = bridge.connector.calls.length;
  expect((await bridge.post(textMessage(bridge.connector.url, text))).status).toBe(200);
  const calls = await bridge.connector.waitForCalls(before + 1);
  const cards = bridge.connector.cards();
  return { id: calls[before]!.id, card: cards[cards.length - 1]!.card };
};

/** Clicks an Action.Execute button of the card posted as `cardId`; answers the HTTP invoke body. */
const clickRaw = async (bridge: TestBridge, cardId: string, button: { verb: string; data: Record<string, unknown> }) => {
  const answer = await bridge.post(executeAction(bridge.connector.url, cardId, button.verb, button.data));
  expect(answer.status).toBe(200);
  return answer.body as { statusCode: number; type: string; value: unknown };
};

/** Clicks a button whose answer replaces the clicked card. */
const click = async (bridge: TestBridge, cardId: string, button: { verb: string; data: Record<string, unknown> }): Promise<Card> => {
  const body = await clickRaw(bridge, cardId, button);
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value as Card;
};

const button = (card: Card, title: string, nth = 0) => {
  const found = executeActions(card).filter((a) => a.title === title)[nth];
  if (!found) throw new Error(`no "${title}" button on ${cardText(card)}`);
  return found;
};

/** The value an input of the card shows. */
const inputValue = (card: unknown, id: string): unknown => {
  if (Array.isArray(card)) return card.map((item) => inputValue(item, id)).find((v) => v !== undefined);
  if (!card || typeof card !== 'object') return undefined;
  const node = card as Record<string, unknown>;
  if (node.id === id && typeof node.type === 'string' && node.type.startsWith('Input.')) return node.value;
  return inputValue(Object.values(node), id);
};

/** What Teams submits for the contact form: every input, blank ones as ''. */
const contactForm = (values: Record<string, string>) => ({
  verb: 'contact.create',
  data: { ...Object.fromEntries(CONTACT_INPUTS.map((id) => [id, ''])), ...values },
});

const seedList = async (bridge: TestBridge, name: string, contacts = 0) => {
  const list = await bridge.app.clicksend!.lists.create({ list_name: name });
  for (let i = 1; i <= contacts; i += 1) {
    const n = String(i).padStart(2, '0');
    await bridge.app.clicksend!.contacts.create(list.list_id, { first_name: 'Person', last_name: n, email: `p${n}@example.com` });
  }
  return list.list_id;
};

describe('contacts through /api/messages', () => {
  it('pages the 20 contacts of a list 15 at a time', async () => {
    const bridge = await startTestBridge();
    const listId = await seedList(bridge, 'Customers', 20);
    const first = await command(bridge, `contacts ${listId}`);
    expect(cardText(first.card)).toContain('Customers: 20 contacts');
    expect(cardText(first.card)).toContain('Page 1 of 2');
    expect(cardText(first.card)).toContain('Person 01');
    expect(cardText(first.card)).not.toContain('Person 16');
    expect(executeActions(first.card).filter((a) => a.title === 'Delete')).toHaveLength(15);

    const second = await click(bridge, first.id, button(first.card, 'Next'));
    expect(cardText(second)).toContain('Page 2 of 2');
    expect(cardText(second)).toContain('p20@example.com');
    expect(executeActions(second).filter((a) => a.title === 'Delete')).toHaveLength(5);
    expect(executeActions(second).map((a) => a.title)).not.toContain('Next');

    const back = await click(bridge, first.id, button(second, 'Previous'));
    expect(cardText(back)).toContain('Page 1 of 2');
    expect(cardText(back)).toContain('Person 15');
  });

  it("opens a list from the lists card, says it is empty, and its Add contact button opens the form for it", async () => {
    const bridge = await startTestBridge();
    const listId = await seedList(bridge, 'Fresh');
    const lists = await command(bridge, 'lists');
    const empty = await click(bridge, lists.id, button(lists.card, 'Contacts'));
    expect(cardText(empty)).toContain('Fresh: 0 contacts');
    expect(cardText(empty)).toContain('No contacts in this list yet.');

    const before = bridge.connector.calls.length;
    const opened = await clickRaw(bridge, lists.id, button(empty, 'Add contact'));
    expect(opened.statusCode).toBe(200);
    await bridge.connector.waitForCalls(before + 1);
    const form = bridge.connector.cards().at(-1)!.card;
    expect(inputIds(form)).toContain('first_name');
    expect(inputValue(form, 'list_id')).toBe(String(listId));
  });

  it('asks which list when contacts has no list id', async () => {
    const bridge = await startTestBridge();
    const { card } = await command(bridge, 'contacts');
    expect(cardText(card)).toContain('Which list?');
    expect(cardText(card)).toContain('contacts <list_id>');
    const unknown = await command(bridge, 'contacts 999999');
    expect(cardText(unknown.card)).toContain('Code: NOT_FOUND');
  });

  it('opens the contact form with the list preselected and the contract input ids', async () => {
    const bridge = await startTestBridge();
    await seedList(bridge, 'Other');
    const listId = await seedList(bridge, 'Suppliers');
    const { card } = await command(bridge, `contact add ${listId}`);
    expect([...inputIds(card)].sort()).toEqual([...CONTACT_INPUTS].sort());
    expect(inputValue(card, 'list_id')).toBe(String(listId));
    expect(cardText(card)).toContain('Suppliers (0)');
    expect(button(card, 'Add contact').verb).toBe('contact.create');
  });

  it('stores a local number in E.164 for DEFAULT_COUNTRY', async () => {
    const bridge = await startTestBridge();
    const listId = await seedList(bridge, 'Suppliers');
    const form = await command(bridge, `contact add ${listId}`);
    const done = await click(bridge, form.id, contactForm({ list_id: String(listId), first_name: 'Grace', last_name: 'Hopper', phone_number: '0411 111 111', custom_1: 'navy' }));
    expect(cardText(done)).toContain('Contact added');
    expect(cardText(done)).toContain('Grace Hopper');
    const stored = [...bridge.sandbox.state.contacts.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ list_id: listId, phone_number: '+61411111111', first_name: 'Grace', custom_1: 'navy', email: null });
    expect(cardText(done)).toContain('+61411111111');
  });

  it('shows a bad email and a missing way to reach under their inputs and creates nothing', async () => {
    const bridge = await startTestBridge();
    const listId = await seedList(bridge, 'Suppliers');
    const form = await command(bridge, `contact add ${listId}`);

    const badEmail = await click(bridge, form.id, contactForm({ list_id: String(listId), email: 'grace-at-navy' }));
    expect(cardText(badEmail)).toContain('give an email address like name@example.com');
    expect(inputValue(badEmail, 'email')).toBe('grace-at-navy');

    const unreachable = await click(bridge, form.id, contactForm({ list_id: String(listId), first_name: 'Grace' }));
    expect(cardText(unreachable)).toContain('give a phone number, an email or a fax number');
    expect(inputIds(unreachable)).toContain('phone_number');
    expect(bridge.sandbox.state.contacts.size).toBe(0);
  });

  it("deletes a contact from its row's Delete button after a confirmation, once", async () => {
    const bridge = await startTestBridge();
    const listId = await seedList(bridge, 'Customers', 2);
    const [gone, kept] = [...bridge.sandbox.state.contacts.keys()];
    const page = await command(bridge, `contacts ${listId}`);
    const remove = executeActions(page.card).find((a) => a.title === 'Delete' && a.data.contact_id === String(gone));
    expect(remove).toBeDefined();

    const before = bridge.connector.calls.length;
    const asked = await clickRaw(bridge, page.id, remove!);
    expect(asked.statusCode).toBe(200);
    const [call] = (await bridge.connector.waitForCalls(before + 1)).slice(before);
    const confirmCard = bridge.connector.cards().at(-1)!.card;
    expect(cardText(confirmCard)).toContain('Delete Person 01?');
    expect(cardText(confirmCard)).toContain('p01@example.com');
    expect(bridge.sandbox.state.contacts.has(gone!)).toBe(true);

    const confirm = button(confirmCard, 'Delete');
    const first = await click(bridge, call!.id, confirm);
    const second = await click(bridge, call!.id, confirm);
    expect(cardText(first)).toContain('Contact deleted');
    expect(second).toEqual(first);
    expect([...bridge.sandbox.state.contacts.keys()]).toEqual([kept]);
  });

  it('deletes a contact with contact delete <list> <contact> after a confirmation, and keeps it on Keep', async () => {
    const bridge = await startTestBridge();
    const listId = await seedList(bridge, 'Customers', 2);
    const [first, second] = [...bridge.sandbox.state.contacts.keys()];

    const ask = await command(bridge, `contact delete ${listId} ${first}`);
    expect(cardText(ask.card)).toContain('Delete Person 01?');
    expect(cardText(await click(bridge, ask.id, button(ask.card, 'Delete')))).toContain('Contact deleted');
    expect(bridge.sandbox.state.contacts.has(first!)).toBe(false);

    const keep = await command(bridge, `contact delete ${listId} ${second}`);
    expect(cardText(await click(bridge, keep.id, button(keep.card, 'Keep')))).toContain('Cancelled');
    expect(bridge.sandbox.state.contacts.has(second!)).toBe(true);
  });

  it('explains a contact delete without a contact id or with an unknown one, without leaking the API key', async () => {
    const bridge = await startTestBridge();
    const listId = await seedList(bridge, 'Customers');
    expect(cardText((await command(bridge, `contact delete ${listId}`)).card)).toContain('Which contact?');
    const unknown = await command(bridge, `contact delete ${listId} 123`);
    expect(cardText(unknown.card)).toContain('ClickSend refused the request');
    expect(cardText(unknown.card)).toContain('Code: NOT_FOUND');
    expect(bridge.logs()).toContain('"turn failed"');
    expect(bridge.logs()).not.toContain(bridge.sandbox.credentials.apiKey);
  });
});

describe('a form error on an input the card does not show', () => {
  it('says it in the form problem line when the account has no list to pick', async () => {
    const bridge = await startTestBridge();
    const card = await click(bridge, 'card-1', { verb: 'contact.create', data: { phone_number: '+61411111111', first_name: 'Kim' } });
    expect(inputIds(card)).not.toContain('list_id');
    expect(cardText(card)).toContain('list_id: pick a contact list');
    expect(bridge.sandbox.state.contacts.size).toBe(0);
  });
});
