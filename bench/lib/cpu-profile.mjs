// Reads a .cpuprofile (node --cpu-prof) and sums self time per function and per file, so that a
// benchmark can name where an unmet goal's CPU goes. `node bench/lib/cpu-profile.mjs <file>`.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const place = (url) => {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
};

// The bridge runs as one minified bundle (dist/bundle/main.cjs): its frames are read through
// the bundle's source map, so that they name the source file (src/...) or the package they
// came from, and its line, instead of a position in one long line.
const sourceMaps = new Map();
const sourceMapOf = (path) => {
  if (!sourceMaps.has(path)) {
    const mapFile = `${path}.map`;
    sourceMaps.set(path, existsSync(mapFile) ? { map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))), dir: dirname(mapFile) } : undefined);
  }
  return sourceMaps.get(path);
};
const original = (url, lineNumber, columnNumber) => {
  if (!url?.startsWith('file://')) return undefined;
  const path = fileURLToPath(url);
  const found = sourceMapOf(path);
  const entry = found?.map.findEntry(lineNumber, columnNumber);
  if (!entry?.originalSource) return undefined;
  const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(found.dir, entry.originalSource);
  return { where: place(source), line: entry.originalLine + 1 };
};

/**
 * Self time (ms) by function and by file, largest first; `top` rows each. Samples in the first
 * `skipMs` of the profile (start-up, when profiling steady state) are left out; idle time too.
 */
export const summarizeProfile = (file, top = 15, skipMs = 0) => {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    elapsedUs += deltas[i] ?? 0;
    if (elapsedUs >= skipMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  });
  for (const node of profile.nodes) if (node.callFrame.functionName === '(idle)') selfUs.delete(node.id);
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byFile = new Map();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const mapped = original(url, lineNumber, columnNumber);
    const where = mapped?.where ?? place(url);
    const fn = `${functionName || '(anonymous)'} ${where}${url ? `:${mapped?.line ?? lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1];
    const group = pkg ? `node_modules/${pkg}` : where;
    byFile.set(group, (byFile.get(group) ?? 0) + us);
  }
  const rows = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, 'self ms': Math.round(us / 1000), share: `${((us / total) * 100).toFixed(1)}%` }));
  return { totalMs: Math.round(total / 1000), functions: rows(byFunction), files: rows(byFile) };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const summary = summarizeProfile(process.argv[2], Number(process.argv[3] ?? 20), Number(process.argv[4] ?? 0));
  console.log(`busy (not idle) time sampled: ${summary.totalMs} ms`);
  console.table(summary.files);
  console.table(summary.functions);
}
