/**
 * Teams' published bot rate limits, kept on our side so that the outbox waits instead of
 * collecting 429s. Microsoft's "per thread" means per conversation: a channel and all its reply
 * threads share one budget, so every id is keyed without its `;messageid=` suffix.
 */

export interface RateWindow {
  readonly windowMs: number;
  readonly max: number;
}

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;

/** Sends (posts, replies, updates, new threads) a bot may make; the benchmark reuses the table. */
export const TEAMS_LIMITS = {
  /** Per conversation key (a channel with all its threads, a group chat, a 1:1 chat). */
  perConversation: [
    { windowMs: 1 * SECOND, max: 7 },
    { windowMs: 2 * SECOND, max: 8 },
    { windowMs: 30 * SECOND, max: 60 },
    { windowMs: HOUR, max: 1_800 },
  ],
  /** All conversations of the app together (Microsoft: "about 50 per second per app per tenant"). */
  global: [{ windowMs: 1 * SECOND, max: 50 }],
} as const satisfies { perConversation: readonly RateWindow[]; global: readonly RateWindow[] };

export interface TeamsRateLimiterOptions {
  /** Milliseconds; `Date.now` unless a test drives the clock. */
  readonly now?: () => number;
}

/**
 * A send that has started and not been answered. It holds a place in its conversation's windows
 * and the global one from the start, so that sends started at once in other conversations see
 * it; Teams counts it when it arrives, which we cannot see, so once answered it is counted at
 * the answer (by then Teams has counted it, however long it took to get there).
 */
export interface SendReservation {
  /** Teams answered (whatever it said): the send counts from now on. */
  settle(): void;
  /** The send never reached Teams: its place is given back. */
  release(): void;
}

export interface TeamsRateLimiter {
  /** Milliseconds until a send to this conversation is allowed, sends in flight included; 0 when it is allowed now. */
  delayFor(conversationId: string): number;
  /**
   * A send to this conversation starts now (check `delayFor` first, in the same tick): it
   * counts against its budget and the global one until it is settled or released.
   */
  reserve(conversationId: string): SendReservation;
  /** `delayFor` and, when it is 0, `reserve`, in one step: the reservation, or the milliseconds to wait. */
  take(conversationId: string): SendReservation | number;
  /** A send made and answered now: `reserve(id).settle()`. */
  record(conversationId: string): void;
  /**
   * Teams answered 429: nothing goes to this conversation for `ms`, and nothing anywhere for up
   * to the global window, since Teams does not say which limit it was.
   */
  penalize(conversationId: string, ms: number): void;
  /** How many conversation keys are remembered (idle ones are forgotten after an hour). */
  size(): number;
}

/** The budget key of a conversation: a thread (`19:...;messageid=123`) counts as its channel. */
export const conversationKey = (conversationId: string): string => {
  const at = conversationId.indexOf(';messageid=');
  return at === -1 ? conversationId : conversationId.slice(0, at);
};

/**
 * Send times, oldest first, kept for the longest window only, and the sends in flight, which
 * count as the most recent. With `max` sends allowed per window, the send that must leave the
 * window before the next is allowed is the `max`-th most recent one: no counting, no search.
 */
class SendLog {
  private times: number[] = [];
  private head = 0;
  /** Sends started and not yet answered. */
  inFlight = 0;

  constructor(private readonly keepMs: number) {}

  get last(): number | undefined {
    return this.head < this.times.length ? this.times[this.times.length - 1] : undefined;
  }

  push(now: number): void {
    // A clock that steps back must not unsort the log.
    this.times.push(Math.max(now, this.last ?? now));
    this.prune(now);
  }

  /** When the windows allow one more send (`now` or later). */
  readyAt(limits: readonly RateWindow[], now: number): number {
    let ready = now;
    for (const { windowMs, max } of limits) {
      const blocking = this.times.length + this.inFlight - max;
      if (blocking < this.head) continue;
      // A send in flight leaves the window no sooner than a window after now (after its answer):
      // the caller asks again then.
      const leavesAt = (blocking < this.times.length ? this.times[blocking]! : now) + windowMs;
      if (leavesAt > ready) ready = leavesAt;
    }
    return ready;
  }

  private prune(now: number): void {
    const cutoff = now - this.keepMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head += 1;
    // Compact once the dead prefix outweighs the live part, so pushes stay amortised O(1).
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

interface ConversationState {
  readonly log: SendLog;
  blockedUntil: number;
}

const longest = (limits: readonly RateWindow[]): number => Math.max(...limits.map((limit) => limit.windowMs));
/** The longest Teams holds every conversation back after a 429 it does not place. */
export const GLOBAL_PENALTY_MAX_MS = longest(TEAMS_LIMITS.global);
const SWEEP_EVERY_MS = 60 * SECOND;

export const createTeamsRateLimiter = (options: TeamsRateLimiterOptions = {}): TeamsRateLimiter => {
  const now = options.now ?? Date.now;
  const keepMs = longest(TEAMS_LIMITS.perConversation);
  const global = new SendLog(longest(TEAMS_LIMITS.global));
  const conversations = new Map<string, ConversationState>();
  let globalBlockedUntil = 0;
  let lastSweep = now();

  const stateOf = (key: string): ConversationState => {
    let state = conversations.get(key);
    if (!state) {
      state = { log: new SendLog(keepMs), blockedUntil: 0 };
      conversations.set(key, state);
    }
    return state;
  };

  // Forget conversations with nothing in any window and no penalty left; runs at most once a minute.
  const sweep = (at: number): void => {
    if (at - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = at;
    for (const [key, state] of conversations) {
      const last = state.log.last;
      const idle = (last === undefined || last <= at - keepMs) && state.log.inFlight === 0;
      if (idle && state.blockedUntil <= at) conversations.delete(key);
    }
  };

  const reserve = (conversationId: string): SendReservation => {
    const state = stateOf(conversationKey(conversationId));
    global.inFlight += 1;
    state.log.inFlight += 1;
    let open = true;
    const close = (counted: boolean): void => {
      if (!open) return;
      open = false;
      global.inFlight -= 1;
      state.log.inFlight -= 1;
      const at = now();
      if (counted) {
        global.push(at);
        state.log.push(at);
      }
      sweep(at);
    };
    return { settle: () => close(true), release: () => close(false) };
  };

  const delayFor = (conversationId: string): number => {
    const at = now();
    const state = conversations.get(conversationKey(conversationId));
    const ready = Math.max(
      global.readyAt(TEAMS_LIMITS.global, at),
      globalBlockedUntil,
      state ? state.log.readyAt(TEAMS_LIMITS.perConversation, at) : at,
      state?.blockedUntil ?? at,
    );
    return Math.max(0, ready - at);
  };

  return {
    delayFor,
    reserve,
    take(conversationId) {
      const delay = delayFor(conversationId);
      return delay === 0 ? reserve(conversationId) : delay;
    },
    record(conversationId) {
      reserve(conversationId).settle();
    },
    penalize(conversationId, ms) {
      const at = now();
      const wait = Math.max(0, ms);
      const state = stateOf(conversationKey(conversationId));
      state.blockedUntil = Math.max(state.blockedUntil, at + wait);
      // A refusal by the 50/s limit clears within its window; one by the channel's costs the
      // others at most that.
      globalBlockedUntil = Math.max(globalBlockedUntil, at + Math.min(wait, GLOBAL_PENALTY_MAX_MS));
      sweep(at);
    },
    size: () => conversations.size,
  };
};
