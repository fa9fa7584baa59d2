// Shared by the benchmarks: print a table and keep the numbers in bench/results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const report = (name, rows, notes = {}) => {
  console.table(rows);
  const dir = fileURLToPath(new URL('results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}.json`;
  writeFileSync(file, JSON.stringify({ name, date: new Date().toISOString(), node: process.version, rows, ...notes }, null, 2));
  console.log(`written to bench/results/${name}.json`);
};
