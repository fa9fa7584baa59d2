import { TeamsDeliveryError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LinkRecord, LinkStore, OutboxRow, OutboxStore, RelayStore } from '../store/relay.js';
import type { ConversationTarget, TeamsGateway } from '../teams/types.js';
import type { RelayCards } from './relay-cards.js';

/** The per-conversation budget of Teams, as `src/teams/rate-limits.ts` keeps it. */
export interface TeamsBudget {
  delayFor(conversationId: string): number;
  record(conversationId: string): void;
  penalize(conversationId: string, ms: number): void;
}

export interface DeliveryDeps {
  readonly store: RelayStore & OutboxStore & Pick<LinkStore, 'findLink'>;
  readonly gateway: TeamsGateway;
  readonly budget: TeamsBudget;
  readonly cards: RelayCards;
  readonly logger: Logger;
  readonly workerId: string;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface DeliveryOptions {
  /** Rows claimed per round (each a different thread). */
  readonly batch?: number;
  readonly leaseMs?: number;
  /** How long the loop sleeps when there is nothing to do. */
  readonly idleMs?: number;
  /** A wait for Teams' budget up to this long happens in place; a longer one puts the row back. */
  readonly maxInlineWaitMs?: number;
  /** The most SMS of one thread in one digest card. */
  readonly maxDigest?: number;
  readonly maxBackoffMs?: number;
}

const BUDGET_MARGIN_MS = 75;

const channelTarget = (link: LinkRecord): ConversationTarget => ({
  conversationId: link.channelId,
  serviceUrl: link.serviceUrl,
  tenantId: link.tenantId,
  botId: link.botId,
});

/**
 * The outbox worker: posts inbound SMS into their customer's thread (making the thread with
 * the first one), our replies' status cards, and their updates; in order per thread, within
 * Teams' budget, retrying what Teams refused for now and parking what it will never take. A
 * row is completed only after Teams accepted it.
 */
export const createDelivery = (deps: DeliveryDeps, options: DeliveryOptions = {}) => {
  const log = deps.logger.child({ module: 'delivery', worker: deps.workerId });
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const batch = options.batch ?? 8;
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 250;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 2_000;
  const maxDigest = options.maxDigest ?? 20;
  const maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;

  /** Waits for the conversation's budget; false when the wait is too long to hold the row. */
  const awaitBudget = async (conversationId: string, ids: readonly number[]): Promise<boolean> => {
    const delay = deps.budget.delayFor(conversationId);
    if (delay > maxInlineWaitMs) {
      await deps.store.retryOutbox(ids, new Date(now().getTime() + delay), 'waiting for the Teams rate limit');
      return false;
    }
    // Teams counts a request when it arrives, we when it starts: a small margin keeps us under.
    if (delay > 0) await sleep(delay + BUDGET_MARGIN_MS);
    deps.budget.record(conversationId);
    return true;
  };

  const deliverInbound = async (row: OutboxRow, messageId: string): Promise<void> => {
    const first = await deps.store.getInbound(messageId);
    if (!first) {
      await deps.store.completeOutbox([row.id]);
      return;
    }
    const link = await deps.store.findLink(first.to);
    if (!link) {
      await deps.store.waitForLink([row.id]);
      log.info({ messageId }, 'no channel linked to the number yet; waiting');
      return;
    }
    const following = await deps.store.claimFollowing(row, deps.workerId, maxDigest - 1, leaseMs);
    const rest = await Promise.all(following.map((r) => (r.task.kind === 'inbound' ? deps.store.getInbound(r.task.messageId) : undefined)));
    const messages = [first, ...rest.filter((m) => m !== undefined)];
    const ids = [row.id, ...following.map((r) => r.id)];
    const card = await deps.cards.inbound(messages);
    if (!(await awaitBudget(link.channelId, ids))) return;
    const thread = await deps.store.getThread(link.channelId, first.to, first.from);
    try {
      if (thread) {
        await deps.gateway.post({ ...channelTarget(link), conversationId: thread.conversationId }, { card });
      } else {
        const created = await deps.gateway.createThread(channelTarget(link), { card });
        await deps.store.saveThread({ channelId: link.channelId, ourNumber: first.to, customerNumber: first.from, ...created, createdAt: now() });
      }
    } catch (error) {
      await fail(ids, row.attempts, link.channelId, error);
      return;
    }
    await deps.store.completeOutbox(ids);
    log.info({ messageIds: messages.map((m) => m.messageId), newThread: !thread }, 'inbound sms posted');
  };

  const threadOf = async (ourNumber: string, customerNumber: string) => {
    const link = await deps.store.findLink(ourNumber);
    const thread = link ? await deps.store.getThread(link.channelId, ourNumber, customerNumber) : undefined;
    return link && thread ? { link, target: { ...channelTarget(link), conversationId: thread.conversationId } } : undefined;
  };

  const deliverOutbound = async (row: OutboxRow, messageId: string, update: boolean): Promise<void> => {
    const message = await deps.store.getOutbound(messageId);
    const place = message ? await threadOf(message.ourNumber, message.customerNumber) : undefined;
    // Nothing to show it in (the thread or link is gone) or, for an update, no card to update.
    if (!message || !place || (update && !message.cardActivityId)) {
      await deps.store.completeOutbox([row.id]);
      return;
    }
    if (!(await awaitBudget(place.link.channelId, [row.id]))) return;
    const card = deps.cards.outbound(message);
    try {
      if (update) await deps.gateway.update(place.target, message.cardActivityId!, { card });
      else {
        const posted = await deps.gateway.post(place.target, { card });
        if (posted.activityId) await deps.store.setOutboundCard(messageId, posted.activityId);
      }
    } catch (error) {
      await fail([row.id], row.attempts, place.link.channelId, error);
      return;
    }
    await deps.store.completeOutbox([row.id]);
  };

  /** Teams refused: park for good, or retry later with backoff and jitter (or when Teams says). */
  const fail = async (ids: readonly number[], attempts: number, channelId: string, error: unknown): Promise<void> => {
    const refusal = error instanceof TeamsDeliveryError ? error : undefined;
    if (refusal?.permanent) {
      await deps.store.parkOutbox(ids, refusal.message, channelId);
      log.error({ ids, status: refusal.status, channelId }, 'teams refused for good; parked');
      return;
    }
    if (refusal?.status === 429) deps.budget.penalize(channelId, refusal.retryAfterMs ?? 1_000);
    const base = Math.min(maxBackoffMs, 1_000 * 2 ** Math.min(attempts, 8));
    const wait = refusal?.retryAfterMs !== undefined ? Math.min(refusal.retryAfterMs, maxBackoffMs) : base * (0.5 + random() / 2);
    await deps.store.retryOutbox(ids, new Date(now().getTime() + wait), refusal?.message ?? String(error));
    log.warn({ ids, status: refusal?.status, waitMs: Math.round(wait) }, 'teams delivery failed; will retry');
  };

  const handle = async (row: OutboxRow): Promise<void> => {
    try {
      switch (row.task.kind) {
        case 'inbound':
          await deliverInbound(row, row.task.messageId);
          return;
        case 'outbound-card':
          await deliverOutbound(row, row.task.messageId, false);
          return;
        case 'outbound-update':
          await deliverOutbound(row, row.task.messageId, true);
          return;
        case 'notice':
          await deps.store.completeOutbox([row.id]);
          return;
        default: {
          const never: never = row.task;
          throw new Error(`unknown outbox task ${JSON.stringify(never)}`);
        }
      }
    } catch (error) {
      // Our own failure (store, card): the lease ends and the row is tried again.
      log.error({ err: error, id: row.id }, 'outbox row failed');
    }
  };

  /** One round: claims due rows of different threads and delivers them side by side. */
  const runOnce = async (): Promise<number> => {
    const rows = await deps.store.claimOutbox(deps.workerId, batch, leaseMs);
    await Promise.all(rows.map(handle));
    return rows.length;
  };

  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  return {
    runOnce,
    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          const done = await runOnce().catch((error: unknown) => {
            log.error({ err: error }, 'outbox round failed');
            return 0;
          });
          if (done === 0 && running) {
            await new Promise<void>((resolve) => {
              wakeUp = resolve;
              setTimeout(resolve, idleMs);
            });
          }
        }
      })();
    },
    /** New work arrived: skip the idle wait. */
    wake(): void {
      wakeUp?.();
    },
    /** Finishes the round in flight, then stops. */
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
};
export type Delivery = ReturnType<typeof createDelivery>;
