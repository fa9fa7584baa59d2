import { TeamsDeliveryError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OutboxRow, OutboxStore } from '../store/relay.js';
import { createChannelTurns } from './channel-turns.js';
import type { BudgetReservation, TeamsBudget } from './teams-budget.js';

export type { TeamsBudget } from './teams-budget.js';

export interface TeamsSendsDeps {
  readonly store: Pick<OutboxStore, 'completeOutbox' | 'retryOutbox' | 'deferOutbox' | 'parkOutbox' | 'startOutboxAttempt'>;
  /** Who holds the rows (the outbox worker's id). */
  readonly worker: string;
  readonly budget: TeamsBudget;
  readonly log: Logger;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export interface TeamsSendsOptions {
  /** A wait for Teams' budget (or a channel's turn) up to this long happens in place; a longer one puts the rows back. */
  readonly maxInlineWaitMs: number;
  readonly maxBackoffMs: number;
}

/**
 * Past the edge of the window. Sends count from Teams' answer, after Teams counted them, so
 * the window needs no more than what millisecond clocks and timers round off; each 2 s
 * window of a busy channel pays it once.
 */
const BUDGET_MARGIN_MS = 10;
/**
 * Rows put back for their channel come back spread over this much after the channel may send
 * again, so that the rows of several waiting channels come back interleaved: claimed in due
 * order, one channel's all first would fill the worker's hands with rows of that one channel.
 */
const COMEBACK_SPREAD_MS = 1_000;
/** The least a row turned away by a busy channel stays away (about what a send takes, and some). */
const BUSY_RETRY_MS = 250;
/** How often a store write that must happen (the outcome of a Teams call) is tried again, at most. */
const PERSIST_MAX_GAP_MS = 2_000;

/** One Teams call for some rows, and what to write once Teams took it (a new thread, a card's id). */
export interface TeamsAttempt<R> {
  readonly post: () => Promise<R>;
  readonly record?: (result: R) => Promise<void>;
  /**
   * An update of a card (its status, its counts) that Teams refuses for good (the card was
   * deleted) is let go: parking it would hold up the customer's thread behind it for nothing.
   */
  readonly update?: boolean;
}

/**
 * How the outbox worker makes one Teams call for some rows: in the channel's turn and budget,
 * completing the rows once Teams accepted, retrying (with backoff) what Teams refused for now
 * and parking what it will never take. It also knows which rows may have reached Teams and
 * are not yet recorded, for a shutdown that cannot wait for them.
 */
export const createTeamsSends = (deps: TeamsSendsDeps, options: TeamsSendsOptions) => {
  const { store, now } = deps;
  const channelTurns = createChannelTurns(options.maxInlineWaitMs);
  let stopping = false;
  // From the start of a Teams call until its outcome is recorded: these may be in Teams already.
  const unrecorded = new Map<readonly number[], string>();
  // Set when the shutdown gives up on what is unrecorded: writes still being retried stop.
  let abandoned = false;

  /**
   * Writes the outcome of a Teams call, again and again while the store fails (a failover, a
   * dropped connection): the call happened, so it is the record that is retried, never the post.
   * The worker keeps the rows' leases meanwhile. Gives up only when the shutdown abandons it.
   */
  const persist = async (what: string, write: () => Promise<unknown>): Promise<boolean> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await write();
        return true;
      } catch (error) {
        if (abandoned) return false;
        if (attempt === 0) deps.log.warn({ err: error, what }, 'could not record a teams outcome; trying again');
        await deps.sleep(Math.min(PERSIST_MAX_GAP_MS, 100 * 2 ** attempt));
      }
    }
  };

  /** When a row put back for its channel comes back: after `delayMs`, spread. */
  const comeBack = (delayMs: number): Date => new Date(now().getTime() + delayMs + deps.random() * COMEBACK_SPREAD_MS);

  /** Puts the rows back for now when the bridge is stopping: they never reached Teams. */
  const holdBack = async (ids: readonly number[]): Promise<boolean> => {
    if (!stopping) return false;
    await store.deferOutbox(ids, now(), 'the bridge stopped before posting it');
    return true;
  };

  /**
   * Waits for the channel's budget and reserves the send in it; undefined when the wait is too
   * long to hold the rows (they go back in line), the budget cannot be read (its store failed:
   * no send without a budget) or the bridge is stopping. The check and the reservation are one
   * step: a send starting in another channel meanwhile counts this one, so that channels starting
   * at once cannot all take the last places of the 50/s budget.
   */
  const reserveBudget = async (channelId: string, ids: readonly number[]): Promise<BudgetReservation | undefined> => {
    let waitedMs = 0;
    for (;;) {
      if (await holdBack(ids)) return undefined;
      let taken: BudgetReservation | number;
      try {
        taken = await deps.budget.take(channelId);
      } catch (error) {
        deps.log.warn({ err: error, ids, channelId }, 'could not read the Teams budget; rows put back');
        await store.deferOutbox(ids, comeBack(BUSY_RETRY_MS), 'the Teams budget could not be read');
        return undefined;
      }
      if (typeof taken !== 'number') {
        // The shared budget answers after a round trip, during which the bridge may have begun to stop.
        if (!stopping) return taken;
        await taken.release();
        continue;
      }
      const delay = taken;
      if (waitedMs + delay > options.maxInlineWaitMs) {
        await store.deferOutbox(ids, comeBack(delay), 'waiting for the Teams rate limit');
        return undefined;
      }
      // Another channel may take the place meanwhile, hence the loop.
      await deps.sleep(delay + BUDGET_MARGIN_MS);
      waitedMs += delay + BUDGET_MARGIN_MS;
    }
  };

  /** Teams refused: park for good, or retry later with backoff and jitter (or when Teams says). */
  const fail = async (ids: readonly number[], attempts: number, channelId: string, error: unknown, update: boolean): Promise<void> => {
    const refusal = error instanceof TeamsDeliveryError ? error : undefined;
    // Our own failure before the call (any other error) posted nothing.
    const outcome = refusal?.maybeDelivered ? 'unknown' : 'refused';
    if (refusal?.permanent && update) {
      await store.completeOutbox(ids);
      deps.log.warn({ ids, status: refusal.status, channelId }, 'teams refused a card update for good (the card may be gone); let go');
      return;
    }
    if (refusal?.permanent) {
      await store.parkOutbox(ids, refusal.message, channelId);
      deps.log.error({ ids, status: refusal.status, channelId }, 'teams refused for good; parked');
      return;
    }
    // The cap applies to the channel's hold as well: an uncapped one would put every row of the
    // channel (this one included) back for as long as Teams said, however long that is.
    const retryAfterMs = refusal?.retryAfterMs === undefined ? undefined : Math.min(refusal.retryAfterMs, options.maxBackoffMs);
    if (refusal?.status === 429) deps.budget.penalize(channelId, retryAfterMs ?? 1_000);
    const base = Math.min(options.maxBackoffMs, 1_000 * 2 ** Math.min(attempts, 8));
    const wait = retryAfterMs ?? base * (0.5 + deps.random() / 2);
    await store.retryOutbox(ids, new Date(now().getTime() + wait), refusal?.message ?? String(error), outcome);
    deps.log.warn({ ids, status: refusal?.status, waitMs: Math.round(wait) }, 'teams delivery failed; will retry');
  };

  /** The call and the record of its outcome, which together are what must not be cut in two. */
  const callAndRecord = async <R>(
    row: OutboxRow,
    ids: readonly number[],
    channelId: string,
    reservation: BudgetReservation,
    attempt: TeamsAttempt<R>,
  ): Promise<boolean> => {
    // The mark goes first: a crash after the call leaves the rows marked as maybe posted. When the
    // store cannot take it, or the rows are no longer ours, nothing is posted.
    const marked = await store.startOutboxAttempt(ids, deps.worker).catch((error: unknown) => error);
    if (marked !== ids.length) {
      await reservation.release();
      if (typeof marked === 'number') deps.log.warn({ ids, held: marked }, 'rows no longer held before posting; left to their new holder');
      else await persist('put back', () => store.deferOutbox(ids, comeBack(BUSY_RETRY_MS), 'the store failed before posting'));
      return false;
    }
    unrecorded.set(ids, channelId);
    try {
      let outcome: { ok: true; result: R } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, result: await attempt.post() };
      } catch (error) {
        outcome = { ok: false, error };
      }
      // Answered, refused or lost on the way: Teams may have counted it, so it counts from now.
      await reservation.settle();
      if (!outcome.ok) {
        await persist('failure', () => fail(ids, row.attempts, channelId, outcome.error, attempt.update === true));
        return false;
      }
      const { result } = outcome;
      const { record } = attempt;
      if (record && !(await persist('record', () => record(result)))) return false;
      return await persist('completion', () => store.completeOutbox(ids));
    } finally {
      unrecorded.delete(ids);
    }
  };

  return {
    /**
     * Makes one Teams call for `ids` (the row and any it carries) in the channel's turn and
     * budget; true once Teams accepted it and the rows are done, false when they were put back
     * or parked.
     */
    async send<R>(row: OutboxRow, ids: readonly number[], channelId: string, attempt: TeamsAttempt<R>): Promise<boolean> {
      if (await holdBack(ids)) return false;
      const release = await channelTurns.take(channelId);
      if (!release) {
        await store.deferOutbox(ids, comeBack(Math.max(BUSY_RETRY_MS, deps.budget.delayFor(channelId))), 'waiting for the channel');
        return false;
      }
      try {
        const reservation = await reserveBudget(channelId, ids);
        if (!reservation) return false;
        return await callAndRecord(row, ids, channelId, reservation, attempt);
      } finally {
        release();
      }
    },
    /** From now on no Teams call starts: rows about to make one go back in line. */
    stop(): void {
      stopping = true;
    },
    /**
     * Puts back the rows whose Teams call started and whose outcome is not recorded (the shutdown
     * could not wait for them), marked as maybe posted: whoever posts them next marks the card as
     * a possible repeat. A store that is down leaves them claimed and marked: the next start of
     * this instance, or another instance after the lease, takes them over the same way.
     */
    async releaseUnrecorded(): Promise<number> {
      abandoned = true;
      const cut = [...unrecorded];
      unrecorded.clear();
      for (const [ids, channelId] of cut) {
        await store
          .retryOutbox(ids, now(), 'the bridge stopped while Teams was taking this post; it may be in the channel already', 'unknown')
          .catch((error: unknown) => deps.log.warn({ err: error, ids }, 'could not put back a post cut short by the shutdown'));
        deps.log.warn({ ids, channelId }, 'shutdown cut a teams post short; it will be posted again marked as a possible repeat');
      }
      return cut.length;
    },
  };
};
