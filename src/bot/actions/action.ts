import type { AdaptiveCardJson } from '../../cards/types.js';
import type { OutgoingMessage, Turn } from '../../teams/types.js';
import type { Role } from '../access.js';
import type { Command } from '../commands/command.js';

/** A card button or form submission: its verb, and the button's data merged with the inputs. */
export interface ActionContext {
  readonly turn: Turn;
  /**
   * What "once" is counted against; a click is new only while none of them was taken. Card
   * actions: the card id in the button's data and the clicked card's message id (`replyToId`),
   * each when Teams sent it, else the whole submission. Commands: the typed message's own id
   * (a thread reply's `replyToId` is its thread's root, shared by every reply).
   */
  readonly onceKeys: readonly string[];
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ActionOutcome {
  /** Replaces the card that was clicked (a form becomes its result, a page the next page). */
  readonly replace?: AdaptiveCardJson;
  /** A new message in the conversation (e.g. a form opened from the help card). */
  readonly reply?: OutgoingMessage;
  /**
   * `retry`: nothing was done (the input was wrong, ClickSend refused before doing anything),
   * so the same card may be submitted again once corrected. `done` (the default) otherwise.
   */
  readonly settled?: 'done' | 'retry';
  /** Hears the id of the message that shows `replace` once it is posted (a send's card follows its receipts). */
  readonly shown?: (activityId: string) => Promise<void>;
}

/** The role an action needs, and how a refusal names the action ("Sending a letter"). */
export interface Permission {
  readonly role: Role;
  readonly what: string;
}

export interface CardAction {
  readonly verb: string;
  /**
   * Who may run it; every member when absent. A function when the data decide (an SMS to a
   * number needs a sender, one to a whole list an admin). Checked before anything is done.
   */
  readonly permission?: Permission | ((data: Readonly<Record<string, unknown>>) => Permission);
  /**
   * Spends money or changes data: acted on once per card and verb, however often the button
   * is clicked (Teams users double-click, and Teams retries slow invokes). `per-activity` for
   * a card that is used many times (a thread's Reply field): a click is acted on once per card
   * and submitted text for a few minutes (a typed message, once per message).
   */
  readonly once?: boolean | 'per-activity';
  run(context: ActionContext): Promise<ActionOutcome>;
}

/**
 * Looks at typed text (that @mentions the bot, outside personal chats) before the commands do;
 * true when it took the text (a reply typed in a customer's thread is an SMS). `isCommand` says
 * whether the text starts with a command word: a command is never taken as anything else.
 */
export type TextInterceptor = (
  turn: Turn,
  text: string,
  perform: (verb: string, data: Readonly<Record<string, unknown>>) => Promise<void>,
  isCommand: boolean,
) => Promise<boolean>;

/** A slice of the bot: the commands it adds and the card actions its cards use. */
export interface Feature {
  readonly commands: readonly Command[];
  readonly actions: readonly CardAction[];
  readonly intercept?: TextInterceptor;
}
