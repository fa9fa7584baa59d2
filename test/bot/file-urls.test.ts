import { describe, expect, it } from 'vitest';
import { cardText, executeCard, inputIds, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { POSTAL_ADDRESS } from '../helpers/postal.js';
import { recordClickSend } from '../properties/recorder.js';

type Card = Record<string, unknown>;

const GOOD = 'https://files.example.com/doc.pdf';

const address = { ...POSTAL_ADDRESS, return_address_id: '4' };

/** Each form with a URL input: its send verb, its input, and the other inputs it needs. */
const FORMS = [
  { verb: 'fax.send', input: 'file_url', rest: { to: '+61261111111' } },
  { verb: 'mms.send', input: 'media_file', rest: { to: '+61411111111', subject: 'Plan', body: 'See attached' } },
  { verb: 'letter.price', input: 'file_url', rest: { colour: '0', duplex: '0', ...address } },
  { verb: 'letter.send', input: 'file_url', rest: { colour: '0', duplex: '0', confirmed: '1', ...address } },
  { verb: 'postcard.price', input: 'file_urls', rest: address },
  { verb: 'postcard.send', input: 'file_urls', rest: { confirmed: '1', ...address } },
] as const;

const BAD_URLS = [
  ['a URL with a user name and password', 'https://user:secret@files.example.com/doc.pdf', 'remove the user name and password'],
  ['a URL with a user name', 'https://user@files.example.com/doc.pdf', 'remove the user name and password'],
  ['a URL of 2,049 characters', `https://files.example.com/${'a'.repeat(2_049 - 26)}`, 'at most 2,048 characters'],
  ['an ftp URL', 'ftp://files.example.com/doc.pdf', 'give the https:// URL of the file'],
  ['a javascript: URL', 'javascript:alert(1)', 'give the https:// URL of the file'],
  ['a data: URL', 'data:application/pdf;base64,JVBERi0=', 'give the https:// URL of the file'],
  ['a URL without a host', 'https://', 'give the https:// URL of the file'],
  ['a plain-http URL on the internet', 'http://files.example.com/doc.pdf', 'give the https:// URL of the file'],
  ['a URL with a line break inside', 'https://files.example.com/d\noc.pdf', 'spaces or line breaks'],
  ['a URL with a tab inside', 'https://files.example.com/d\toc.pdf', 'spaces or line breaks'],
  ['not a URL at all', 'doc.pdf', 'give the https:// URL of the file'],
] as const;

const submit = (bridge: TestBridge, verb: string, data: Record<string, unknown>): Promise<Card> => executeCard(bridge, verb, data);

describe('file URLs in forms', () => {
  it.each(BAD_URLS)('gives every URL form back with the problem under the input for %s, and calls ClickSend for nothing', async (_, url, problem) => {
    const recorder = recordClickSend();
    const bridge = await startTestBridge({ deps: { clicksendDispatcher: recorder.dispatcher } });
    for (const form of FORMS) {
      // The line-break cases only make sense for one URL; postcards split their input on spaces.
      if (form.input === 'file_urls' && /\s/.test(url)) continue;
      const card = await submit(bridge, form.verb, { ...form.rest, [form.input]: url });
      expect(inputIds(card), form.verb).toContain(form.input);
      expect(cardText(card), form.verb).toContain(problem);
    }
    expect(recorder.writes()).toEqual([]);
    expect(bridge.sandbox.state.messages).toEqual([]);
  });

  it('takes a URL of exactly 2,048 characters', async () => {
    const bridge = await startTestBridge();
    const url = `https://files.example.com/${'a'.repeat(2_048 - 26)}`;
    expect(url).toHaveLength(2_048);
    const card = await submit(bridge, 'fax.send', { to: '+61261111111', file_url: url });
    expect(cardText(card)).toContain('Fax sent');
  });

  it('refuses one bad URL of a postcard pair, naming the input', async () => {
    const bridge = await startTestBridge();
    const card = await submit(bridge, 'postcard.price', { ...address, file_urls: `${GOOD} https://me:pw@files.example.com/b.pdf` });
    expect(inputIds(card)).toContain('file_urls');
    expect(cardText(card)).toContain('remove the user name and password');
  });
});
