import type { Logger } from '../log.js';
import type { OutboxRow } from '../store/relay.js';

export interface OutboxWorkerDeps {
  /** Claims up to `limit` due rows for this worker. */
  readonly claim: (limit: number) => Promise<OutboxRow[]>;
  /** Delivers one row; never throws (its own failures end in the store or the log). */
  readonly handle: (row: OutboxRow) => Promise<void>;
  readonly log: Logger;
}

export interface OutboxWorkerOptions {
  /** The most rows in hand at once (each of a different thread). */
  readonly batch: number;
  /** How long the loop sleeps when there is nothing to do. */
  readonly idleMs: number;
  /**
   * The least time from one claim to the next, unless the last one filled every free place.
   * Every claim is a write transaction, and a burst of pushes wakes the loop once per push: it
   * then claims once per gap, for whatever came in during it, instead of once per push. A wake
   * after a quiet spell claims at once.
   */
  readonly minClaimGapMs?: number;
  /** The clock the gap is measured with (tests move it). */
  readonly monotonicNow?: () => number;
}

/** The longest wait between two claims while the store keeps failing them. */
const MAX_FAILURE_BACKOFF_MS = 5_000;

/**
 * The loop that keeps the delivery busy. It claims more rows as soon as one is done, rather
 * than round by round: a round lasts as long as its slowest row (a Teams call that hangs, a
 * channel waiting for its budget), and every other thread and channel would wait for it.
 */
export const createOutboxWorker = (deps: OutboxWorkerDeps, options: OutboxWorkerOptions) => {
  const minGapMs = options.minClaimGapMs ?? 0;
  const clock = options.monotonicNow ?? (() => performance.now());
  let running = false;
  let loop: Promise<void> | undefined;
  const inHand = new Set<Promise<void>>();
  // Set by anything that may make a row claimable (new work, a row done); read before sleeping,
  // so that what happens during a claim is not slept through.
  let stirred = false;
  let wakeUp: (() => void) | undefined;
  const stir = (): void => {
    stirred = true;
    wakeUp?.();
  };

  /**
   * Claims due rows for the free places (up to `batch` in hand) and starts delivering them;
   * true when every place is taken (a backlog: more rows are likely waiting).
   */
  const claimMore = async (): Promise<boolean> => {
    const free = options.batch - inHand.size;
    if (free <= 0) return true;
    const rows = await deps.claim(free);
    for (const row of rows) {
      const delivering: Promise<void> = deps.handle(row).finally(() => {
        inHand.delete(delivering);
        stir();
      });
      inHand.add(delivering);
    }
    return rows.length === free;
  };

  // Claims that failed in a row: the next waits longer, up to MAX_FAILURE_BACKOFF_MS.
  let failures = 0;
  const idle = (ms = options.idleMs) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Waits out the rest of the gap since the claim that started at `claimedAt`; stop cuts it short. */
  const pace = (claimedAt: number) =>
    new Promise<void>((resolve) => {
      const rest = claimedAt + minGapMs - clock();
      if (rest <= 0 || !running) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        stopPacing = undefined;
        resolve();
      }, rest);
      stopPacing = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  let stopPacing: (() => void) | undefined;

  return {
    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          stirred = false;
          const claimedAt = clock();
          const backlog = await claimMore().then(
            (full) => {
              if (failures > 0) deps.log.info({ failedClaims: failures }, 'outbox claims work again');
              failures = 0;
              return full;
            },
            (error: unknown) => {
              // Once per outage, not every round: the store may be down for minutes.
              if (failures === 0) deps.log.error({ err: error }, 'outbox claim failed; trying again with backoff');
              failures += 1;
              return false;
            },
          );
          if (failures > 0 && running) await idle(Math.min(MAX_FAILURE_BACKOFF_MS, options.idleMs * 2 ** Math.min(failures, 10)));
          else if (!stirred && running) await idle();
          wakeUp = undefined;
          // Working through a backlog, a round follows as soon as places free up (each claim
          // fills them all); otherwise wake-ups wait out the gap, so that a burst of them is one claim.
          if (!backlog) await pace(claimedAt);
        }
        await Promise.all(inHand);
      })();
    },
    /** New work arrived: skip the idle wait. */
    wake: stir,
    /** Stops claiming and waits for the rows in hand, up to `graceMs`; false when some were still in hand then. */
    async stop(graceMs = Number.POSITIVE_INFINITY): Promise<boolean> {
      running = false;
      stir();
      stopPacing?.();
      if (!loop) return true;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        loop.then(() => true),
        ...(Number.isFinite(graceMs) ? [new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))] : []),
      ]);
      clearTimeout(timer);
      return finished;
    },
  };
};
