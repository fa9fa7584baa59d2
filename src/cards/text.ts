/**
 * TextBlocks and FactSets render a Markdown subset in Teams (bold, italic, links, lists), so a
 * customer who texts `[pay here](https://evil.example)` would otherwise get a real link into
 * the card. Backslash escapes are CommonMark, honoured by Teams desktop, web and (since the
 * 2023 mobile fix) iOS and Android.
 */

/** Punctuation that starts inline syntax anywhere in a line: escapes, code, emphasis, links, HTML. */
const INLINE = /[\\`*_~[\]<>|]/g;
/** Entities (`&lt;`, `&#42;`) would be decoded; a plain `&` is left alone. */
const ENTITY = /&(?=#?\w+;)/g;
/** Block syntax at the start of a line: bullets, headings, rules, setext underlines. */
const LINE_MARKER = /^([ \t]*)([-+=#])/gm;
/** An ordered-list number: `1. ` or `1) ` at the start of a line. */
const ORDERED = /^([ \t]*\d{1,9})([.)])(?=[ \t]|$)/gm;

/** Makes `text` show literally in a Markdown-rendering TextBlock or Fact. */
export const escapeMarkdown = (text: string): string =>
  text
    .replace(INLINE, '\\$&')
    .replace(ENTITY, '\\&')
    .replace(LINE_MARKER, '$1\\$2')
    .replace(ORDERED, '$1\\$2');

/** The text a Markdown reader shows for `escapeMarkdown(text)`: the original text. */
export const unescapeMarkdown = (escaped: string): string => escaped.replace(/\\([\s\S])/g, '$1');

/** Whether `text` reads differently as Markdown than as plain text. */
export const hasMarkdownSyntax = (text: string): boolean => escapeMarkdown(text) !== text;
