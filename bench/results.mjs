// Shared by the benchmarks: print a table and keep the numbers in bench/results/<name>.json,
// with a fingerprint of the built code they ran against (dist/ is rebuilt by `npm run bench`).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const filesUnder = (dir, ext) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => join(dir, f));

/** sha256 of every dist/**.js (first 12 hex digits) and the newest src/ modification time. */
export const buildFingerprint = () => {
  const hash = createHash('sha256');
  for (const file of filesUnder(join(ROOT, 'dist'), '.js')) hash.update(file.slice(ROOT.length)).update(readFileSync(file));
  const newest = Math.max(...filesUnder(join(ROOT, 'src'), '.ts').map((f) => statSync(f).mtimeMs));
  return { distSha256: hash.digest('hex').slice(0, 12), srcNewest: new Date(newest).toISOString() };
};

export const report = (name, rows, notes = {}) => {
  console.table(rows);
  const dir = fileURLToPath(new URL('results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}.json`;
  const record = { name, date: new Date().toISOString(), node: process.version, build: buildFingerprint(), rows, ...notes };
  writeFileSync(file, JSON.stringify(record, null, 2));
  console.log(`written to bench/results/${name}.json`);
};
