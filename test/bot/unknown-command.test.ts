import { describe, expect, it } from 'vitest';
import { editDistance, nearestCommands } from '../../src/bot/nearest-command.js';
import type { Command } from '../../src/bot/commands/command.js';
import { textMessage } from '../helpers/activities.js';
import { cardText, startTestBridge, type TestBridge } from '../helpers/bridge.js';

/** Types `text` in a personal chat and returns the text of the card the bot answered with. */
const answerTo = async (bridge: TestBridge, text: string): Promise<string> => {
  const before = bridge.connector.cards().length;
  expect((await bridge.post(textMessage(bridge.connector.url, text))).status).toBe(200);
  await bridge.connector.waitForCalls(before + 1);
  return cardText(bridge.connector.cards()[before]!.card);
};

describe('an unknown command word through /api/messages', () => {
  it('suggests the nearest command and help, and never a command menu that some clients do not show', async () => {
    const bridge = await startTestBridge();
    const answer = await answerTo(bridge, 'lnks');
    expect(answer).toContain('I don\'t know "lnks"');
    expect(answer).toContain('Did you mean "links"? Type help to see every command.');
    expect(answer).not.toMatch(/command menu/i);
  });

  it('names every command that starts with a known word typed with the wrong rest', async () => {
    const bridge = await startTestBridge();
    expect(await answerTo(bridge, 'list everything')).toContain('Did you mean "list create" or "list delete"?');
    expect(await answerTo(bridge, 'contcts 12')).toContain('Did you mean "contacts"?');
  });

  it('suggests nothing for a word far from every command, only help', async () => {
    const bridge = await startTestBridge();
    for (const text of ['xyzzy', 'banana split', 'hello']) {
      const answer = await answerTo(bridge, text);
      expect(answer).not.toContain('Did you mean');
      expect(answer).toContain('Type help to see every command.');
      expect(answer).not.toMatch(/command menu/i);
    }
  });

  it('answers a 100,000-character word (the longest text an activity carries) at once, cut to 40 characters, with no suggestion', async () => {
    const bridge = await startTestBridge();
    const started = Date.now();
    const answer = await answerTo(bridge, `links${'x'.repeat(99_995)}`);
    expect(answer).toContain(`I don't know "links${'x'.repeat(35)}"`);
    expect(answer).not.toContain('Did you mean');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('nearestCommands', () => {
  const command = (...words: string[]): Command => ({ words, usage: words.join(' '), summary: '', run: async () => undefined });
  const table = [command('help'), command('sms'), command('mms'), command('links'), command('link'), command('list', 'create'), command('postcard')];

  it('counts a swap of two neighbours as one step', () => {
    expect(editDistance('lnik', 'link')).toBe(1);
    expect(editDistance('link', 'link')).toBe(0);
    expect(editDistance('', 'sms')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('takes one step for short words and two for long ones, ties in table order', () => {
    expect(nearestCommands('xms', table)).toEqual(['sms', 'mms']);
    expect(nearestCommands('lnk', table)).toEqual(['link']);
    expect(nearestCommands('linsk', table)).toEqual(['links', 'link']);
    expect(nearestCommands('pstcrd', table)).toEqual(['postcard']);
    expect(nearestCommands('pstcd', table)).toEqual([]);
    expect(nearestCommands('LINKS?', table)).toEqual(['links']);
    expect(nearestCommands('', table)).toEqual([]);
  });

  it('looks at the first 40 characters only, however long the word', () => {
    expect(nearestCommands(`${'s'.repeat(39)}ms${'x'.repeat(100_000)}`, table)).toEqual([]);
    expect(nearestCommands(`sms${' '.repeat(100_000)}x`, table)).toEqual(['sms']);
  });
});
