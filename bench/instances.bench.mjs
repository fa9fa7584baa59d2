// 5. Instances: M bridge processes (as `npm start` runs them) share one PostgreSQL database and
// flood C channels of one fake Bot Connector that enforces Teams' limits (per channel with its
// threads 7/1 s, 8/2 s, 60/30 s, 1,800/h; 50/s for the app) and answers 429 beyond them. Teams
// counts the app's sends whichever instance made them, so the instances must keep one budget
// between them. Each SMS comes from a customer of its own (a new thread each: no digest helps),
// pushed round-robin to the live instances; in the `killed` run one instance gets SIGKILL
// half-way, its pushes go to the others and the rows it held wait for their leases (30 s).
// Latency: from the push's 200 to the post that carries the SMS.
import { Pool } from 'undici';
import { openPostgresStore } from '../dist/store/postgres.js';
import { silentLogger } from '../dist/log.js';
import { startFakeConnector } from './lib/fake-connector.mjs';
import { createDatabase } from './lib/postgres.mjs';
import { INBOUND_PATH, startServer, webhookToken } from './lib/processes.mjs';
import { percentile, round } from './lib/stats.mjs';
import { report } from './results.mjs';
import { seedLinks } from './lib/links.mjs';

const N = Number(process.env.BENCH_INSTANCES_N ?? 600);
const CHANNELS = 10;
const SCENARIOS = [
  { instances: 1, kill: false },
  { instances: 3, kill: false },
  { instances: 3, kill: true },
];
const PUSH_CONCURRENCY = 12;
const TIMEOUT_MS = 120_000;

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ourNumber = (c) => `+614800000${String(c).padStart(2, '0')}`;
const customerNumber = (k) => `+6141${1_000_000 + k}`;
const channelId = (c) => `19:bench-channel-${c}@thread.tacv2`;

const connector = await startFakeConnector();

/**
 * Pushes every SMS to the live bridges in turn; a push that finds its bridge dead (killed
 * meanwhile) goes to another, as ClickSend retries. Resolves with each SMS's accepted time.
 */
const pushAll = async (live, token, plan, onHalf) => {
  const pools = new Map();
  const poolOf = (bridge) => pools.get(bridge) ?? pools.set(bridge, new Pool(bridge.url, { connections: PUSH_CONCURRENCY })).get(bridge);
  const acceptedAt = new Map();
  let next = 0;
  let retried = 0;
  await Promise.all(
    Array.from({ length: PUSH_CONCURRENCY }, async () => {
      while (next < plan.length) {
        const m = plan[next++];
        if (next === Math.floor(plan.length / 2)) await onHalf();
        const body = JSON.stringify({ message_id: `i-${m.i}`, from: m.from, to: m.to, body: `Customer text SEQ${m.i}E`, timestamp: Math.floor(Date.now() / 1000) });
        for (let attempt = 0; ; attempt += 1) {
          const bridge = live[(m.i + attempt) % live.length];
          const status = await poolOf(bridge)
            .request({ path: `${INBOUND_PATH}?token=${token}`, method: 'POST', headers: { 'content-type': 'application/json' }, body })
            .then(async (res) => (await res.body.dump(), res.statusCode))
            .catch(() => 0);
          if (status === 200) break;
          retried += 1;
        }
        acceptedAt.set(m.i, Date.now());
      }
    }),
  );
  await Promise.all([...pools.values()].map((pool) => pool.destroy()));
  return { acceptedAt, retried };
};

const rows = [];
for (const scenario of SCENARIOS) {
  const plan = Array.from({ length: N }, (_, i) => ({ i, from: customerNumber(i), to: ourNumber(i % CHANNELS) }));
  const database = await createDatabase('instances');
  await seedLinks(await openPostgresStore({ url: database.url, logger: silentLogger }), { channels: CHANNELS, ourNumber, channelId, serviceUrl: connector.url, tenantId: TENANT });
  const token = webhookToken();
  const bridges = [];
  for (let k = 0; k < scenario.instances; k += 1) bridges.push(await startServer({ env: { DATABASE_URL: database.url, WEBHOOK_TOKEN: token }, name: `bridge-${k}` }));
  connector.reset();
  const live = [...bridges];
  const killed = async () => {
    if (!scenario.kill) return;
    const victim = live.pop();
    victim.child.kill('SIGKILL');
  };

  const started = Date.now();
  const { acceptedAt, retried } = await pushAll(live, token, plan, killed);
  const seenOnce = () => new Set(connector.posts.flatMap((p) => p.messages)).size >= N;
  const complete = await connector.waitUntil(seenOnce, TIMEOUT_MS);
  const elapsed = Date.now() - started;
  await Promise.all(live.map((bridge) => bridge.stop()));
  await database.drop();

  // Each SMS's first post; a second is a duplicate (one marked as a possible repeat is the
  // bridge saying it could not know whether Teams took the first, after a kill).
  const firstAt = new Map();
  let duplicates = 0;
  let markedRepeats = 0;
  let outOfOrder = 0;
  for (const post of connector.posts) {
    for (const i of post.messages) {
      if (!firstAt.has(i)) firstAt.set(i, post.at);
      else if (post.repeat) markedRepeats += 1;
      else duplicates += 1;
    }
  }
  // Per channel, texts of one customer are one each here: order is per thread, checked as posted order of a thread's texts.
  const lastInThread = new Map();
  for (const post of connector.posts) {
    for (const i of post.messages) {
      if ((lastInThread.get(post.thread) ?? -1) > i) outOfOrder += 1;
      lastInThread.set(post.thread, i);
    }
  }
  const latencies = plan.filter((m) => firstAt.has(m.i)).map((m) => firstAt.get(m.i) - acceptedAt.get(m.i)).sort((a, b) => a - b);
  const sends = connector.posts.length + connector.throttled;
  rows.push({
    instances: scenario.instances,
    'killed mid-flood': scenario.kill ? 1 : 0,
    channels: CHANNELS,
    'SMS (1 thread each)': N,
    'all visible in s': complete ? round(elapsed / 1000, 1) : `not after ${TIMEOUT_MS / 1000}`,
    posts: connector.posts.length,
    '429s': connector.throttled,
    '429 share': `${((connector.throttled / Math.max(1, sends)) * 100).toFixed(2)}%`,
    'p50 latency ms': round(percentile(latencies, 50)),
    'p99 latency ms': round(percentile(latencies, 99)),
    'max latency ms': round(latencies.at(-1) ?? Number.NaN),
    missing: N - firstAt.size,
    duplicates,
    'marked repeats': markedRepeats,
    'order violations': outOfOrder,
    'pushes retried': retried,
  });
}
await connector.close();
report('instances', rows, {
  limits: 'per conversation 7/1s, 8/2s, 60/30s, 1800/h; 50/s overall (TEAMS_LIMITS)',
  floor: `${N} posts at 50/s overall take at least ${N / 50} s`,
});
process.exit(0);
