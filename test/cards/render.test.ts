import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardNames } from '../../src/cards/card-names.js';
import { CardRenderError } from '../../src/cards/errors.js';
import { MAX_CARD_BYTES, createCardRenderer, toAttachment } from '../../src/cards/render.js';
import { cardSamples } from '../../src/cards/samples.js';
import { escapeMarkdown } from '../../src/cards/text.js';
import type { AdaptiveCardJson, CardData, CardName } from '../../src/cards/types.js';
import { checkAdaptiveCard, unknownProperties } from './adaptive-cards.js';
import { executeActionsOf, isRecord, stringsIn } from './card-walk.js';

const renderer = createCardRenderer();

/** Every (card, sample) pair, for `it.each`. */
const cases = cardNames.flatMap((name) =>
  (cardSamples[name] as readonly CardData[CardName][]).map((data, index) => ({ name, index, data })),
);
const render = (name: CardName, data: CardData[CardName]) =>
  // `cases` pairs each name with its own samples; TypeScript cannot see that through flatMap.
  renderer.render(name, data as never);

/** A card string stripped of the data strings it contains, escaped or not. */
const withoutData = (text: string, data: unknown): string =>
  stringsIn(data)
    .flatMap((value) => [escapeMarkdown(value), value])
    .filter((value) => value.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((rest, value) => rest.split(value).join(''), text);

const tablesOrForms = new Set<CardName>(['help', 'send-result', 'lists', 'contacts', 'links', 'audit', 'inbound-sms', ...cardNames.filter((n) => n.endsWith('-form'))]);

describe('every card template', () => {
  it('exists for every key of CardData, with at least two samples', () => {
    for (const name of cardNames) expect(cardSamples[name].length, name).toBeGreaterThanOrEqual(2);
  });

  describe.each(cases)('$name, sample $index', ({ name, data }) => {
    let card: AdaptiveCardJson;
    beforeAll(() => {
      card = render(name, data);
    });

    it('leaves no ${ of its own in the card', () => {
      const leftovers = stringsIn(card).filter((text) => withoutData(text, data).includes('${'));
      expect(leftovers).toEqual([]);
    });

    it('is a valid Adaptive Card 1.5 for the adaptivecards renderer', () => {
      expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
      expect(checkAdaptiveCard(card)).toEqual([]);
      expect(unknownProperties(card)).toEqual([]);
    });

    it('stays under 80 KB', () => {
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(80 * 1024);
    });

    it('gives every Action.Execute a verb and a data object', () => {
      for (const action of executeActionsOf(card)) {
        expect(action['verb'], JSON.stringify(action)).toMatch(/^[a-z][\w.-]*$/);
        expect(isRecord(action['data']), JSON.stringify(action)).toBe(true);
      }
    });

    it('uses the full width of Teams when it has a table or a form', () => {
      expect(card['msteams']).toEqual(tablesOrForms.has(name) ? { width: 'Full' } : undefined);
    });
  });
});

describe('createCardRenderer', () => {
  const templatesDir = fileURLToPath(new URL('../../cards/', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'cards-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const copyWith = (name: string, template: unknown): string => {
    const dir = mkdtempSync(join(scratch, 'dir-'));
    cpSync(templatesDir, dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(template));
    return dir;
  };

  it('refuses a template field that the data does not have, naming the expression only', () => {
    const dir = copyWith('done', {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: '${title}: ${subtitle}' }],
    });
    const custom = createCardRenderer({ dir });
    const data = { title: 'Top ${secret}', message: 'm', facts: [], buttons: [] };
    const error = (() => {
      try {
        custom.render('done', data);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CardRenderError);
    expect(error).toMatchObject({ code: 'ERR_CARD_RENDER', card: 'done', problem: 'unbound-field' });
    expect(String(error)).toContain('${subtitle}');
    expect(String(error)).not.toContain('secret');
  });

  it('does not mistake user text containing ${...} for an unbound field', () => {
    const card = renderer.render('done', { title: '${title}', message: '${nothing.here}', facts: [], buttons: [] });
    expect(stringsIn(card)).toEqual(expect.arrayContaining(['${title}', '${nothing.here}']));
  });

  it('refuses a card above 80 KB', () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({
      contactId: String(i),
      name: `Contact number ${i}`,
      phone: '+61411111111',
      email: `contact.${i}@example.com`,
      remove: { title: 'Remove', verb: 'contact.delete.ask', data: { list_id: '1', contact_id: String(i) } },
    }));
    const data = { ...cardSamples.contacts[0]!, rows };
    expect(() => renderer.render('contacts', data)).toThrow(expect.objectContaining({ code: 'ERR_CARD_RENDER', problem: 'too-large' }));
    expect(MAX_CARD_BYTES).toBe(80 * 1024);
  });

  it('fails at creation when a template is missing or is not an Adaptive Card', () => {
    const missing = mkdtempSync(join(scratch, 'empty-'));
    expect(() => createCardRenderer({ dir: missing })).toThrow(expect.objectContaining({ code: 'ERR_CARD_RENDER', problem: 'bad-template' }));
    const dir = copyWith('help', { type: 'Message', body: [] });
    expect(() => createCardRenderer({ dir })).toThrow(expect.objectContaining({ card: 'help', problem: 'bad-template' }));
  });

  it('renders the same card every time from a template it read once', () => {
    const sample = cardSamples['send-result'][0]!;
    expect(renderer.render('send-result', sample)).toEqual(renderer.render('send-result', sample));
  });

  it('offers a send’s download as a link that opens exactly as given', () => {
    const sample = cardSamples['send-result'].find((s) => s.download !== undefined);
    expect(sample).toBeDefined();
    const card = renderer.render('send-result', sample!);
    expect(card['actions']).toContainEqual({ type: 'Action.OpenUrl', title: 'Download all recipients (CSV)', url: sample!.download });
  });

  it('wraps a card as a Bot Framework attachment', () => {
    const card = renderer.render('done', cardSamples.done[0]!);
    expect(toAttachment(card)).toEqual({ contentType: 'application/vnd.microsoft.card.adaptive', content: card });
  });
});
