import { describe, expect, it } from 'vitest';
import { formInputIds } from '../cards/form-ids.js';
import { executeAction, submitAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, inputIds, startTestBridge, type TestBridge } from '../helpers/bridge.js';

type Card = Record<string, unknown>;

const LETTER_INPUTS = formInputIds['letter-form'];

/** A bridge with one return address on the ClickSend account. */
const startWithReturnAddress = async () => {
  const bridge = await startTestBridge();
  const returnAddress = await bridge.app.clicksend!.post.returnAddresses.create({
    address_name: 'Head office',
    address_line_1: '1 George St',
    address_city: 'Sydney',
    address_state: 'NSW',
    address_postal_code: '2000',
    address_country: 'AU',
  });
  return { bridge, returnAddressId: String(returnAddress.return_address_id) };
};

/** What Teams submits for an address form: every input, as strings. */
const addressValues = (returnAddressId: string) => ({
  address_name: 'Ada Lovelace',
  address_line_1: '12 Analytical St',
  address_line_2: '',
  address_city: 'Melbourne',
  address_state: 'VIC',
  address_postal_code: '3000',
  address_country: 'au',
  return_address_id: returnAddressId,
});
const letterValues = (returnAddressId: string) => ({
  file_url: 'https://files.example.com/letter.pdf',
  template_used: '0',
  colour: '0',
  duplex: '1',
  priority_post: '0',
  ...addressValues(returnAddressId),
});

/** Types a command and waits for the card the bot posts in answer. */
const command = async (bridge: TestBridge, text: string): Promise<{ id: string; card: Card }> => {
  const before = bridge.connector.calls.length;
  expect((await bridge.post(textMessage(bridge.connector.url, text))).status).toBe(200);
  const calls = await bridge.connector.waitForCalls(before + 1);
  return { id: calls[before]!.id, card: bridge.connector.cards().at(-1)!.card };
};

/** An Action.Execute on the card posted as `cardId`; its answer replaces that card. */
const click = async (bridge: TestBridge, cardId: string, verb: string, data: Record<string, unknown>): Promise<Card> => {
  const answer = await bridge.post(executeAction(bridge.connector.url, cardId, verb, data));
  expect(answer.status).toBe(200);
  const body = answer.body as { type: string; value: Card };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
};

const confirmButton = (card: Card) => {
  const found = executeActions(card).find((a) => a.title === 'Confirm and send');
  if (!found) throw new Error(`no Confirm button on ${cardText(card)}`);
  return found;
};

const posted = (bridge: TestBridge, type: 'letter' | 'postcard') => bridge.sandbox.state.messages.filter((m) => m.type === type);

