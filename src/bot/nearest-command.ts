import type { Command } from './commands/command.js';

/** The longest word looked at: a longer one is cut first, so a 100 KB "word" costs what 40 characters do. */
export const MAX_WORD_LENGTH = 40;

/** The first word of typed text, cut to `MAX_WORD_LENGTH` before anything reads it. */
export const firstWord = (text: string): string => /^\S*/.exec(text.slice(0, MAX_WORD_LENGTH))?.[0] ?? '';

/**
 * Optimal string alignment distance (Damerau-Levenshtein where no substring is edited twice):
 * inserting, deleting or changing a character, or swapping two neighbours, is one step each, so
 * `lnik` is one step from `link`. Two rows of the table and the one before; O(|a|·|b|).
 */
export const editDistance = (a: string, b: string): number => {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      row.push(best);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
};

/** How far a typed word may be from a command word to be taken for a typo of it: one step, two for long words. */
const tolerance = (word: string): number => (word.length <= 5 ? 1 : 2);

/**
 * The commands a mistyped first word most likely meant, as their words (`links`; `list create`
 * and `list delete` for `list` or `lst`), nearest first word only; none when nothing is near.
 */
export const nearestCommands = (typed: string, commands: readonly Command[]): string[] => {
  const word = firstWord(typed).toLowerCase();
  if (!word) return [];
  let best = tolerance(word);
  let nearest: string[] = [];
  for (const first of new Set(commands.map((c) => c.words[0] ?? ''))) {
    // Lengths further apart than that cannot be nearer: no table needed.
    if (Math.abs(first.length - word.length) > best) continue;
    const distance = editDistance(word, first);
    if (distance < best) [best, nearest] = [distance, [first]];
    else if (distance === best) nearest.push(first);
  }
  return commands.filter((c) => nearest.includes(c.words[0] ?? '')).map((c) => c.words.join(' '));
};

/** The unknown-command card's advice: the nearest commands when there are any, and always help. */
export const unknownCommandAdvice = (typed: string, commands: readonly Command[]): string => {
  // Help is named anyway.
  const near = nearestCommands(typed, commands)
    .filter((words) => words !== 'help')
    .slice(0, 3)
    .map((words) => `"${words}"`);
  const guess = near.length === 0 ? '' : `Did you mean ${near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near.at(-1)}`}? `;
  return `${guess}Type help to see every command.`;
};
