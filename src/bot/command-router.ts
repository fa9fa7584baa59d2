import type { Command, CommandContext } from './commands/command.js';
import { restAfter, tokenize } from './parse.js';
import type { Turn } from '../teams/types.js';

export interface CommandMatch {
  readonly command: Command;
  readonly context: Omit<CommandContext, 'perform' | 'show'>;
}

/**
 * Finds the command whose words start the text (case-insensitive; the longest match wins, so
 * `list create` beats a shorter command sharing its first word). Routing is the table alone.
 */
export const matchCommand = (commands: readonly Command[], turn: Turn, text: string): CommandMatch | undefined => {
  const tokens = tokenize(text);
  const lower = tokens.map((t) => t.value.toLowerCase());
  let best: Command | undefined;
  for (const command of commands) {
    const fits = command.words.every((word, i) => lower[i] === word);
    if (fits && command.words.length > (best?.words.length ?? 0)) best = command;
  }
  if (!best) return undefined;
  const used = best.words.length;
  return {
    command: best,
    context: {
      turn,
      args: tokens.slice(used).map((t) => t.value),
      text: restAfter(text, tokens, used - 1),
      restAfter: (n) => restAfter(text, tokens, used - 1 + n),
    },
  };
};
