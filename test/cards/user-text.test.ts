import { describe, expect, it } from 'vitest';
import { createCardRenderer } from '../../src/cards/render.js';
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
