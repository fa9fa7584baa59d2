import { join } from 'node:path';
import { scratchDir, startServer, webhookToken, processUsage } from './lib/processes.mjs';
const dir = scratchDir('sx'); let i = 0;
const res = {};
const entries = { esm: '/work/main/dist/bundle/main.mjs', cjs: '/work/main/dist/bundle-exp/main.cjs', cached: '/work/main/dist/bundle-exp/load.cjs' };
for (let round = 0; round < 5; round++) for (const [v, entry] of Object.entries(entries)) {
  const s = await startServer({ entry, execArgv: ['--max-semi-space-size=2'], env: { DATABASE_URL: `sqlite:${join(dir.path, `b${i++}.sqlite`)}`, WEBHOOK_TOKEN: webhookToken() } });
  await new Promise((r) => setTimeout(r, 2500));
  (res[v] ??= []).push([Math.round(s.readyMs), Math.round(processUsage(s.pid).rssMb)]);
  await s.stop();
}
for (const [v, l] of Object.entries(res)) { const r = l.map((x) => x[0]).sort((a, b) => a - b); console.log(v, 'ready median', r[2], l.map((x) => x[0]).join(','), 'rss', l.map((x) => x[1]).join(',')); }
dir.remove();
