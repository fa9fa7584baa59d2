// 3. ClickSend client: three clients send the same SMS requests with the same concurrency to
// one ClickSend-shaped server on loopback (its own process): ours, the official clicksend SDK
// (npm clicksend 5.1.7) and a bare undici Pool request with no validation (the floor). Each
// client runs in its own process, so process.cpuUsage() there is that client's CPU alone; the
// rounds are interleaved (bare, ours, sdk, bare, ...) so that noise hits all three alike.
// Also: one send to 10,000 recipients, counted at the server.
// BENCH_CLIENT_BASELINE=<another checkout, built> adds that checkout's client as a fourth row,
// measured in the same rounds: a before/after comparison that the machine's noise cannot skew.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, ratio, round } from './lib/stats.mjs';
import { report } from './results.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = 8;
// Nine rounds: on the shared 2-core machine single rounds move by 2x, and five left the medians
// (and so the ratios) moving by more than the differences this benchmark is meant to show.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const RECIPIENTS = 10_000;
const lib = (file) => fileURLToPath(new URL(`lib/${file}`, import.meta.url));

const server = fork(lib('clicksend-server.mjs'), { execArgv: ['--disable-warning=DEP0111'] });
const [target] = await once(server, 'message');
const serverStats = async () => {
  server.send('stats');
  const [stats] = await once(server, 'message');
  return stats;
};

const baseline = process.env.BENCH_CLIENT_BASELINE;
const CLIENTS = [
  { id: 'bare', name: 'bare undici Pool (floor)' },
  // The baseline checkout's own child script, so that it loads that checkout's dist/.
  ...(baseline ? [{ id: 'base', name: `our client, baseline (${baseline})`, which: 'ours', child: resolve(baseline, 'bench/lib/clicksend-client-child.mjs') }] : []),
  { id: 'ours', name: 'our client' },
  { id: 'sdk', name: 'official clicksend SDK 5.1.7' },
];
const children = new Map();
for (const client of CLIENTS) {
  const script = client.child ?? lib('clicksend-client-child.mjs');
  const child = fork(script, [client.which ?? client.id, JSON.stringify({ ...target, concurrency: CONCURRENCY })], {
    execArgv: ['--disable-warning=DEP0111'],
  });
  await once(child, 'message'); // ready
  children.set(client.id, child);
}
const ask = async (id, job) => {
  const child = children.get(id);
  child.send(job);
  const [answer] = await once(child, 'message');
  if (!answer.ok) throw new Error(`${id}: ${answer.error}`);
  return answer;
};

// Warm-up (JIT, sockets), then interleaved rounds.
for (const { id } of CLIENTS) await ask(id, { kind: 'run', requests: Math.ceil(REQUESTS / 2) });
const runs = new Map(CLIENTS.map((c) => [c.id, []]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (const { id } of CLIENTS) runs.get(id).push(await ask(id, { kind: 'run', requests: REQUESTS }));
}

// One send to 10,000 recipients: how many requests each client makes, and what came of it.
const bulk = {};
for (const { id } of CLIENTS.filter((c) => c.id === 'ours' || c.id === 'sdk')) {
  const before = await serverStats();
  const outcome = await ask(id, { kind: 'bulk', recipients: RECIPIENTS }).then(
    (answer) => `${answer.accepted} accepted`,
    (error) => `refused: ${error.message.replace(/^\w+: /, '')}`,
  );
  const after = await serverStats();
  bulk[id] = { requests: after.requests - before.requests, outcome };
}

const med = Object.fromEntries(
  CLIENTS.map(({ id }) => [id, { rps: median(runs.get(id).map((r) => r.rps)), cpu: median(runs.get(id).map((r) => r.cpuMsPer1000)) }]),
);
const rows = CLIENTS.map(({ id, name }) => ({
  client: name,
  'requests/s': Math.round(med[id].rps),
  'client CPU ms per 1,000 req': round(med[id].cpu, 1),
  'throughput vs SDK': ratio(med[id].rps, med.sdk.rps),
  'CPU vs SDK': ratio(med[id].cpu, med.sdk.cpu),
  'throughput vs floor': ratio(med[id].rps, med.bare.rps),
  'CPU vs floor': ratio(med[id].cpu, med.bare.cpu),
  [`requests for ${RECIPIENTS.toLocaleString('en')} recipients`]: bulk[id] ? `${bulk[id].requests} (${bulk[id].outcome})` : 'n/a',
}));
// The same ratio taken within each round (the clients ran back to back there), as a check on
// the ratio of medians above: its median and range show how much the machine moved it.
const perRoundVsFloor = (id) => {
  const ratios = runs.get(id).map((run, i) => run.cpuMsPer1000 / runs.get('bare')[i].cpuMsPer1000).sort((a, b) => a - b);
  return `${ratio(median(ratios), 1)} (${ratio(ratios[0], 1)}-${ratio(ratios.at(-1), 1)})`;
};
const goals = {
  'ours >= 2x SDK throughput': `${ratio(med.ours.rps, med.sdk.rps)} ${med.ours.rps >= 2 * med.sdk.rps ? 'met' : 'NOT met'}`,
  'ours CPU <= 0.5x SDK': `${ratio(med.ours.cpu, med.sdk.cpu)} ${med.ours.cpu <= 0.5 * med.sdk.cpu ? 'met' : 'NOT met'}`,
  'ours CPU <= 1.3x floor': `${ratio(med.ours.cpu, med.bare.cpu)} ${med.ours.cpu <= 1.3 * med.bare.cpu ? 'met' : 'NOT met'}`,
  'ours CPU vs floor, round by round: median (range)': perRoundVsFloor('ours'),
  ...(baseline ? { 'baseline CPU vs floor, round by round: median (range)': perRoundVsFloor('base') } : {}),
  '10,000 recipients in exactly 10 requests': `${bulk.ours.requests} ${bulk.ours.requests === 10 && bulk.ours.outcome.startsWith(`${RECIPIENTS} accepted`) ? 'met' : 'NOT met'}`,
};
report('clicksend-client', rows, {
  goals,
  requests: REQUESTS,
  concurrency: CONCURRENCY,
  rounds: ROUNDS,
  perRound: Object.fromEntries([...runs].map(([id, list]) => [id, list.map((r) => ({ rps: Math.round(r.rps), cpuMsPer1000: round(r.cpuMsPer1000, 1) }))])),
});
console.table(goals);
for (const child of children.values()) child.send({ kind: 'stop' });
server.send('stop');
await once(server, 'exit');
process.exit(0);
