// 1. Inbound ingest: autocannon (its own process) posts valid ClickSend inbound pushes, each with
// a new message_id, to /webhooks/clicksend/inbound of the built bridge (as `npm start` runs it, one
// process per store) at rising rates, side by side with the ceiling: the same restify server
// with a route that reads the body and answers 200, storing nothing. Reports achieved requests/s,
// p50/p99/p999 latency, the server's CPU per request (including the delivery worker's share:
// after each step the bench waits for its outbox to settle), and checks that every 200 was stored.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from './lib/load.mjs';
import { createDatabase } from './lib/postgres.mjs';
import { cpuOfProcessesNamed, INBOUND_PATH, processUsage, scratchDir, startServer, webhookToken } from './lib/processes.mjs';
import { ratio, round, sleep } from './lib/stats.mjs';
import { report } from './results.mjs';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 10);
/** Requests/s per step; 0 is "as fast as the connections go" (saturation). */
const STEPS = [
  { rate: 500, seconds: SECONDS, connections: 10 },
  { rate: 1000, seconds: SECONDS, connections: 10 },
  { rate: 2000, seconds: Math.ceil(SECONDS * 0.6), connections: 10 },
  { rate: 0, seconds: Math.ceil(SECONDS * 0.6), connections: 32 },
];
const OUR_NUMBER = '+61480000000';
// Within a step every push is from a new customer (a reply wave to a campaign); the numbering
// starts again each step, so a step's first customers texted in earlier steps too (see IN_LINE).
const CUSTOMERS = 1e9;

// Outbox rows the delivery worker has yet to take (none, as a rule: a text to a number no
// channel is linked to is queued as waiting for a link). A row behind a waiting one of its
// thread waits with it: load-child numbers customers from 0 in every run, so a step's first
// customers are those of earlier steps, whose texts are waiting.
const IN_LINE = `
  SELECT count(*) AS n FROM outbox o
  WHERE o.status IN ('pending', 'claimed')
    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.key = o.key AND p.status IN ('pending', 'claimed', 'waiting') AND p.id < o.id)`;
const SETTLE_TIMEOUT_MS = 300_000;

const token = webhookToken();
const dir = scratchDir('ingest');
const sqlitePath = join(dir.path, 'bridge.sqlite');
const targets = [];
const sqliteCount = (sql) => {
  const db = new Database(sqlitePath, { readonly: true });
  try {
    return db.prepare(sql).get().n;
  } finally {
    db.close();
  }
};

targets.push({ name: 'ceiling (restify, stores nothing)', server: await startServer({ entry: fileURLToPath(new URL('lib/ceiling-server.mjs', import.meta.url)), name: 'ceiling' }) });
targets.push({
  name: 'bridge, SQLite',
  server: await startServer({ env: { DATABASE_URL: `sqlite:${sqlitePath}`, WEBHOOK_TOKEN: token } }),
  stored: () => sqliteCount('SELECT count(*) AS n FROM inbound'),
  inLine: () => sqliteCount(IN_LINE),
});
let pg;
try {
  pg = await createDatabase('ingest');
  targets.push({
    name: 'bridge, PostgreSQL',
    server: await startServer({ env: { DATABASE_URL: pg.url, WEBHOOK_TOKEN: token } }),
    // PostgreSQL's own processes (every backend, the WAL writer, the checkpointer) share the cores.
    database: 'postgres',
    stored: () => pg.count('SELECT count(*) FROM inbound'),
    inLine: () => pg.count(IN_LINE),
  });
} catch (error) {
  console.error(`PostgreSQL rows skipped: ${error.message}`);
}

const load = async (target, step, prefix) => {
  const result = await runLoad({
    url: target.server.url,
    path: `${INBOUND_PATH}?token=${token}`,
    rate: step.rate,
    durationS: step.seconds,
    connections: step.connections,
    prefix,
    customers: CUSTOMERS,
    ourNumber: OUR_NUMBER,
  });
  target.answered = (target.answered ?? 0) + result.ok;
  return result;
};

