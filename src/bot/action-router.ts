import { createHash } from 'node:crypto';
import type { AdaptiveCardJson } from '../cards/types.js';
import type { Logger } from '../log.js';
import type { AccessPolicy } from './access.js';
import type { ActionContext, ActionOutcome, CardAction } from './actions/action.js';
import type { CardRenderer, SubmissionLedger } from './deps.js';
import { describeError } from './error-card.js';

export interface ActionRouterDeps {
  /** The store's ledger; a claim's TTL is short for a click of a reusable card (minutes). */
  readonly submissions: SubmissionLedger;
  readonly cards: CardRenderer;
  readonly access: AccessPolicy;
  readonly logger: Logger;
}

/**
 * How long a click of a reusable card (a thread's Reply field) is remembered: long enough for a
 * double-click and Teams' retries of a slow invoke, short enough that the same short text sent
 * again later from the same card is sent.
 */
export const REUSABLE_CLICK_TTL_MS = 5 * 60 * 1000;

/** A short digest of what a click submitted (its keys sorted): the same words read the same. */
const digestOf = (data: Readonly<Record<string, unknown>>): string =>
  createHash('sha256')
    .update(JSON.stringify(Object.keys(data).sort().map((key) => [key, data[key]])))
    .digest('base64url')
    .slice(0, 22);

const isCard = (value: unknown): value is AdaptiveCardJson =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'AdaptiveCard';

/**
 * Routes a card action to the action registered for its verb. Actions marked `once` run at
 * most once per clicked card and verb: a second click gets the first click's result (or a
 * "still working" card while the first runs). When an action did nothing (`retry`), the claims
 * are released so the corrected card can be submitted again.
 */
export const createActionRouter = (actions: readonly CardAction[], deps: ActionRouterDeps) => {
  const byVerb = new Map(actions.map((action) => [action.verb, action]));
  const log = deps.logger.child({ module: 'actions' });

  const failure = (error: unknown, context: ActionContext): ActionOutcome => {
    const described = describeError(error, context.turn.activityId);
    log.warn({ verb: context.verb, activityId: context.turn.activityId, code: (error as { code?: unknown }).code, err: error }, 'card action failed');
    return { replace: deps.cards.render('error', described.card), settled: described.retry ? 'retry' : 'done' };
  };

  const attempt = async (action: CardAction, context: ActionContext): Promise<ActionOutcome> => {
    try {
      return await action.run(context);
    } catch (error) {
      return failure(error, context);
    }
  };

  const duplicateOutcome = async (key: string, action: CardAction, context: ActionContext): Promise<ActionOutcome> => {
    log.info({ verb: context.verb, activityId: context.turn.activityId }, 'duplicate submission ignored');
    // A typed message delivered twice: its answer was (or is being) posted once already.
    if (context.onceKeys.some((k) => k.startsWith('message:'))) return {};
    const earlier = await deps.submissions.getSubmission(key);
    if (earlier?.state === 'done' && isCard(earlier.result)) return { replace: earlier.result };
    // A reusable card (a customer's card with its Reply field) stays as it is: the first click answers.
    if (action.once === 'per-activity') return {};
    return {
      replace: deps.cards.render('done', {
        title: 'Already on its way',
        message: 'This was submitted already; it is acted on once. The result will show here.',
        facts: [],
        buttons: [],
      }),
    };
  };

  /** Claims every key, in order; on the first taken one, gives back those claimed and names it. */
  const claimAll = async (keys: readonly string[], ttlMs: number | undefined): Promise<{ taken?: string }> => {
    const claimed: string[] = [];
    for (const key of keys) {
      if ((await deps.submissions.claimSubmission(key, ttlMs)) === 'claimed') {
        claimed.push(key);
        continue;
      }
      await Promise.all(claimed.map((k) => deps.submissions.releaseSubmission(k)));
      return { taken: key };
    }
    return {};
  };

  /**
   * The keys a run claims, and for how long. A reusable card's click is its card and what it
   * submitted, for a few minutes (never the invoke's id: Teams retries a slow invoke under a new
   * one, and a double-click sends two); a typed message, its own id.
   */
  const claimsOf = (action: CardAction, context: ActionContext): { scopes: readonly string[]; ttlMs?: number } => {
    if (action.once !== 'per-activity') return { scopes: context.onceKeys };
    if (context.onceKeys.some((k) => k.startsWith('message:'))) return { scopes: [`activity:${context.turn.activityId ?? ''}`] };
    const digest = digestOf(context.data);
    return { scopes: context.onceKeys.map((scope) => `${scope}|submitted:${digest}`), ttlMs: REUSABLE_CLICK_TTL_MS };
  };

  const runOnce = async (action: CardAction, context: ActionContext): Promise<ActionOutcome> => {
    const { scopes, ttlMs } = claimsOf(action, context);
    const keys = scopes.map((scope) => `${context.turn.conversation.id}|${scope}|${action.verb}`);
    const { taken } = await claimAll(keys, ttlMs);
    if (taken !== undefined) return duplicateOutcome(taken, action, context);
    const outcome = await attempt(action, context);
    if (outcome.settled === 'retry') await Promise.all(keys.map((key) => deps.submissions.releaseSubmission(key)));
    else await Promise.all(keys.map((key) => deps.submissions.completeSubmission(key, outcome.replace ?? null)));
    return outcome;
  };

  return {
    has: (verb: string) => byVerb.has(verb),
    async run(context: ActionContext): Promise<ActionOutcome> {
      const action = byVerb.get(context.verb);
      if (!action) {
        log.warn({ verb: context.verb }, 'unknown card action');
        return {
          replace: deps.cards.render('error', {
            title: 'This card is out of date',
            message: 'Its button is no longer known to the bot. Type help to start again.',
            details: [],
          }),
        };
      }
      const permission = typeof action.permission === 'function' ? action.permission(context.data) : action.permission;
      if (permission) {
        try {
          deps.access.verify(context.turn.user, permission.role, permission.what);
        } catch (error) {
          log.info({ verb: context.verb, activityId: context.turn.activityId, role: permission.role }, 'card action refused: role');
          return { replace: deps.cards.render('error', describeError(error, context.turn.activityId).card), settled: 'retry' };
        }
      }
      return action.once ? runOnce(action, context) : attempt(action, context);
    },
  };
};
export type ActionRouter = ReturnType<typeof createActionRouter>;
