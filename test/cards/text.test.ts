import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, hasMarkdownSyntax, unescapeMarkdown } from '../../src/cards/text.js';

describe('escapeMarkdown', () => {
  it.each([
    ['[link](http://x)', '\\[link\\](http://x)'],
    ['**bold** _it_ ~strike~ `code`', '\\*\\*bold\\*\\* \\_it\\_ \\~strike\\~ \\`code\\`'],
    ['<https://evil.example>', '\\<https://evil.example\\>'],
    ['a\\b', 'a\\\\b'],
    ['- item\n+ item\n# title\n1. first\n2) second', '\\- item\n\\+ item\n\\# title\n1\\. first\n2\\) second'],
    ['AT&amp;T', 'AT\\&amp;T'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  it.each(['Your order 1234 is ready.', 'A$ 1.99 - 20% off', 'Tom & Jerry', 'Call 0411 111 111, or +61 2 9111 1111', '${secret}'])(
    'leaves plain text %j alone',
    (text) => {
      expect(escapeMarkdown(text)).toBe(text);
      expect(hasMarkdownSyntax(text)).toBe(false);
    },
  );

  it('reads back as the original text for any input', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => unescapeMarkdown(escapeMarkdown(text)) === text));
  });

  it('leaves no unescaped link or emphasis syntax', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('[', ']', '(', ')', '*', '_', '\\', '`', 'a', ' ', '\n') }), (text) => {
        const escaped = escapeMarkdown(text);
        // Drop every escaped pair; what remains must hold no syntax character.
        return !/[[\]*_`\\]/.test(escaped.replace(/\\[\s\S]/g, ''));
      }),
    );
  });
});
