/**
 * A sliding-window limiter: at most `requests` calls start in any `windowMs`. Waiters are
 * served in arrival order. The Power Automate connector throttles ClickSend at 100 calls per
 * connection per 60 s; staying under that keeps us clear of ClickSend's own 429s.
 */
export interface RateLimiterOptions {
  readonly requests: number;
  readonly windowMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RateLimiter {
  /** Resolves when the caller may start one request. */
  acquire(): Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const createRateLimiter = (options: RateLimiterOptions): RateLimiter => {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const starts: number[] = [];
  let queue: Promise<void> = Promise.resolve();

  const takeSlot = async (): Promise<void> => {
    for (;;) {
      const t = now();
      while (starts.length > 0 && starts[0]! <= t - options.windowMs) starts.shift();
      if (starts.length < options.requests) {
        starts.push(t);
        return;
      }
      await sleep(starts[0]! + options.windowMs - t);
    }
  };

  return {
    acquire() {
      const turn = queue.then(takeSlot);
      // A rejected sleep must not wedge every later caller.
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
};
