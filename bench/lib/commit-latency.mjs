// How long each SQLite acceptInbound (one write transaction, as the webhook makes it) takes, one
// after another on a fresh file: shows the WAL auto-checkpoint stalls that set the ingest p99.
// Used by `node bench/profile.mjs commits`.
import { join } from 'node:path';
import { openSqliteStore } from '../../dist/store/sqlite.js';
import { silentLogger } from '../../dist/log.js';
import { scratchDir } from './processes.mjs';
import { percentile, round } from './stats.mjs';

const COUNT = 20_000;
const dir = scratchDir('commits');
const store = await openSqliteStore({ path: join(dir.path, 'bridge.sqlite'), logger: silentLogger });
const times = [];
for (let i = 0; i < COUNT; i += 1) {
  const started = performance.now();
  await store.acceptInbound({ messageId: `c-${i}`, from: `+6141${1_000_000 + i}`, to: '+61480000000', body: `Inbound text number ${i}`, sentAt: new Date() });
  times.push(performance.now() - started);
}
await store.close();
dir.remove();
const sorted = [...times].sort((a, b) => a - b);
const slow = times.flatMap((ms, i) => (ms > 5 ? [i] : []));
const gaps = slow.slice(1).map((i, k) => i - slow[k]);
console.table([
  {
    commits: COUNT,
    'p50 ms': round(percentile(sorted, 50), 3),
    'p99 ms': round(percentile(sorted, 99), 2),
    'p999 ms': round(percentile(sorted, 99.9), 2),
    'max ms': round(sorted.at(-1), 1),
    'commits over 5 ms': slow.length,
    'median commits between them': percentile([...gaps].sort((a, b) => a - b), 50),
  },
]);
