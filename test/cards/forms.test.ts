import { describe, expect, it } from 'vitest';
import { createCardRenderer } from '../../src/cards/render.js';
import { cardSamples } from '../../src/cards/samples.js';
import { escapeMarkdown } from '../../src/cards/text.js';
import type { AdaptiveCardJson, CardData } from '../../src/cards/types.js';
import { elementsOfType, executeActionsOf, inputById, inputIdsOf, inputsOf, isRecord, textBlocksOf } from './card-walk.js';
import { formInputIds, formNames, formVerbs, type FormName } from './form-ids.js';

const renderer = createCardRenderer();
// Each test pairs a form with its own data; TypeScript cannot follow that through the union.
const renderForm = (name: FormName, data: CardData[FormName]): AdaptiveCardJson => renderer.render(name, data as never);
const fullest = (name: FormName): CardData[FormName] => {
  const sample = cardSamples[name][0];
  if (sample === undefined) throw new Error(`no sample for ${name}`);
  return sample;
};
const attentionTexts = (card: unknown): string[] =>
  textBlocksOf(card)
    .filter((block) => block['color'] === 'attention')
    .map((block) => String(block['text']));

describe.each(formNames)('%s', (name) => {
  const expected = formInputIds[name];

  it('names its inputs exactly after the ClickSend parameters', () => {
    expect(inputIdsOf(renderForm(name, fullest(name))).sort()).toEqual([...expected].sort());
    for (const sample of cardSamples[name]) {
      const ids = inputIdsOf(renderForm(name, sample));
      expect(new Set(ids).size).toBe(ids.length);
      expect(expected).toEqual(expect.arrayContaining(ids));
    }
  });

  it('labels every input and explains every required one', () => {
    for (const input of inputsOf(renderForm(name, fullest(name)))) {
      expect(input['label'] ?? input['title'], String(input['id'])).toEqual(expect.any(String));
      if (input['isRequired'] === true) expect(input['errorMessage'], String(input['id'])).toEqual(expect.any(String));
    }
  });

  it('submits all its inputs with its verb', () => {
    const [submit, ...others] = executeActionsOf(renderForm(name, fullest(name)));
    expect(others).toEqual([]);
    expect(submit).toMatchObject({ verb: formVerbs[name], associatedInputs: 'auto', data: {}, style: 'positive' });
  });

  it('shows the values typed so far, literally', () => {
    const values = Object.fromEntries(expected.map((id) => [id, id === 'voice' ? 'male' : `**${id}** \${x}`]));
    const card = renderForm(name, { ...fullest(name), values });
    for (const id of expected) expect(inputById(card, id)?.['value'], id).toBe(values[id]);
  });

  it('shows each refused input under it, in red, and the problem above all', () => {
    const errors = Object.fromEntries(expected.map((id) => [id, `${id} is wrong`]));
    const card = renderForm(name, { ...fullest(name), errors, problem: 'ClickSend said no' });
    // Error texts render as Markdown: `list_id is wrong` arrives as `list\_id is wrong`.
    const shown = [...Object.values(errors), 'ClickSend said no'].map(escapeMarkdown);
    expect(attentionTexts(card)).toEqual(expect.arrayContaining(shown));
    const body = card['body'];
    const banner = Array.isArray(body) ? body.find((item) => isRecord(item) && item['style'] === 'attention') : undefined;
    expect(JSON.stringify(banner)).toContain('ClickSend said no');
  });

  it('shows nothing in red when nothing is wrong', () => {
    expect(attentionTexts(renderForm(name, { ...fullest(name), errors: {}, problem: undefined }))).toEqual([]);
  });
});

describe('recipient forms', () => {
  const sms = cardSamples['sms-form'][0]!;

  it('offers contact lists only when there are some, and then does not require a number', () => {
    const withLists = renderer.render('sms-form', sms);
    expect(inputById(withLists, 'list_id')?.['choices']).toEqual(sms.lists);
    expect(inputById(withLists, 'to')?.['isRequired']).toBe(false);
    const withoutLists = renderer.render('sms-form', { ...sms, lists: [] });
    expect(inputById(withoutLists, 'list_id')).toBeUndefined();
    expect(inputById(withoutLists, 'to')?.['isRequired']).toBe(true);
  });

  it('states the SMS length rule and the default country', () => {
    const texts = textBlocksOf(renderer.render('sms-form', sms)).map((block) => String(block['text']));
    expect(texts.join('\n')).toMatch(/160 characters = 1 SMS.*153.*8 parts.*1,224.*70 \/ 67.*536/s);
    expect(texts.join('\n')).toContain('AU numbers');
  });

  it('limits message lengths as ClickSend does', () => {
    expect(inputById(renderer.render('sms-form', sms), 'body')).toMatchObject({ maxLength: 1224, isMultiline: true });
    const mms = renderer.render('mms-form', cardSamples['mms-form'][0]!);
    expect(inputById(mms, 'subject')).toMatchObject({ maxLength: 20, isRequired: true });
    expect(inputById(mms, 'body')).toMatchObject({ maxLength: 1500 });
    expect(inputById(mms, 'media_file')).toMatchObject({ regex: '^https://' });
    expect(inputById(renderer.render('voice-form', cardSamples['voice-form'][0]!), 'body')).toMatchObject({ maxLength: 1200 });
  });

  it('asks voice options with toggles that send 1 or 0', () => {
    const card = renderer.render('voice-form', cardSamples['voice-form'][1]!);
    for (const id of ['require_input', 'machine_detection']) {
      expect(inputById(card, id)).toMatchObject({ type: 'Input.Toggle', valueOn: '1', valueOff: '0', value: '0' });
    }
    expect(inputById(card, 'voice')?.['choices']).toEqual([
      { title: 'Female', value: 'female' },
      { title: 'Male', value: 'male' },
    ]);
  });
});

describe('post forms', () => {
  it('sends the user to the dashboard when there is no return address', () => {
    const card = renderer.render('letter-form', { ...cardSamples['letter-form'][0]!, returnAddresses: [] });
    expect(inputById(card, 'return_address_id')).toBeUndefined();
    expect(attentionTexts(card).join(' ')).toMatch(/return address in your ClickSend dashboard/);
  });

  it('reads the country as a 2-letter code and colour and duplex as 0 or 1', () => {
    const card = renderer.render('letter-form', cardSamples['letter-form'][0]!);
    expect(inputById(card, 'address_country')).toMatchObject({ regex: '^[A-Za-z]{2}$', maxLength: 2 });
    for (const id of ['colour', 'duplex']) {
      const choices = inputById(card, id)?.['choices'];
      expect(Array.isArray(choices) ? choices.map((choice: { value: string }) => choice.value) : []).toEqual(['0', '1']);
    }
  });
});

describe('contact form', () => {
  const sample = cardSamples['contact-form'][2]!;
  const moreFields = (card: unknown) => elementsOfType(card, 'Container').find((container) => container['id'] === 'more-fields');

  it('keeps the less common fields folded until one of them has a value or an error', () => {
    expect(moreFields(renderer.render('contact-form', sample))?.['isVisible']).toBe(false);
    expect(moreFields(renderer.render('contact-form', { ...sample, errors: { custom_3: 'too long' } }))?.['isVisible']).toBe(true);
    expect(moreFields(renderer.render('contact-form', { ...sample, values: { fax_number: '+61291111111' } }))?.['isVisible']).toBe(true);
  });
});
