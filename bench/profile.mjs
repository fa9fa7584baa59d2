// Profiles for the goals the benchmarks report as not met: `node bench/profile.mjs <what>` runs
// the same workload as the benchmark under `node --cpu-prof`, then prints where the CPU went
// (self time by package/file and by function; see lib/cpu-profile.mjs). Run `npm run build`
// first. <what>: ingest-sqlite, ingest-postgres, startup, client, delivery, commits, memory.
// The .cpuprofile files stay in the printed directory (open them in Chrome DevTools).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfile } from './lib/cpu-profile.mjs';
import { runLoad } from './lib/load.mjs';
import { createDatabase } from './lib/postgres.mjs';
import { INBOUND_PATH, MAIN, scratchDir, startServer, webhookToken } from './lib/processes.mjs';

const what = process.argv[2];
const out = mkdtempSync(join(tmpdir(), `profile-${what}-`));
const profiled = ['--cpu-prof', `--cpu-prof-dir=${out}`];
const lib = (file) => fileURLToPath(new URL(`lib/${file}`, import.meta.url));

const show = (skipMs = 0, top = 25) => {
  for (const file of readdirSync(out).filter((f) => f.endsWith('.cpuprofile'))) {
    const summary = summarizeProfile(join(out, file), top, skipMs);
    console.log(`\n${join(out, file)}: ${summary.totalMs} ms busy${skipMs ? ` after the first ${Math.round(skipMs)} ms` : ''}`);
    console.table(summary.files);
    console.table(summary.functions);
  }
};

const ingest = async (database) => {
  const token = webhookToken();
  const bridge = await startServer({ env: { DATABASE_URL: database, WEBHOOK_TOKEN: token }, execArgv: profiled });
  const job = { url: bridge.url, path: `${INBOUND_PATH}?token=${token}`, connections: 10, customers: 1e9, ourNumber: '+61480000000' };
  console.log(await runLoad({ ...job, rate: 1000, durationS: 8, prefix: 'p1' }));
  console.log(await runLoad({ ...job, rate: 0, durationS: 5, connections: 32, prefix: 'p2' }));
  await bridge.stop();
  show(bridge.readyMs + 500);
};

switch (what) {
  case 'ingest-sqlite': {
    const dir = scratchDir('profile');
    await ingest(`sqlite:${join(dir.path, 'bridge.sqlite')}`);
    dir.remove();
    break;
  }
  case 'ingest-postgres': {
    const pg = await createDatabase('profile');
    await ingest(pg.url);
    await pg.drop();
    break;
  }
  case 'startup': {
    const dir = scratchDir('profile');
    const bridge = await startServer({ env: { DATABASE_URL: `sqlite:${join(dir.path, 'bridge.sqlite')}`, WEBHOOK_TOKEN: webhookToken() }, execArgv: profiled });
    console.log(`ready after ${Math.round(bridge.readyMs)} ms`);
    await bridge.stop();
    dir.remove();
    show(0, 30);
    break;
  }
  case 'client': {
    const server = fork(lib('clicksend-server.mjs'));
    const [target] = await once(server, 'message');
    const child = fork(lib('clicksend-client-child.mjs'), [process.argv[3] ?? 'ours', JSON.stringify({ ...target, concurrency: 8 })], { execArgv: profiled });
    await once(child, 'message');
    for (let round = 0; round < 4; round += 1) {
      child.send({ kind: 'run', requests: 3000 });
      console.log((await once(child, 'message'))[0]);
    }
    child.send({ kind: 'stop' });
    await once(child, 'exit');
    server.send('stop');
    show(0, 30);
    break;
  }
  case 'delivery': {
    // The delivery benchmark's bridge under the profiler: BENCH_PROFILE makes it pass these flags.
    const bench = fork(fileURLToPath(new URL('delivery.bench.mjs', import.meta.url)), [], {
      env: { ...process.env, BENCH_BRIDGE_EXEC_ARGV: profiled.join(' ') },
    });
    await once(bench, 'exit');
    show(0, 20);
    break;
  }
  case 'commits': {
    // Not a CPU profile: the latency of each webhook-sized SQLite commit, one after another.
    const child = fork(lib('commit-latency.mjs'));
    await once(child, 'exit');
    break;
  }
  case 'memory': {
    // What each part of the bridge adds to the resident set when imported, in import order.
    const child = fork(lib('import-footprint.mjs'), [MAIN], { execArgv: ['--disable-warning=DEP0111'] });
    await once(child, 'exit');
    break;
  }
  default:
    console.error('usage: node bench/profile.mjs ingest-sqlite|ingest-postgres|startup|client [ours|sdk|bare]|delivery|commits|memory');
    process.exit(2);
}
process.exit(0);
