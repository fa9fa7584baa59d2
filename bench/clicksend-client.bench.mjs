// Our ClickSend client against a bare undici Pool (the floor: no validation, no parsing), both
// sending the same SMS requests with the same concurrency to the sandbox in another process.
// Reports requests/s and this process's CPU time per 1,000 requests.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createClickSendClient } from '../dist/clicksend/client.js';
import { report } from './results.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = 8;
const ROUNDS = 3;

const server = fork(fileURLToPath(new URL('sandbox-server.mjs', import.meta.url)), { execArgv: ['--disable-warning=DEP0111'] });
const [{ apiUrl, credentials }] = await once(server, 'message');
const origin = new URL(apiUrl).origin;
const auth = `Basic ${Buffer.from(`${credentials.username}:${credentials.apiKey}`).toString('base64')}`;
const message = (i) => ({ to: '+61411111111', body: `Order ${i} is ready for pickup`, custom_string: `bench-${i}` });

const run = async (send) => {
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) await send(next++);
  };
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rps: REQUESTS / seconds, cpuMsPer1000: ((used.user + used.system) / 1000 / REQUESTS) * 1000 };
};

const pool = new Pool(origin, { connections: CONCURRENCY });
const bare = (i) =>
  pool
    .request({
      path: '/v3/sms/send',
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ ...message(i), source: 'bench' }] }),
    })
    .then((res) => res.body.text());

const ours = createClickSendClient({ baseUrl: apiUrl, credentials, rateLimit: false }, { dispatcher: new Pool(origin, { connections: CONCURRENCY }) });
const client = (i) => ours.sms.send([message(i)]);

const results = { 'bare undici Pool (floor)': [], 'our client': [] };
await run(bare);
await run(client); // warm-up
for (let round = 0; round < ROUNDS; round += 1) {
  results['bare undici Pool (floor)'].push(await run(bare));
  results['our client'].push(await run(client));
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floor = { rps: median(results['bare undici Pool (floor)'].map((r) => r.rps)), cpu: median(results['bare undici Pool (floor)'].map((r) => r.cpuMsPer1000)) };
const rows = Object.entries(results).map(([name, runs]) => {
  const rps = median(runs.map((r) => r.rps));
  const cpu = median(runs.map((r) => r.cpuMsPer1000));
  return {
    client: name,
    'requests/s': Math.round(rps),
    'CPU ms per 1,000 requests': Math.round(cpu),
    'throughput vs floor': `${(rps / floor.rps).toFixed(2)}x`,
    'CPU vs floor': `${(cpu / floor.cpu).toFixed(2)}x`,
  };
});
report('clicksend-client', rows, { requests: REQUESTS, concurrency: CONCURRENCY, rounds: ROUNDS });
server.send('stop');
await pool.close();
process.exit(0);
