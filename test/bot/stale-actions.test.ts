import { describe, expect, it } from 'vitest';
import { executeAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, startTestBridge, type TestBridge } from '../helpers/bridge.js';

type Card = Record<string, unknown>;
type InvokeAnswer = { statusCode: number; type: string; value: unknown };

/** Types a command and waits for the card the bot posts in answer. */
const command = async (bridge: TestBridge, text: string): Promise<{ id: string; card: Card }> => {
  const before = bridge.connector.calls.length;
  expect((await bridge.post(textMessage(bridge.connector.url, text))).status).toBe(200);
  const calls = await bridge.connector.waitForCalls(before + 1);
  return { id: calls[before]!.id, card: bridge.connector.cards().at(-1)!.card };
};

const button = (card: Card, title: string, where: (data: Record<string, unknown>) => boolean = () => true) => {
  const found = executeActions(card).find((a) => a.title === title && where(a.data));
  if (!found) throw new Error(`no "${title}" button on ${cardText(card)}`);
  return found;
};

/**
 * Clicks a button of the card posted as `cardId`: what the invoke answered (a card there
 * replaces the clicked one) and the cards the bot posted as new messages meanwhile.
 */
const click = async (bridge: TestBridge, cardId: string, pressed: { verb: string; data: Record<string, unknown> }) => {
  const before = bridge.connector.cards().length;
  const answer = await bridge.post(executeAction(bridge.connector.url, cardId, pressed.verb, pressed.data));
  expect(answer.status).toBe(200);
  const body = answer.body as InvokeAnswer;
  return { replaced: body.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Card) : undefined, posted: bridge.connector.cards().slice(before) };
};

const seedList = async (bridge: TestBridge, name: string, contacts: number) => {
  const client = bridge.app.clicksend!;
  const list = await client.lists.create({ list_name: name });
  const ids: number[] = [];
  for (let i = 1; i <= contacts; i += 1) {
    const contact = await client.contacts.create(list.list_id, { first_name: 'Person', last_name: String(i).padStart(2, '0'), email: `p${i}@example.com` });
    ids.push(contact.contact_id);
  }
  return { listId: list.list_id, contactIds: ids };
};

describe('a click on something deleted since its card was shown', () => {
  it('leaves an out-of-date contacts card as it was and says in a new message that the contact was already removed', async () => {
    const bridge = await startTestBridge();
    const { listId, contactIds } = await seedList(bridge, 'Customers', 2);
    const page = await command(bridge, `contacts ${listId}`);
    // Someone else removes Person 01 (in ClickSend, or from another copy of the card).
    await bridge.app.clicksend!.contacts.delete(listId, contactIds[0]!);

    const { replaced, posted } = await click(bridge, page.id, button(page.card, 'Delete', (d) => d.contact_id === String(contactIds[0])));
    expect(replaced).toBeUndefined();
    expect(bridge.connector.calls.filter((c) => c.method === 'PUT')).toEqual([]);
    expect(posted).toHaveLength(1);
    const note = cardText(posted[0]!.card);
    expect(note).toContain('That contact was already removed');
    expect(note).not.toMatch(/not found|went wrong|refused/i);
    expect(button(posted[0]!.card, 'Show the list')).toMatchObject({ verb: 'contacts.page', data: { list_id: String(listId) } });
    expect(bridge.sandbox.state.contacts.has(contactIds[1]!)).toBe(true);
  });

  it('answers the Delete of a confirmation whose contact was removed meanwhile with what happened, not an error', async () => {
    const bridge = await startTestBridge();
    const { listId, contactIds } = await seedList(bridge, 'Customers', 1);
    const ask = await command(bridge, `contact delete ${listId} ${contactIds[0]}`);
    await bridge.app.clicksend!.contacts.delete(listId, contactIds[0]!);

    const { replaced } = await click(bridge, ask.id, button(ask.card, 'Delete'));
    expect(cardText(replaced)).toContain('That contact was already removed');
    expect(cardText(replaced)).not.toMatch(/not found|went wrong|refused/i);
  });

  it('leaves a contacts card whose list was deleted as it was when Next is clicked, and says so in a new message', async () => {
    const bridge = await startTestBridge();
    const { listId } = await seedList(bridge, 'Customers', 16);
    const page = await command(bridge, `contacts ${listId}`);
    await bridge.app.clicksend!.lists.delete(listId);

    const { replaced, posted } = await click(bridge, page.id, button(page.card, 'Next'));
    expect(replaced).toBeUndefined();
    expect(posted).toHaveLength(1);
    expect(cardText(posted[0]!.card)).toContain('That list was already deleted');
    expect(button(posted[0]!.card, 'All lists').verb).toBe('lists.page');
  });

  it('answers the Delete of a list confirmation whose list was deleted meanwhile with what happened, not an error', async () => {
    const bridge = await startTestBridge();
    const { listId } = await seedList(bridge, 'Old customers', 1);
    const ask = await command(bridge, `list delete ${listId}`);
    await bridge.app.clicksend!.lists.delete(listId);

    const { replaced } = await click(bridge, ask.id, button(ask.card, 'Delete'));
    expect(cardText(replaced)).toContain('That list was already deleted');
    expect(cardText(replaced)).not.toMatch(/not found|went wrong|refused/i);
    expect((await bridge.app.store.listAudit(new Date(0))).filter((e) => e.action === 'list.delete')).toEqual([]);
  });
});
