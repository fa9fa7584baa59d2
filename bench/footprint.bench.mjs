// 4. Footprint: time from spawning the bridge as `npm start` runs it to its first /readyz 200,
// and its resident memory idle and after 10,000 inbound SMS, on SQLite and on PostgreSQL (a
// fresh file or database each start), side by side with two floors started the same way: Node
// with a bare http server, and the bridge's restify server alone (the ingest ceiling).
// Start-ups alternate between the four so that noise hits them alike.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from './lib/load.mjs';
import { createDatabase } from './lib/postgres.mjs';
import { INBOUND_PATH, processUsage, scratchDir, startServer, webhookToken } from './lib/processes.mjs';
import { median, ratio, round, sleep } from './lib/stats.mjs';
import { report } from './results.mjs';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const SMS = 10_000;
const SETTLE_MS = 1_000;
const lib = (file) => fileURLToPath(new URL(`lib/${file}`, import.meta.url));

const dir = scratchDir('footprint');
const token = webhookToken();
let db = 0;
const kinds = [
  { name: 'node http server (floor)', start: () => startServer({ entry: lib('bare-server.mjs'), name: 'bare' }) },
  { name: 'restify server alone (ceiling)', start: () => startServer({ entry: lib('ceiling-server.mjs'), name: 'ceiling' }) },
  {
    name: 'bridge, SQLite',
    bridge: true,
    start: () => startServer({ env: { DATABASE_URL: `sqlite:${join(dir.path, `bridge-${db++}.sqlite`)}`, WEBHOOK_TOKEN: token } }),
  },
  {
    // Like SQLite's fresh file, a fresh database each start: migrations included.
    name: 'bridge, PostgreSQL',
    bridge: true,
    start: async () => {
      const pg = await createDatabase('footprint');
      const server = await startServer({ env: { DATABASE_URL: pg.url, WEBHOOK_TOKEN: token } });
      return {
        ...server,
        stop: async () => {
          await server.stop();
          await pg.drop();
        },
      };
    },
  },
];

const samples = new Map(kinds.map((k) => [k.name, { ready: [], idleRss: [] }]));
for (let run = 0; run < STARTS; run += 1) {
  for (const kind of kinds) {
    const server = await kind.start();
    await sleep(SETTLE_MS);
    const usage = processUsage(server.pid);
    samples.get(kind.name).ready.push(server.readyMs);
    samples.get(kind.name).idleRss.push(usage.rssMb);
    await server.stop();
  }
}

/** Idle RSS, then RSS and peak after SMS inbound pushes as fast as 10 connections go. */
const afterLoad = async (server) => {
  await sleep(SETTLE_MS);
  const idle = processUsage(server.pid);
  const result = await runLoad({
    url: server.url,
    path: `${INBOUND_PATH}?token=${token}`,
    rate: 0,
    amount: SMS,
    connections: 10,
    prefix: `fp-${server.pid}`,
    customers: 1e9,
    ourNumber: '+61480000000',
  });
  await sleep(SETTLE_MS);
  const after = processUsage(server.pid);
  return { idle, after, ok: result.ok };
};

const loaded = [];
for (const kind of kinds) {
  const server = await kind.start();
  loaded.push({ name: kind.name, ...(await afterLoad(server)) });
  await server.stop();
}
dir.remove();

const floor = samples.get(kinds[0].name);
const rows = loaded.map((entry) => {
  const s = samples.get(entry.name);
  const ready = s ? median(s.ready) : entry.readyMs;
  const idle = s ? median(s.idleRss) : entry.idle.rssMb;
  const bridge = entry.name.startsWith('bridge');
  return {
    process: entry.name,
    'ready ms (median)': Math.round(ready),
    'ready vs node floor': ratio(ready, median(floor.ready)),
    'RSS idle MB': round(idle, 1),
    'RSS idle vs node floor': ratio(idle, median(floor.idleRss)),
    [`RSS after ${SMS.toLocaleString('en')} SMS MB`]: round(entry.after.rssMb, 1),
    'peak RSS MB': round(entry.after.peakRssMb, 1),
    'pushes answered 200': entry.ok,
    goal: bridge ? `ready ${ready <= 1000 ? 'met' : 'NOT met'} (<= 1 s); RSS ${Math.max(idle, entry.after.rssMb) <= 150 ? 'met' : 'NOT met'} (<= 150 MB)` : '',
  };
});
report('footprint', rows, {
  starts: STARTS,
  readySamplesMs: Object.fromEntries([...samples].map(([name, s]) => [name, s.ready.map(Math.round)])),
  note: 'ready = spawn() to the first 200 of /readyz (polled every 2 ms); RSS from /proc/<pid>/status after 1 s idle',
});
process.exit(0);
