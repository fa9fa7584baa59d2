import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchCommand } from '../../src/bot/command-router.js';
import type { Command } from '../../src/bot/commands/command.js';
import { cleanCommandText, restAfter, tokenize, type Token } from '../../src/bot/parse.js';
import type { Turn } from '../../src/teams/types.js';

/**
 * Work is counted, not timed: every character a String search reads while `run` runs (the
 * loops of the text path itself visit each character once). A search that fails reads to the
 * end of the text, so searching again from every unmatched quote reads n^2 / 2 characters.
 */
const charactersSearched = (run: () => void): number => {
  const proto = String.prototype;
  const originals = { indexOf: proto.indexOf, lastIndexOf: proto.lastIndexOf, includes: proto.includes };
  let read = 0;
  proto.indexOf = function (this: string, search: string, from?: number) {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = originals.indexOf.call(this, search, from);
    read += (found === -1 ? this.length : found + search.length) - start;
    return found;
  };
  proto.lastIndexOf = function (this: string, search: string, from?: number) {
    const start = Math.max(0, Math.min(from ?? this.length, this.length - 1));
    const found = originals.lastIndexOf.call(this, search, from);
    read += start - (found === -1 ? -1 : found);
    return found;
  };
  proto.includes = function (this: string, search: string, from?: number) {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = originals.indexOf.call(this, search, start);
    read += (found === -1 ? this.length : found + search.length) - start;
    return found !== -1;
  };
  try {
    run();
  } finally {
    Object.assign(proto, originals);
  }
  return read;
};

/** Every quote tokenize knows (opening and closing), every kind of space, mentions, and plain words. */
const piece = fc.constantFrom('“', '”', '‘', '’', '"', "'", ' ', '\t', '\n', '\r\n', '\u00a0', '\u2003', 'x', 'sms', '+61411111111', '<at>', '</at>');
/** One piece repeated: the long runs (`“ “ “ ...`) that defeat a search per quote. */
const longRun = fc.tuple(fc.array(piece, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 400 })).map(([unit, times]) => unit.join('').repeat(times));
const hostileText = fc.array(fc.oneof(piece, longRun), { maxLength: 12 }).map((parts) => parts.join(''));

/** tokenize as first written: a search to the end of the text for every opening quote. */
const quadraticTokenize = (text: string): Token[] => {
  const quotes: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
    if (i >= text.length) break;
    const close = quotes[text[i]!];
    const endQuote = close ? text.indexOf(close, i + 1) : -1;
    if (endQuote !== -1) {
      tokens.push({ value: text.slice(i + 1, endQuote), end: endQuote + 1 });
      i = endQuote + 1;
      continue;
    }
    const start = i;
    while (i < text.length && !/\s/.test(text[i]!)) i += 1;
    tokens.push({ value: text.slice(start, i), end: i });
  }
  return tokens;
};

const command = (words: string[]): Command => ({ words, usage: words.join(' '), summary: '', run: async () => undefined });
const commands = [command(['sms']), command(['list', 'create']), command(['help'])];

describe('the text path of a chat message under adversarial text', () => {
  it('searches at most 4 characters per character of text, however many quotes go unmatched', () => {
    fc.assert(
      fc.property(hostileText, (raw) => {
        const read = charactersSearched(() => {
          const text = cleanCommandText(raw);
          const tokens = tokenize(text);
          for (let i = 0; i < Math.min(tokens.length, 6); i += 1) restAfter(text, tokens, i);
          for (const prefix of ['', 'sms ', 'list create ']) matchCommand(commands, {} as Turn, prefix + text)?.context.restAfter(1);
        });
        // The text is tokenized four times above (once directly, three times through matchCommand).
        expect(read, `${raw.length} characters`).toBeLessThanOrEqual(4 * 4 * (raw.length + 'list create '.length));
      }),
      { numRuns: 200 },
    );
  });

  it('splits every text exactly as the search per quote did', () => {
    const shortText = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(shortText, hostileText), (text) => {
        expect(tokenize(text)).toEqual(quadraticTokenize(text));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a 100,000-character message of unmatched curly quotes no more than 4 times over', () => {
    const text = '“ '.repeat(50_000);
    let tokens: ReturnType<typeof tokenize> = [];
    const read = charactersSearched(() => void (tokens = tokenize(text)));
    expect(read).toBeLessThanOrEqual(4 * text.length);
    expect(tokens).toHaveLength(50_000);
    expect(tokens.every((t) => t.value === '“')).toBe(true);
  });
});
