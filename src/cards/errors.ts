import { BridgeError } from '../errors.js';

export type CardRenderProblem = 'unbound-field' | 'too-large' | 'bad-template';

/**
 * A card could not be built: its template is missing or malformed, it references a field the
 * data does not have (the templating library would leave `${field}` in the card), or the
 * result is too big for Teams. The message names template expressions, never user data.
 */
export class CardRenderError extends BridgeError {
  readonly code = 'ERR_CARD_RENDER' as const;
  readonly card: string;
  readonly problem: CardRenderProblem;

  constructor(details: { card: string; problem: CardRenderProblem; message: string; cause?: unknown }) {
    super(`Card "${details.card}": ${details.message}`, { cause: details.cause });
    this.card = details.card;
    this.problem = details.problem;
  }
}
