/**
 * Splits a chat command into words. Double or single quotes group words (`sms "0411 111 111"
 * Hi`); each token remembers where it ends so that a command can take the rest of the text
 * exactly as typed (line breaks and spacing of an SMS body matter).
 */
export interface Token {
  readonly value: string;
  /** Index in the text just after the token (after its closing quote). */
  readonly end: number;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

export const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  // Closing quotes that do not occur after the current position. Searching the rest of the
  // text again for every unmatched quote would be quadratic: 100 KB of `“ ` took 20 s.
  const absent = new Set<string>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
    if (i >= text.length) break;
    const close = QUOTES[text[i]!];
    if (close && !absent.has(close)) {
      const endQuote = text.indexOf(close, i + 1);
      if (endQuote === -1) absent.add(close);
      else {
        tokens.push({ value: text.slice(i + 1, endQuote), end: endQuote + 1 });
        i = endQuote + 1;
        continue;
      }
    }
    const start = i;
    while (i < text.length && !/\s/.test(text[i]!)) i += 1;
    tokens.push({ value: text.slice(start, i), end: i });
  }
  return tokens;
};

/** The text after token `index`, as typed, without the whitespace that separates them. */
export const restAfter = (text: string, tokens: readonly Token[], index: number): string => {
  const token = tokens[index];
  if (token === undefined) return '';
  return text.slice(token.end).replace(/^[ \t]*\r?\n?|^\s+/, '').trimEnd();
};

/**
 * Teams puts the bot's mention (`<at>Bot</at>`) in the text; botbuilder removes it, and this
 * also drops HTML Teams may leave around it and normalises non-breaking spaces.
 */
export const cleanCommandText = (text: string): string =>
  text
    .replace(/<at>[^<]*<\/at>/g, '')
    .replace(/\u00a0/g, ' ')
    .trim();
