import { escapeMarkdown, hasMarkdownSyntax } from './text.js';

/*
 * Data strings must reach the card literally. Two things stand in the way:
 * - the templating library leaves an unbound `${field}` in its output, and a user's text may
 *   contain `${...}` too: the leftover check must tell the template's from the user's;
 * - TextBlocks and Facts render Markdown, other properties (input values, choice titles,
 *   action data) do not: only the former may be escaped.
 * So every string that contains `${` or Markdown syntax is swapped for an opaque token before
 * expansion, the expanded card is checked (any `${` left is the template's), and then each token
 * is put back, escaped or not according to where it landed.
 * Templates may test such strings for emptiness but must not compute on their text.
 */

const OPEN = '\uE000';
const CLOSE = '\uE001';
const TOKEN = /\uE000(\d+)\uE001/g;

const needsToken = (text: string): boolean =>
  text.includes('${') || text.includes(OPEN) || text.includes(CLOSE) || hasMarkdownSyntax(text);

/** Teams renders Markdown in TextBlock.text and in each Fact's title and value, nowhere else. */
const TEXT_BLOCK_MARKDOWN = ['text'];
const FACT_MARKDOWN = ['title', 'value'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface GuardedData {
  /** The data with every risky string replaced by a token: expand the template with this. */
  readonly data: unknown;
  /** The expanded card with the original strings back, Markdown-escaped where it renders. */
  restore(expanded: unknown): unknown;
}

export const guardData = (data: unknown): GuardedData => {
  const originals: string[] = [];

  const swap = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!needsToken(value)) return value;
      originals.push(value);
      return `${OPEN}${originals.length - 1}${CLOSE}`;
    }
    if (Array.isArray(value)) return value.map(swap);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, swap(item)]));
    return value;
  };

  const putBack = (text: string, markdown: boolean): string =>
    text.replace(TOKEN, (_token, index: string) => {
      const original = originals[Number(index)] ?? '';
      return markdown ? escapeMarkdown(original) : original;
    });

  // `isFact`: the value is an item of a FactSet's `facts`, whose title and value render as Markdown.
  const restore = (value: unknown, isFact = false): unknown => {
    if (typeof value === 'string') return putBack(value, false);
    if (Array.isArray(value)) return value.map((item) => restore(item, isFact));
    if (!isRecord(value)) return value;
    const markdownKeys = isFact ? FACT_MARKDOWN : value['type'] === 'TextBlock' ? TEXT_BLOCK_MARKDOWN : [];
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        typeof item === 'string'
          ? putBack(item, markdownKeys.includes(key))
          : restore(item, value['type'] === 'FactSet' && key === 'facts'),
      ]),
    );
  };

  return { data: swap(data), restore: (expanded) => restore(expanded) };
};

