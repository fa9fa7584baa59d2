import type { AdaptiveCardJson, CardButton } from '../../cards/types.js';
import type { ConversationKind, Turn } from '../../teams/types.js';
import type { Role } from '../access.js';

/** What a command gets: the turn, and what was typed after its words. */
export interface CommandContext {
  readonly turn: Turn;
  /** The words after the command's own words (quotes removed). */
  readonly args: readonly string[];
  /** The text after the command's words, exactly as typed. */
  readonly text: string;
  /** The text after the first `n` arguments, exactly as typed (an SMS body after its number). */
  restAfter(n: number): string;
  /**
   * Does what the card action `verb` does with `data` (as if a form had been submitted with
   * these values) and posts its cards: a command and its form share one path, one validation
   * and one exactly-once rule.
   */
  perform(verb: string, data: Readonly<Record<string, unknown>>): Promise<void>;
  /** Posts a card into the conversation. */
  show(card: AdaptiveCardJson): Promise<void>;
}

export interface Command {
  /** The command words, lower case: `['list', 'create']`. */
  readonly words: readonly string[];
  /** How to type it, for help: `list create <name>`. */
  readonly usage: string;
  readonly summary: string;
  /** Where it makes sense; everywhere when absent. */
  readonly scopes?: readonly ConversationKind[];
  /** The role it needs (every member when absent); refused before it runs. */
  readonly role?: Role;
  /** A help-card button (opens the command's form). */
  readonly button?: CardButton;
  run(context: CommandContext): Promise<void>;
}
