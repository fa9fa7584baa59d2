// Prints bench/results/<name>.json as Markdown tables, for docs/performance.md:
// `node bench/lib/to-markdown.mjs ingest`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const table = (rows) => {
  if (!Array.isArray(rows)) rows = Object.entries(rows).map(([goal, value]) => ({ goal, value }));
  const columns = Object.keys(rows[0] ?? {});
  const cell = (v) => String(v ?? '').replaceAll('|', '\\|');
  return [`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(' | ')} |`)].join('\n');
};

const name = process.argv[2];
const result = JSON.parse(readFileSync(fileURLToPath(new URL(`../results/${name}.json`, import.meta.url)), 'utf8'));
console.log(`<!-- ${name}: ${result.date}, node ${result.node}, dist ${result.build?.distSha256}, src newest ${result.build?.srcNewest} -->\n`);
console.log(table(result.rows));
for (const key of ['summary', 'goals']) if (result[key]) console.log(`\n${table(result[key])}`);
