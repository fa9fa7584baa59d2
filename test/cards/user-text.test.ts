import { describe, expect, it } from 'vitest';
import { createCardRenderer } from '../../src/cards/render.js';
import { textMessage } from '../helpers/activities.js';
import { cardText, startTestBridge, TEST_WEBHOOK_TOKEN, type TestBridge } from '../helpers/bridge.js';
import { cardSamples, hostileText } from '../../src/cards/samples.js';
import { escapeMarkdown, unescapeMarkdown } from '../../src/cards/text.js';
import { elementsOfType, executeActionsOf, inputById, markdownTextsOf, stringsIn } from './card-walk.js';

const renderer = createCardRenderer();
const hostile = Object.values(hostileText);

describe('text from users and ClickSend', () => {
  it('shows ${...} literally and never evaluates it', () => {
    const card = renderer.render('error', {
      title: hostileText.template,
      message: 'plain',
      details: [],
      code: '${code}',
    });
    const texts = markdownTextsOf(card);
    expect(texts).toContain(hostileText.template);
    expect(texts).toContain('Code: ${code}');
  });

  it.each(hostile)('shows %s in a TextBlock so that it reads exactly as typed', (text) => {
    const card = renderer.render('done', { title: text, message: `Sent: ${text}`, facts: [], buttons: [] });
    const [title, message] = markdownTextsOf(card);
    expect(title).toBe(escapeMarkdown(text));
    expect(unescapeMarkdown(title ?? '')).toBe(text);
    expect(unescapeMarkdown(message ?? '')).toBe(`Sent: ${text}`);
  });

  it('escapes Markdown so that customer text cannot add links or bold', () => {
    const card = renderer.render('done', { title: hostileText.markdown, message: 'm', facts: [], buttons: [] });
    const [title] = markdownTextsOf(card);
    expect(title).toBe('\\*\\*bold\\*\\* and \\[link\\](http://x) \\_now\\_');
  });

  it('escapes facts, table cells and error details too', () => {
    const confirm = renderer.render('confirm', {
      ...cardSamples.confirm[0]!,
      facts: [{ title: hostileText.markdown, value: hostileText.json }],
    });
    expect(markdownTextsOf(confirm)).toEqual(expect.arrayContaining([escapeMarkdown(hostileText.markdown), escapeMarkdown(hostileText.json)]));
    const lists = renderer.render('lists', {
      ...cardSamples.lists[0]!,
      rows: [{ listId: '1', name: hostileText.markdown, contacts: '3', open: { title: 'Open', verb: 'contacts.show' } }],
    });
    expect(markdownTextsOf(lists)).toContain(escapeMarkdown(hostileText.markdown));
    const error = renderer.render('error', { ...cardSamples.error[0]!, details: [{ field: 'body', message: hostileText.markdown }] });
    expect(markdownTextsOf(error)).toContain(escapeMarkdown(hostileText.markdown));
  });

  it('keeps input values, choices, button titles and button data exactly as given', () => {
    const sms = renderer.render('sms-form', {
      ...cardSamples['sms-form'][0]!,
      lists: [{ title: hostileText.markdown, value: '${id}' }],
      values: { body: hostileText.json, to: hostileText.template },
    });
    expect(inputById(sms, 'body')?.['value']).toBe(hostileText.json);
    expect(inputById(sms, 'to')?.['value']).toBe(hostileText.template);
    expect(inputById(sms, 'list_id')?.['choices']).toEqual([{ title: hostileText.markdown, value: '${id}' }]);

    const done = renderer.render('done', {
      title: 't',
      message: 'm',
      facts: [],
      buttons: [{ title: hostileText.markdown, verb: 'contacts.show', data: { q: hostileText.template, nested: { json: hostileText.json } } }],
    });
    expect(executeActionsOf(done)).toEqual([
      expect.objectContaining({ title: hostileText.markdown, data: { q: hostileText.template, nested: { json: hostileText.json } } }),
    ]);
  });

  it('does not let data strings pose as the renderer’s own placeholders', () => {
    const spoof = '\uE0000\uE001 and \uE0001\uE001';
    const card = renderer.render('done', { title: spoof, message: '[x](y)', facts: [], buttons: [] });
    expect(markdownTextsOf(card).slice(0, 2)).toEqual([spoof, '\\[x\\](y)']);
  });

  it('keeps ClickSend message ids exactly as given', () => {
    const send = cardSamples['send-result'][0]!;
    const card = renderer.render('send-result', send);
    expect(stringsIn(card)).toEqual(expect.arrayContaining(send.rows.map((row) => row.messageId).filter(Boolean)));
    expect(elementsOfType(card, 'Table')).toHaveLength(1);
  });
});

describe('a customer text relayed into a channel', () => {
  const OUR = '+61480000000';

  const waitFor = async <T>(probe: () => T | undefined): Promise<T> => {
    for (let i = 0; i < 160; i += 1) {
      const found = probe();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no such card in time');
  };

  const relay = async (bridge: TestBridge, messageId: string, from: string, body: string) => {
    const answer = await fetch(`${bridge.url}/webhooks/clicksend/inbound?token=${TEST_WEBHOOK_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message_id: messageId, from, to: OUR, body, timestamp: 1_775_012_927 }),
    });
    expect(answer.status).toBe(200);
    return waitFor(() => bridge.connector.cards().find((c) => JSON.stringify(c.card).includes(messageId) || cardText(c.card).includes(from.slice(-4))));
  };

  /** The element types of a card, in order: what it shows, whatever the texts say. */
  const shape = (card: unknown): string[] => elementsOfType(card, 'TextBlock').map(() => 'TextBlock').concat(executeActionsOf(card).map(() => 'Action'));

  it('shows ${...}, card JSON, Markdown and HTML exactly as the customer wrote them, with the same card as a plain text', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await bridge.post(textMessage(bridge.connector.url, `link ${OUR}`, 'channel'));
    await waitFor(() => bridge.connector.cards().find((c) => cardText(c.card).includes('Linked')));
    const body = [...hostile, '<b>bold</b> <script>alert(1)</script> <at>ClickSend</at> &amp;'].join('\n');
    const plain = await relay(bridge, 'PLAIN-1', '+61411111111', 'Is 3pm free?');
    const posted = await relay(bridge, 'HOSTILE-1', '+61422222222', body);
    expect(cardText(posted.card)).toContain(body);
    expect(markdownTextsOf(posted.card)).toContain(escapeMarkdown(body));
    expect(shape(posted.card)).toEqual(shape(plain.card));
  });
});
