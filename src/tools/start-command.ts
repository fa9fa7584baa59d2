import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/**
 * `npm start` as package.json's `start` script has it: node's flags and the entry file (relative
 * to the package root). The build makes the code cache under these flags, and the tests and
 * benchmarks run the bridge with them, so that everything runs it as it ships.
 */
export const startCommand = (root: string = packageRoot()): { readonly flags: readonly string[]; readonly entry: string } => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  const entry = args.at(-1);
  if (node !== 'node' || entry === undefined) throw new Error(`the start script should run node on a file, not: ${pkg.scripts.start}`);
  return { flags: args.slice(0, -1), entry };
};