describe('letters and postcards through /api/messages', () => {
  it('opens the letter form with the contract ids and the return addresses from ClickSend', async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const { card } = await command(bridge, 'letter');
    expect([...inputIds(card)].sort()).toEqual([...LETTER_INPUTS].sort());
    expect(cardText(card)).toContain('Head office, Sydney');
    expect(JSON.stringify(card)).toContain(`"value":"${returnAddressId}"`);
    expect(executeActions(card).map((a) => a.verb)).toEqual(['letter.price']);
  });

  it('prices a letter first, posts it on Confirm and shows pages and price', async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const form = await command(bridge, 'letter');
    const confirm = await click(bridge, form.id, 'letter.price', letterValues(returnAddressId));
    const asked = cardText(confirm);
    expect(asked).toContain('Send this letter?');
    expect(asked).toContain('$1.12 AUD');
    expect(asked).toContain('Ada Lovelace, 12 Analytical St, Melbourne 3000, AU');
    expect(asked).toContain('black and white, double-sided');
    expect(posted(bridge, 'letter')).toHaveLength(0);

    const button = confirmButton(confirm);
    expect(button.verb).toBe('letter.send');
    const result = await click(bridge, form.id, button.verb, button.data);
    const [letter] = posted(bridge, 'letter');
    expect(posted(bridge, 'letter')).toHaveLength(1);
    expect(letter!.record).toMatchObject({ address_country: 'AU', duplex: 1, colour: 0, return_address_id: Number(returnAddressId) });
    const shown = cardText(result);
    expect(shown).toContain('Letter posted');
    expect(shown).toContain(letter!.messageId);
    expect(shown).toContain('Pages');
    expect(shown).toMatch(/Queued\n1\n\$1\.12 AUD/);
    expect(shown).toContain('1 of 1 accepted');
  });

  it('posts one letter when Confirm is clicked twice at once, and answers the second click with the same result', async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const form = await command(bridge, 'letter');
    const button = confirmButton(await click(bridge, form.id, 'letter.price', letterValues(returnAddressId)));
    await Promise.all([click(bridge, form.id, button.verb, button.data), click(bridge, form.id, button.verb, button.data)]);
    const again = await click(bridge, form.id, button.verb, button.data);
    expect(posted(bridge, 'letter')).toHaveLength(1);
    expect(cardText(again)).toContain(posted(bridge, 'letter')[0]!.messageId);
  });

  it('posts one letter when an Action.Submit Confirm arrives twice, updating the clicked card', async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const form = await command(bridge, 'letter');
    const button = confirmButton(await click(bridge, form.id, 'letter.price', letterValues(returnAddressId)));
    const submit = submitAction(bridge.connector.url, form.id, { verb: button.verb, ...button.data });
    await bridge.post(submit);
    await bridge.post({ ...submit, id: `${submit.id}-again` });
    const calls = await bridge.connector.waitForCalls(3);
    expect(calls.slice(1).map((c) => [c.method, c.activityId])).toEqual([
      ['PUT', form.id],
      ['PUT', form.id],
    ]);
    expect(posted(bridge, 'letter')).toHaveLength(1);
    expect(cardText(bridge.connector.cards().at(-1)!.card)).toContain('Letter posted');
  });

  it("names ClickSend's refusal of an unknown return address and posts nothing", async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const form = await command(bridge, 'letter');
    const confirm = await click(bridge, form.id, 'letter.price', { ...letterValues(returnAddressId), return_address_id: '999' });
    expect(cardText(confirm)).toContain('ClickSend would refuse 1 of 1 recipients.');
    const button = confirmButton(confirm);
    const result = cardText(await click(bridge, form.id, button.verb, button.data));
    expect(result).toMatch(/0 of 1 letters posted/i);
    expect(result).toContain('INVALID_RETURN_ADDRESS');
    expect(result).toContain('The return address does not exist.');
    expect(posted(bridge, 'letter')).toHaveLength(0);
  });

  it('gives the letter form back with errors for a plain-http URL and a three-letter country', async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const form = await command(bridge, 'letter');
    const values = { ...letterValues(returnAddressId), file_url: 'http://files.example.com/letter.pdf', address_country: 'AUS' };
    const refused = await click(bridge, form.id, 'letter.price', values);
    const text = cardText(refused);
    expect(inputIds(refused)).toContain('file_url');
    expect(text).toContain('give the https:// URL of the file');
    expect(text).toContain('a two-letter country code such as AU');
    expect(JSON.stringify(refused)).toContain('"value":"http://files.example.com/letter.pdf"');
    // Confirming a tampered button is refused the same way.
    const sent = await click(bridge, form.id, 'letter.send', { ...values, confirmed: '1' });
    expect(cardText(sent)).toContain('a two-letter country code such as AU');
    expect(posted(bridge, 'letter')).toHaveLength(0);
  });

  it('prices and posts a postcard with two artwork URLs, once', async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const form = await command(bridge, 'postcard');
    expect([...inputIds(form.card)].sort()).toEqual([...formInputIds['postcard-form']].sort());
    const urls = 'https://files.example.com/front.pdf, https://files.example.com/back.pdf';
    const confirm = await click(bridge, form.id, 'postcard.price', { file_urls: urls, ...addressValues(returnAddressId) });
    expect(cardText(confirm)).toContain('Send this postcard?');
    expect(cardText(confirm)).toContain('$1.99 AUD');
    expect(posted(bridge, 'postcard')).toHaveLength(0);

    const button = confirmButton(confirm);
    const result = await click(bridge, form.id, button.verb, button.data);
    await click(bridge, form.id, button.verb, button.data);
    const cards = posted(bridge, 'postcard');
    expect(cards).toHaveLength(1);
    expect(cards[0]!.record._file_urls).toEqual(['https://files.example.com/front.pdf', 'https://files.example.com/back.pdf']);
    expect(cardText(result)).toContain('Postcard posted');
    expect(cardText(result)).toContain(cards[0]!.messageId);
  });

  it('gives the postcard form back for three URLs or a three-letter country, without leaking the API key', async () => {
    const { bridge, returnAddressId } = await startWithReturnAddress();
    const form = await command(bridge, 'postcard');
    const urls = 'https://files.example.com/a.pdf https://files.example.com/b.pdf\nhttps://files.example.com/c.pdf';
    const refused = cardText(await click(bridge, form.id, 'postcard.price', { file_urls: urls, ...addressValues(returnAddressId), address_country: 'AUS' }));
    expect(refused).toContain('give one or two PDF URLs (front and back)');
    expect(refused).toContain('a two-letter country code such as AU');
    expect(posted(bridge, 'postcard')).toHaveLength(0);
    expect(bridge.logs()).not.toContain(bridge.sandbox.credentials.apiKey);
  });
});
