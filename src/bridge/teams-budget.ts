import type { Logger } from '../log.js';
import type { SharedRateLimits, SharedRateStore } from '../store/rate-budget.js';
import { conversationKey, GLOBAL_PENALTY_MAX_MS, TEAMS_LIMITS } from '../teams/rate-limits.js';

/** A send's place in Teams' budget (see `SendReservation` in `src/teams/rate-limits.ts`); neither call rejects. */
export interface BudgetReservation {
  settle(): void | Promise<void>;
  release(): void | Promise<void>;
}

/**
 * Teams' budget per conversation and overall: kept in memory by one instance
 * (`src/teams/rate-limits.ts`), or shared through PostgreSQL by several (below).
 */
export interface TeamsBudget {
  /**
   * Checks the budget and reserves a send to this conversation in one step: its reservation, or
   * the milliseconds until one may go. Rejects when the budget cannot be read (its store failed).
   */
  take(conversationId: string): BudgetReservation | number | Promise<BudgetReservation | number>;
  /** Milliseconds until a send to this conversation may go, as far as this instance knows (a hint). */
  delayFor(conversationId: string): number;
  /** Teams answered 429: see `TeamsRateLimiter.penalize`. */
  penalize(conversationId: string, ms: number): void;
}

export interface SharedTeamsBudgetDeps {
  readonly rates: SharedRateStore;
  readonly log: Logger;
}

const SHARED_LIMITS: SharedRateLimits = {
  perKey: TEAMS_LIMITS.perConversation,
  overall: TEAMS_LIMITS.global,
  // Longer than a Teams call may take (the gateway gives up at 90 s): a send whose instance died
  // on the way counts as under way that long, then as made.
  staleMs: 120_000,
};
/** A 429 holds back the other channels at most this long (see `TeamsRateLimiter.penalize`). */

/**
 * Teams' budget shared by every instance on one PostgreSQL: Teams counts the sends of the app,
 * whichever instance made them, so each send is checked and reserved against the sends of all
 * instances (per channel with its threads, and overall) in one locked step in the database.
 * A send an instance started and never settled (it died) counts until it is stale. When the
 * database fails, `take` rejects and the rows go back in line: nothing is posted without a place
 * in the budget. Settling, releasing and holding never reject: a write lost there leaves the
 * budget counting more than Teams did, never less.
 */
export const createSharedTeamsBudget = (deps: SharedTeamsBudgetDeps): TeamsBudget => {
  const log = deps.log.child({ module: 'teams-budget' });
  // What this instance last learned of each conversation's wait (when it may send, Date.now ms).
  const readyAt = new Map<string, number>();
  const learn = (key: string, waitMs: number): void => {
    readyAt.set(key, Math.max(readyAt.get(key) ?? 0, Date.now() + waitMs));
  };
  const quietly = (what: string, write: () => Promise<void>) => () =>
    write().catch((error: unknown) => log.warn({ err: error, what }, 'could not update the shared Teams budget; it counts more for a while'));

  return {
    async take(conversationId) {
      const key = conversationKey(conversationId);
      const taken = await deps.rates.takeRate(key, SHARED_LIMITS);
      if ('waitMs' in taken) {
        learn(key, taken.waitMs);
        return taken.waitMs;
      }
      readyAt.delete(key);
      return {
        settle: quietly('settle', () => deps.rates.settleRate(taken.id)),
        release: quietly('release', () => deps.rates.releaseRate(taken.id)),
      };
    },
    delayFor(conversationId) {
      const key = conversationKey(conversationId);
      const wait = (readyAt.get(key) ?? 0) - Date.now();
      if (wait > 0) return wait;
      readyAt.delete(key);
      return 0;
    },
    penalize(conversationId, ms) {
      const key = conversationKey(conversationId);
      learn(key, ms);
      void quietly('hold', () => deps.rates.holdRate(key, ms, Math.min(ms, GLOBAL_PENALTY_MAX_MS)))();
    },
  };
};
