// Resident set and heap after importing each large dependency of the bridge in turn, then the
// bridge's own composition root, then building the app (store, cards, bot) without listening.
// Run with the path of the dist/ folder as argv[2]; used by `node bench/profile.mjs memory`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = dirname(process.argv[2]);
const rows = [];
let last = process.memoryUsage();
const step = (name) => {
  const now = process.memoryUsage();
  rows.push({
    step: name,
    'RSS MB': +(now.rss / 2 ** 20).toFixed(1),
    '+RSS MB': +((now.rss - last.rss) / 2 ** 20).toFixed(1),
    'heap used MB': +(now.heapUsed / 2 ** 20).toFixed(1),
    '+heap MB': +((now.heapUsed - last.heapUsed) / 2 ** 20).toFixed(1),
  });
  last = now;
};
step('node');
for (const name of ['undici', 'zod', 'pino', 'libphonenumber-js', 'restify', 'better-sqlite3', 'pg', 'adaptive-expressions', 'adaptivecards-templating', 'botbuilder']) {
  await import(name);
  step(`import ${name}`);
}
const { createApp } = await import(pathToFileURL(join(dist, 'app.js')).href);
const { loadConfig } = await import(pathToFileURL(join(dist, 'config.js')).href);
const { silentLogger } = await import(pathToFileURL(join(dist, 'log.js')).href);
step('import dist/app.js (the rest of the bridge)');
const dir = mkdtempSync(join(tmpdir(), 'import-footprint-'));
const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'bridge.sqlite')}`, WEBHOOK_TOKEN: 'f'.repeat(64), PORT: '65000' }, { envFile: undefined });
const app = await createApp(config, { logger: silentLogger });
step('createApp (store opened, cards compiled, bot built)');
console.table(rows);
await app.close(0);
