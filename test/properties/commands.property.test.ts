import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { textMessage, type Scope } from '../helpers/activities.js';
import { startPropertyBridge, type PropertyBridge } from './harness.js';

let p: PropertyBridge;

beforeAll(async () => {
  p = await startPropertyBridge();
}, 30_000);

/** Words that are no phone number and no list: letters, punctuation, Markdown, templates. */
const notANumber = fc.oneof(
  fc.stringMatching(/^[A-Za-z_*[\]()${}<>#!?&|~`'"\\/=-]{1,15}$/),
  fc.constantFrom('${secret}', '<at>x</at>', '**bold**', '"unclosed', 'list:', 'list:abc', '+', '++61', '0', '12'),
);
const freeText = fc.string({ maxLength: 200, unit: 'grapheme' });
const badUrl = fc.oneof(fc.constantFrom('http://files.example.com/a.pdf', 'ftp://x/y.pdf', 'javascript:alert(1)', 'https://u:p@x.example/a.pdf', 'https://'), notANumber);

/** Commands typed with arguments none of which can be acted on; none may reach ClickSend with a write. */
const typedCommand = fc.oneof(
  fc.tuple(fc.constantFrom('sms', 'voice', 'SMS', 'Voice'), notANumber, freeText).map(([word, to, text]) => `${word} ${to} ${text}`),
  fc.tuple(notANumber, badUrl).map(([to, url]) => `fax ${to} ${url}`),
  fc.tuple(fc.constantFrom('+61261111111', '0261111111'), badUrl).map(([to, url]) => `fax ${to} ${url}`),
  fc.tuple(fc.constantFrom('list delete', 'contacts', 'contact add', 'contact delete', 'lists', 'upload'), freeText).map(([words, rest]) => `${words} ${rest}`),
  fc.tuple(fc.constantFrom('link', 'unlink', 'links'), freeText).map(([word, rest]) => `${word} ${rest}`),
  freeText,
);

describe('typed commands under generated arguments', () => {
  it('answer every command with one card and never write to ClickSend, in any scope', async () => {
    await fc.assert(
      fc.asyncProperty(typedCommand, fc.constantFrom<Scope>('personal', 'channel', 'groupChat'), async (text, scope) => {
        const writesBefore = p.clicksendCalls().writes.length;
        const callsBefore = p.bridge.connector.calls.length;
        const answer = await p.post('/api/messages', JSON.stringify(textMessage(p.bridge.connector.url, text, scope)), 'application/json');
        expect(answer.status, `${text}: ${answer.text}`).toBe(200);
        expect(p.bridge.connector.calls.length - callsBefore, text).toBe(1);
        expect(p.clicksendCalls().writes.slice(writesBefore), text).toEqual([]);
        expect(p.bridge.logs(), text).not.toContain('unhandled turn error');
      }),
      { numRuns: 120 },
    );
    expect(p.bridge.sandbox.state.messages).toEqual([]);
  }, 60_000);
});
