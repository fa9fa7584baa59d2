// 2. Delivery schedule: N inbound SMS from K customers to numbers linked to C channels are
// pushed to the built bridge (as `npm start` runs it, SQLite) as fast as it takes them; its outbox worker
// posts them into a fake Bot Connector that enforces Teams' limits (per channel with all its
// threads: 7/1 s, 8/2 s, 60/30 s, 1,800/h; 50/s overall) and answers 429 beyond them. Measures
// the time until every SMS is visible in Teams against the theoretical minimum for posting one
// card each (computed, see lib/teams-schedule.mjs), the 429s provoked, and per-thread order.
// Real time, no clock tricks: the flood digest needs at most ~100 posts per channel here.
import { once } from 'node:events';
import { join } from 'node:path';
import { Pool } from 'undici';
import { openSqliteStore } from '../dist/store/sqlite.js';
import { silentLogger } from '../dist/log.js';
import { startFakeConnector } from './lib/fake-connector.mjs';
import { INBOUND_PATH, scratchDir, startServer, webhookToken } from './lib/processes.mjs';
import { round } from './lib/stats.mjs';
import { minimumSchedule } from './lib/teams-schedule.mjs';
import { report } from './results.mjs';
import { seedLinks } from './lib/links.mjs';

const N = Number(process.env.BENCH_DELIVERY_N ?? 2000);
const SCENARIOS = [
  ...[1, 10].flatMap((channels) => [1, 10, 100].map((customers) => ({ n: N, customers, channels }))),
  // Every SMS from a different customer: every post starts a thread, no digest can help, so
  // this one shows the pacing against the limits themselves.
  { n: 120, customers: 120, channels: 1 },
  // The same in each of ten channels: their first second together wants 70 posts, past the
  // 50/s the whole app may make, so this one shows the pacing against the global limit too.
  { n: 1200, customers: 1200, channels: 10 },
];
const PUSH_CONCURRENCY = 16;
const TIMEOUT_FACTOR = 3; // give up at 3x the one-card-each minimum (and at least 60 s)

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ourNumber = (c) => `+614800000${String(c).padStart(2, '0')}`;
const customerNumber = (k) => `+6141${1_000_000 + k}`;
const channelId = (c) => `19:bench-channel-${c}@thread.tacv2`;

const connector = await startFakeConnector();

/** Message i comes from customer i % K to number i % C: each customer writes to one number when C divides K. */
const planOf = ({ n, customers, channels }) =>
  Array.from({ length: n }, (_, i) => ({ i, from: customerNumber(i % customers), to: ourNumber(i % channels), channel: channelId(i % channels) }));

/** Pushes every SMS; the messages of one thread go in order, one at a time, threads side by side. */
const pushAll = async (url, token, plan, prefix) => {
  const pool = new Pool(url, { connections: PUSH_CONCURRENCY });
  const threadOf = new Map();
  for (const m of plan) if (!threadOf.has(`${m.to}|${m.from}`)) threadOf.set(`${m.to}|${m.from}`, threadOf.size);
  const lanes = Array.from({ length: PUSH_CONCURRENCY }, () => []);
  for (const m of plan) lanes[threadOf.get(`${m.to}|${m.from}`) % PUSH_CONCURRENCY].push(m);
  let refused = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      for (const m of lane) {
        const body = JSON.stringify({ message_id: `${prefix}-${m.i}`, from: m.from, to: m.to, body: `Customer text SEQ${m.i}E`, timestamp: Math.floor(Date.now() / 1000) });
        const res = await pool.request({ path: `${INBOUND_PATH}?token=${token}`, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.body.dump();
        if (res.statusCode !== 200) refused += 1;
      }
    }),
  );
  await pool.close();
  return refused;
};

/** Missing, duplicated and out-of-order SMS, from what the connector accepted. */
const check = (plan, posts) => {
  const seen = new Map();
  const lastInThread = new Map();
  let outOfOrder = 0;
  let duplicates = 0;
  const customerOf = new Map(plan.map((m) => [m.i, `${m.to}|${m.from}`]));
  for (const post of posts) {
    for (const i of post.messages) {
      if (seen.has(i)) duplicates += 1;
      seen.set(i, post.at);
      const thread = customerOf.get(i);
      if ((lastInThread.get(thread) ?? -1) > i) outOfOrder += 1;
      lastInThread.set(thread, i);
    }
  }
  return { seen, outOfOrder, duplicates, missing: plan.filter((m) => !seen.has(m.i)).length };
};

/** 'met', or which parts of the goal were not. */
const verdict = (checks) => {
  const failed = checks.filter(([ok]) => !ok).map(([, name]) => name);
  return failed.length === 0 ? 'met' : `NOT met: ${failed.join(', ')}`;
};

