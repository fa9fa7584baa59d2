import type { OutboxStore } from '../store/relay.js';

/** What /readyz answers: ready, or why not. */
export type Readiness =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'store' }
  | { readonly ok: false; readonly reason: 'outbox'; readonly oldestAgeSeconds: number };

export interface ReadinessDeps {
  readonly outbox: Pick<OutboxStore, 'outboxStats'>;
  /** A due outbox row waiting longer than this means nobody is delivering (`READYZ_MAX_OUTBOX_AGE`). */
  readonly maxOutboxAgeMs: number;
  readonly now?: () => Date;
}

/**
 * The readiness check: one outbox query, which also proves the store answers (it throws when
 * the store does not). Rows waiting for a link or parked do not count: only rows a worker
 * should be taking now.
 */
export const createReadinessCheck = (deps: ReadinessDeps) => {
  const now = deps.now ?? (() => new Date());
  return async (): Promise<Readiness> => {
    const stats = await deps.outbox.outboxStats();
    const ageMs = stats.oldestQueuedAt ? now().getTime() - stats.oldestQueuedAt.getTime() : 0;
    return ageMs > deps.maxOutboxAgeMs ? { ok: false, reason: 'outbox', oldestAgeSeconds: Math.round(ageMs / 1000) } : { ok: true };
  };
};
