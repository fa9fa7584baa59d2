import { describe, expect, it } from 'vitest';
import { matchCommand } from '../../src/bot/command-router.js';
import type { Command } from '../../src/bot/commands/command.js';
import { cleanCommandText, restAfter, tokenize } from '../../src/bot/parse.js';
import type { Turn } from '../../src/teams/types.js';

describe('tokenize', () => {
  it('splits on any whitespace and keeps where each word ends', () => {
    expect(tokenize('  sms   +61411111111\tHi ')).toEqual([
      { value: 'sms', end: 5 },
      { value: '+61411111111', end: 20 },
      { value: 'Hi', end: 23 },
    ]);
  });

  it('groups quoted words, with straight or curly quotes, and drops the quotes', () => {
    expect(tokenize('sms "0411 111 111" hi').map((t) => t.value)).toEqual(['sms', '0411 111 111', 'hi']);
    expect(tokenize('lists “VIP customers”').map((t) => t.value)).toEqual(['lists', 'VIP customers']);
    expect(tokenize("list create 'Trade show'").map((t) => t.value)).toEqual(['list', 'create', 'Trade show']);
  });

  it('treats an unclosed quote as an ordinary character', () => {
    expect(tokenize('sms "0411 hi').map((t) => t.value)).toEqual(['sms', '"0411', 'hi']);
  });
});

describe('restAfter', () => {
  it('returns the text after a token exactly as typed, line breaks and double spaces included', () => {
    const text = 'sms +61411111111 Line one\nLine  two ';
    expect(restAfter(text, tokenize(text), 1)).toBe('Line one\nLine  two');
  });

  it('is empty when nothing follows', () => {
    expect(restAfter('sms', tokenize('sms'), 0)).toBe('');
  });
});

describe('cleanCommandText', () => {
  it('drops mention tags Teams leaves in and non-breaking spaces', () => {
    expect(cleanCommandText('<at>ClickSend</at>\u00a0help ')).toBe('help');
  });
});

describe('matchCommand', () => {
  const command = (words: string[]): Command => ({ words, usage: words.join(' '), summary: '', run: async () => undefined });
  const commands = [command(['list', 'create']), command(['list', 'delete']), command(['lists']), command(['sms']), command(['help'])];
  const turn = {} as Turn;

  it('matches command words in any case, the longest first', () => {
    expect(matchCommand(commands, turn, 'LIST Create Leads')?.command.words).toEqual(['list', 'create']);
    expect(matchCommand(commands, turn, 'Lists vip')?.command.words).toEqual(['lists']);
  });

  it('hands the command its arguments and the raw text after its words', () => {
    const match = matchCommand(commands, turn, 'sms "0411 111 111" Running  late');
    expect(match?.context.args).toEqual(['0411 111 111', 'Running', 'late']);
    expect(match?.context.text).toBe('"0411 111 111" Running  late');
    expect(match?.context.restAfter(1)).toBe('Running  late');
  });

  it('matches nothing for an unknown word or a prefix of a command', () => {
    expect(matchCommand(commands, turn, 'list')).toBeUndefined();
    expect(matchCommand(commands, turn, 'smsx hi')).toBeUndefined();
    expect(matchCommand(commands, turn, '')).toBeUndefined();
  });
});