const rows = [];
const only = process.env.BENCH_DELIVERY_ONLY?.split(',').map(Number);
for (const [index, scenario] of SCENARIOS.entries()) {
  if (only && !only.includes(index)) continue;
  const plan = planOf(scenario);
  const perChannel = Array.from({ length: scenario.channels }, (_, c) => plan.filter((m) => m.channel === channelId(c)).length);
  const minimum = minimumSchedule(perChannel);
  const threads = new Set(plan.map((m) => `${m.to}|${m.from}`)).size;

  const dir = scratchDir('delivery');
  const path = join(dir.path, 'bridge.sqlite');
  await seedLinks(await openSqliteStore({ path, logger: silentLogger }), { channels: scenario.channels, ourNumber, channelId, serviceUrl: connector.url, tenantId: TENANT });
  const token = webhookToken();
  // BENCH_BRIDGE_EXEC_ARGV: node flags for the bridge (bench/profile.mjs delivery passes --cpu-prof).
  const execArgv = process.env.BENCH_BRIDGE_EXEC_ARGV?.split(' ').filter(Boolean) ?? [];
  const bridge = await startServer({ env: { DATABASE_URL: `sqlite:${path}`, WEBHOOK_TOKEN: token }, execArgv });
  connector.reset();

  const started = Date.now();
  const pushing = pushAll(bridge.url, token, plan, `d${index}`);
  const timeoutMs = Math.max(60_000, TIMEOUT_FACTOR * minimum.ms);
  const allVisible = () => {
    let count = 0;
    for (const post of connector.posts) count += post.messages.length;
    return count >= scenario.n && check(plan, connector.posts).missing === 0;
  };
  const refused = await pushing;
  const pushedMs = Date.now() - started;
  const complete = await connector.waitUntil(allVisible, timeoutMs - pushedMs);
  await bridge.stop();
  dir.remove();

  const result = check(plan, connector.posts);
  const lastAt = Math.max(...result.seen.values());
  const elapsed = complete ? lastAt - started : Number.NaN;
  const accepted = connector.posts.length;
  const postsPerChannel = Array.from({ length: scenario.channels }, (_, c) => connector.posts.filter((p) => p.channel === channelId(c)).length);
  const pacing = minimumSchedule(postsPerChannel);
  const share429 = connector.throttled / (accepted + connector.throttled);
  const goalTime = complete && elapsed <= 1.1 * minimum.ms;
  rows.push({
    'N SMS': scenario.n,
    'K customers': scenario.customers,
    'C channels': scenario.channels,
    threads,
    'pushed in s': round(pushedMs / 1000, 1),
    'all visible in s': complete ? round(elapsed / 1000, 1) : `not after ${round(timeoutMs / 1000)}`,
    'min, 1 card each, s': round(minimum.ms / 1000, 1),
    'vs min': complete ? `${(elapsed / Math.max(1, minimum.ms)).toFixed(3)}x` : 'n/a',
    posts: accepted,
    'min for those posts, s': round(pacing.ms / 1000, 1),
    'vs min for those posts': complete ? `${(elapsed / Math.max(1, pacing.ms)).toFixed(2)}x` : 'n/a',
    '429s': connector.throttled,
    '429 share': `${(share429 * 100).toFixed(2)}%`,
    '429s by limit (channel/global)': `${connector.refusals.filter((r) => r.limit === 'conversation').length}/${connector.refusals.filter((r) => r.limit === 'global').length}`,
    'out of order': result.outOfOrder,
    'missing / dup': `${result.missing} / ${result.duplicates}`,
    goal: verdict([
      [goalTime, 'time'],
      [share429 < 0.01, '429s'],
      [result.outOfOrder === 0, 'order'],
      [result.missing === 0 && result.duplicates === 0 && refused === 0, 'loss'],
    ]),
  });
  // BENCH_DEBUG=1: the posts per channel and each accepted post as <channel>@<ms>:<SMS in it>.
  if (process.env.BENCH_DEBUG) {
    const timeline = connector.posts.map((p) => `${/channel-(\d+)/.exec(p.channel)?.[1]}@${p.at - started}:${p.messages.length}`);
    const refusals = connector.refusals.map((r) => `${/channel-(\d+)/.exec(r.thread)?.[1]}@${r.at - started}(${r.limit} ${r.waitMs})`);
    console.log(rows.at(-1), postsPerChannel, pacing, timeline.join(' '), '\n429s:', refusals.join(' '));
  }
}
await connector.close();
// A partial run (BENCH_DELIVERY_ONLY) must not overwrite the full table.
report(only ? 'delivery-partial' : 'delivery', rows, {
  limits: 'per conversation 7/1s, 8/2s, 60/30s, 1800/h; 50/s overall (TEAMS_LIMITS)',
  minimum: 'greedy earliest-send schedule for one card per SMS, all SMS ready at t=0 (bench/lib/teams-schedule.mjs)',
});
process.exit(0);
