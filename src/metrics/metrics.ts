import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxStore } from '../store/relay.js';
import type { ClickSendMetrics, TeamsMetrics, TeamsOperation, TeamsOutcome, WebhookKind, WebhookMetrics, WebhookOutcome } from './instruments.js';

export interface MetricsDeps {
  readonly version: string;
  /** Read at every scrape for the outbox gauges. */
  readonly outbox: Pick<OutboxStore, 'outboxStats'>;
  /**
   * Whether the store takes writes (the cached write probe /readyz reads too), for
   * `bridge_store_up`; without it, whether the scrape's outbox query was answered.
   */
  readonly storeUp?: () => Promise<boolean>;
  /** Told of every ClickSend exchange, as `clicksend.call` is (for /readyz's ClickSend check). */
  readonly onClickSendCall?: (operation: string, result: string) => void;
  readonly now?: () => Date;
}

export interface Metrics {
  /** This app's own registry (never prom-client's global one: tests run several apps in one process). */
  readonly registry: Registry;
  readonly webhooks: WebhookMetrics;
  readonly teams: TeamsMetrics;
  readonly clicksend: ClickSendMetrics;
}

const PREFIX = 'bridge_';
const TEAMS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ACCEPTED: Record<WebhookKind, readonly WebhookOutcome[]> = { inbound: ['stored', 'duplicate'], receipt: ['applied', 'not_ours'] };

/** Every instrument of the bridge on a registry of its own, with Node's process metrics. */
export const createMetrics = (deps: MetricsDeps): Metrics => {
  const registry = new Registry();
  const registers = [registry];
  const now = deps.now ?? (() => new Date());
  collectDefaultMetrics({ register: registry, prefix: PREFIX });

  new Gauge({ name: `${PREFIX}build_info`, help: 'Always 1; the version of the running bridge.', labelNames: ['version'], registers }).set(
    { version: deps.version },
    1,
  );

  const received = new Counter({
    name: `${PREFIX}webhook_received_total`,
    help: 'ClickSend pushes accepted (answered 200), by webhook and what became of them.',
    labelNames: ['kind', 'outcome'],
    registers,
  });
  // Bound once: the ingest path then only adds, with no label objects to build per request.
  // Every pair starts at 0, so that rates work from the first scrape.
  const bind = (kind: string, outcome: string) => {
    const child = received.labels(kind, outcome);
    child.inc(0);
    return child;
  };
  const accepted = Object.fromEntries(
    Object.entries(ACCEPTED).map(([kind, outcomes]) => [kind, Object.fromEntries(outcomes.map((o) => [o, bind(kind, o)]))]),
  ) as Record<WebhookKind, Partial<Record<WebhookOutcome, { inc(): void }>>>;
  const rejected = new Counter({
    name: `${PREFIX}webhook_rejected_total`,
    help: 'ClickSend pushes answered with an error status, by webhook and status.',
    labelNames: ['kind', 'status'],
    registers,
  });

  const teamsDuration = new Histogram({
    name: `${PREFIX}teams_request_duration_seconds`,
    help: 'Proactive Teams calls (outbox posts) and how long they took, by operation and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: TEAMS_BUCKETS,
    registers,
  });
  const throttled = new Counter({
    name: `${PREFIX}teams_throttled_total`,
    help: 'Proactive Teams calls answered 429, by operation.',
    labelNames: ['operation'],
    registers,
  });
  const teamsCalls = new Map<string, { observe(seconds: number): void }>();
  const teamsCall = (operation: TeamsOperation, outcome: TeamsOutcome) => {
    const key = `${operation} ${outcome}`;
    let bound = teamsCalls.get(key);
    if (!bound) teamsCalls.set(key, (bound = teamsDuration.labels(operation, outcome)));
    return bound;
  };
  for (const operation of ['createThread', 'post', 'update'] as const) throttled.labels(operation).inc(0);

  const clicksendCalls = new Counter({
    name: `${PREFIX}clicksend_requests_total`,
    help: 'HTTP exchanges with ClickSend, by operation and result (ok, invalid_response, http_429, http_4xx, http_5xx, or an error code).',
    labelNames: ['operation', 'result'],
    registers,
  });
  const messages = new Counter({
    name: `${PREFIX}clicksend_messages_total`,
    help: 'Messages of the sends ClickSend answered, by channel (sms, mms, voice, fax, letter, postcard) and whether it accepted them.',
    labelNames: ['channel', 'result'],
    registers,
  });

  registerOutboxGauges(registry, deps.outbox, now, deps.storeUp);
  const onClickSendCall = deps.onClickSendCall;

  return {
    registry,
    webhooks: {
      accepted: (kind, outcome) => accepted[kind][outcome]?.inc(),
      rejected: (kind, status) => rejected.inc({ kind, status: String(status) }),
    },
    teams: {
      call(operation, outcome, seconds) {
        teamsCall(operation, outcome).observe(seconds);
        if (outcome === 'throttled') throttled.labels(operation).inc();
      },
    },
    clicksend: {
      call(operation, result) {
        clicksendCalls.inc({ operation, result });
        onClickSendCall?.(operation, result);
      },
      sent(channel, acceptedCount, refusedCount) {
        if (acceptedCount > 0) messages.inc({ channel, result: 'accepted' }, acceptedCount);
        if (refusedCount > 0) messages.inc({ channel, result: 'refused' }, refusedCount);
      },
    },
  };
};

/**
 * The outbox gauges, read from the store when scraped: one query per scrape, shared by the
 * gauges (prom-client collects them side by side).
 */
const registerOutboxGauges = (
  registry: Registry,
  outbox: Pick<OutboxStore, 'outboxStats'>,
  now: () => Date,
  storeUp: MetricsDeps['storeUp'],
): void => {
  const registers = [registry];
  let reading: ReturnType<OutboxStore['outboxStats']> | undefined;
  const stats = () => {
    reading ??= outbox.outboxStats().finally(() => (reading = undefined));
    return reading;
  };
  const isStoreUp = storeUp ?? (() => stats().then(() => true, () => false));
  new Gauge({
    name: `${PREFIX}outbox_rows`,
    help: 'Outbox rows (Teams posts to make) by state: pending (in line, being posted included), waiting (for a channel link), parked (Teams refused for good).',
    labelNames: ['state'],
    registers,
    async collect() {
      this.reset();
      const read = await stats().catch(() => undefined);
      if (!read) return;
      this.set({ state: 'pending' }, read.pending);
      this.set({ state: 'waiting' }, read.waiting);
      this.set({ state: 'parked' }, read.parked);
    },
  });
  new Gauge({
    name: `${PREFIX}outbox_oldest_age_seconds`,
    help: 'How long the oldest outbox row in line has been waiting since it was queued (0 when none is, or the store did not answer); parked rows and rows waiting for a link do not count.',
    registers,
    async collect() {
      this.reset();
      const read = await stats().catch(() => undefined);
      if (read) this.set(read.oldestQueuedAt ? Math.max(0, (now().getTime() - read.oldestQueuedAt.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: `${PREFIX}store_up`,
    help: '1 when the store took the write probe of /readyz (a committed write, at most a second old), else 0.',
    registers,
    async collect() {
      this.set((await isStoreUp().catch(() => false)) ? 1 : 0);
    },
  });
};
