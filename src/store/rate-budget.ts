/**
 * A rate budget that several processes share through the database: sliding windows of events
 * per key and over all keys, as PostgreSQL keeps them for bridge instances that share it. It
 * knows limits, keys and events, not what they stand for (the bridge keys Teams' sends by
 * conversation). SQLite, which one instance opens, has none: its budget lives in memory.
 */

/** At most `max` events in any `windowMs`. */
export interface RateWindow {
  readonly windowMs: number;
  readonly max: number;
}

export interface SharedRateLimits {
  /** The windows of one key. */
  readonly perKey: readonly RateWindow[];
  /** The windows of all keys together. */
  readonly overall: readonly RateWindow[];
  /**
   * How long an event whose outcome is never reported (its process died) counts as under way;
   * after that it counts as made then. At least as long as the longest call it stands for.
   */
  readonly staleMs: number;
}

/** An event taken (its id, to settle or release it), or how long until one may be. */
export type RateTake = { readonly id: number } | { readonly waitMs: number };

export interface SharedRateStore {
  /**
   * Checks the windows and, when they allow it, records an event under `key` as under way, in
   * one step that no other process interleaves with: an event under way counts as made now
   * until it is settled or released.
   */
  takeRate(key: string, limits: SharedRateLimits): Promise<RateTake>;
  /** The event happened: it counts from now on. */
  settleRate(id: number): Promise<void>;
  /** The event never happened: its place is given back. */
  releaseRate(id: number): Promise<void>;
  /** Nothing under `key` for `ms`, and nothing under any key for `overallMs`. */
  holdRate(key: string, ms: number, overallMs: number): Promise<void>;
}