/**
 * Waits until the bridge's worker has taken every outbox row (the webhook answers before that
 * work is done). Otherwise a bridge would still be at it while the next server is loaded, and
 * the two would share the machine; and the CPU of a step would leave out work its pushes caused.
 */
const settle = async (target) => {
  if (!target.inLine) return 0;
  const started = performance.now();
  while ((await target.inLine()) > 0) {
    if (performance.now() - started > SETTLE_TIMEOUT_MS) throw new Error(`${target.name}: outbox not settled after ${SETTLE_TIMEOUT_MS} ms`);
    await sleep(100);
  }
  return (performance.now() - started) / 1000;
};

// Warm-up (JIT, connection pools, SQLite pages), not reported.
for (const target of targets) {
  await load(target, { rate: 500, seconds: 3, connections: 10 }, `warm-${target.server.name}-${target.server.pid}`);
  await settle(target);
}

const rows = [];
const results = new Map(targets.map((t) => [t.name, []]));
for (const step of STEPS) {
  for (const target of targets) {
    const before = processUsage(target.server.pid);
    const databaseBefore = target.database ? cpuOfProcessesNamed(target.database) : 0;
    const result = await load(target, step, `s${step.rate}-${target.server.pid}`);
    const settled = await settle(target);
    const after = processUsage(target.server.pid);
    const databaseMs = target.database ? cpuOfProcessesNamed(target.database) - databaseBefore : undefined;
    const perRequest = (ms) => round(ms / Math.max(1, result.sent), 3);
    results.get(target.name).push({ step, result });
    rows.push({
      server: target.name,
      'offered req/s': step.rate === 0 ? `max (${step.connections} conn)` : step.rate,
      'achieved req/s': Math.round(result.rps),
      'p50 ms': round(result.p50, 2),
      'p99 ms': round(result.p99, 2),
      'p999 ms': round(result.p999, 2),
      'max ms': round(result.max, 1),
      'non-2xx + errors': result.non2xx + result.errors + result.timeouts,
      'server CPU ms/req': perRequest(after.cpuMs - before.cpuMs),
      'database CPU ms/req': databaseMs === undefined ? '' : perRequest(databaseMs),
      'load generator CPU ms/req': perRequest(result.cpuMs),
      'server RSS MB': Math.round(after.rssMb),
      'outbox settled s': target.inLine ? round(settled, 1) : '',
    });
  }
}

// Durability: every push answered 200 (warm-up ones too) must be in the store.
for (const target of targets) {
  await target.server.stop();
  if (target.stored) target.storedCount = await target.stored();
}
await pg?.drop();
dir.remove();

const ceiling = results.get(targets[0].name);
const summary = targets.slice(1).map((target) => {
  const mine = results.get(target.name);
  const at = (rate) => mine.find((r) => r.step.rate === rate).result;
  const ceilingAt = (rate) => ceiling.find((r) => r.step.rate === rate).result;
  const saturation = at(0).rps / ceilingAt(0).rps;
  return {
    server: target.name,
    'saturation vs ceiling': ratio(at(0).rps, ceilingAt(0).rps),
    'p99 @1000/s ms': round(at(1000).p99, 2),
    'p99 @1000/s vs ceiling': ratio(at(1000).p99, ceilingAt(1000).p99),
    // A push still in flight when autocannon stops is stored but not counted as answered.
    'stored / answered 200': `${target.storedCount} / ${target.answered}${target.storedCount >= target.answered ? '' : ' LOST'}`,
    goal: target.name.includes('SQLite')
      ? `${saturation >= 0.5 ? 'met' : 'NOT met'} (>= 0.50x); p99 ${at(1000).p99 <= 10 ? 'met' : 'NOT met'} (<= 10 ms)`
      : `${saturation >= 0.5 ? 'met' : 'NOT met'} (>= 0.50x)`,
  };
});
report('ingest', rows, { summary, steps: STEPS, customers: 'a new customer per push', ourNumber: OUR_NUMBER });
console.table(summary);
process.exit(0);
