import type { Logger } from '../log.js';
import type { OutboxStore } from '../store/relay.js';
import { storeFailureReason, type StoreCheck } from '../store/write-probe.js';
import type { ClickSendCheck, ClickSendReachability } from './clicksend-reachability.js';

/** Whether Teams posts flow: the oldest post in line, counted from when it was queued. */
export type TeamsCheck =
  | { readonly ok: true; readonly oldestQueuedSeconds: number }
  | { readonly ok: false; readonly oldestQueuedSeconds?: number; readonly reason: string };

/**
 * What /readyz answers: `ok` (the status: 200 or 503) and each check with its reason. Only the
 * store and Teams decide `ok`; ClickSend is reported beside them.
 */
export interface Readiness {
  readonly ok: boolean;
  readonly checks: {
    readonly store: StoreCheck;
    readonly teams?: TeamsCheck;
    readonly clicksend?: ClickSendCheck;
  };
}

export interface ReadinessDeps {
  /** The store's write probe, cached (see store/write-probe.ts). */
  readonly store: () => Promise<StoreCheck>;
  readonly outbox: Pick<OutboxStore, 'outboxStats'>;
  /** A post waiting longer than this since it was queued means Teams is not taking posts (`READYZ_MAX_OUTBOX_AGE`). */
  readonly maxOutboxAgeMs: number;
  /** Absent without ClickSend credentials; `check` makes one cheap call when nothing was heard for a minute. */
  readonly clicksend?: { readonly reachability: ClickSendReachability; readonly check?: () => Promise<unknown> };
  readonly logger: Logger;
  readonly now?: () => Date;
}

const teamsCheck = async (deps: ReadinessDeps, now: () => Date): Promise<TeamsCheck> => {
  let stats: Awaited<ReturnType<OutboxStore['outboxStats']>>;
  try {
    stats = await deps.outbox.outboxStats();
  } catch (error) {
    return { ok: false, reason: `the outbox could not be read (${storeFailureReason(error)})` };
  }
  const ageMs = stats.oldestQueuedAt ? Math.max(0, now().getTime() - stats.oldestQueuedAt.getTime()) : 0;
  const oldestQueuedSeconds = Math.round(ageMs / 1000);
  if (ageMs <= deps.maxOutboxAgeMs) return { ok: true, oldestQueuedSeconds };
  // The same words for as long as it lasts (the age is beside them), so that it is logged once.
  const reason = `a post has waited longer than READYZ_MAX_OUTBOX_AGE (${deps.maxOutboxAgeMs / 1000} s) for Teams since it was queued`;
  return { ok: false, oldestQueuedSeconds, reason };
};

/** The failing checks' reasons, as one value that changes when the bridge's state does. */
const failures = (checks: Readiness['checks']): Record<string, string> =>
  Object.fromEntries(Object.entries(checks).flatMap(([name, check]) => (check && !check.ok ? [[name, check.reason]] : [])));

/**
 * The readiness check: the store takes a write, and no post due to Teams has waited too long
 * (rows waiting for a link or parked do not count). Logs when the answer changes, not at every
 * poll of a load balancer.
 */
export const createReadinessCheck = (deps: ReadinessDeps) => {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ module: 'readiness' });
  let lastFailures = '{}';
  return async (): Promise<Readiness> => {
    const [store, teams] = await Promise.all([deps.store(), teamsCheck(deps, now)]);
    const clicksend = deps.clicksend ? deps.clicksend.reachability.report(deps.clicksend.check) : undefined;
    const checks = { store, teams, ...(clicksend ? { clicksend } : {}) };
    const failing = failures(checks);
    const signature = JSON.stringify(failing);
    if (signature !== lastFailures) {
      if (signature === '{}') log.info('ready again');
      else log.warn({ failing }, 'not ready');
      lastFailures = signature;
    }
    return { ok: store.ok && teams.ok, checks };
  };
};
