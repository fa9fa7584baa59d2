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

export interface TeamsRateLimiter {
  /** Milliseconds until a send to this conversation is allowed; 0 when it is allowed now. */
  delayFor(conversationId: string): number;
  /** A send to this conversation started: it counts against its budget and the global one. */
  record(conversationId: string): void;
  /** Teams answered 429: nothing goes to this conversation for `ms`. */
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
 * Send times, oldest first, kept for the longest window only. With `max` sends allowed per
 * window, the send that must leave the window before the next is allowed is the `max`-th most
 * recent one: no counting, no search.
 */
class SendLog {
  private times: number[] = [];
  private head = 0;

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
      const blocking = this.times.length - max;
      if (blocking < this.head) continue;
      const leavesAt = this.times[blocking]! + windowMs;
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
const SWEEP_EVERY_MS = 60 * SECOND;

export const createTeamsRateLimiter = (options: TeamsRateLimiterOptions = {}): TeamsRateLimiter => {
  const now = options.now ?? Date.now;
  const keepMs = longest(TEAMS_LIMITS.perConversation);
  const global = new SendLog(longest(TEAMS_LIMITS.global));
  const conversations = new Map<string, ConversationState>();
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
      if ((last === undefined || last <= at - keepMs) && state.blockedUntil <= at) conversations.delete(key);
    }
  };

  return {
    delayFor(conversationId) {
      const at = now();
      const state = conversations.get(conversationKey(conversationId));
      const ready = Math.max(
        global.readyAt(TEAMS_LIMITS.global, at),
        state ? state.log.readyAt(TEAMS_LIMITS.perConversation, at) : at,
        state?.blockedUntil ?? at,
      );
      return Math.max(0, ready - at);
    },
    record(conversationId) {
      const at = now();
      global.push(at);
      stateOf(conversationKey(conversationId)).log.push(at);
      sweep(at);
    },
    penalize(conversationId, ms) {
      const at = now();
      const state = stateOf(conversationKey(conversationId));
      state.blockedUntil = Math.max(state.blockedUntil, at + Math.max(0, ms));
      sweep(at);
    },
    size: () => conversations.size,
  };
};
