import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { startCommand } from './start-command.js';

/**
 * `npm run build` (and `npm start`) bundle the compiled bridge into one CommonJS file,
 * dist/bundle/main.cjs, and make its V8 code cache; `dist/start.js` runs the two, and is what
 * runs in production. Start-up was mostly Node resolving, reading and compiling thousands of
 * module files (botbuilder and its @azure packages above all, docs/performance.md section 4):
 * one file takes that to a fraction, and the code cache most of what is left. Native and
 * optional packages stay outside and are loaded from node_modules as usual.
 */
const root = packageRoot();
const outfile = join(root, 'dist', 'bundle', 'main.cjs');

// Bundles of earlier builds.
rmSync(join(root, 'dist', 'bundle'), { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'dist', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // Without blanks and with shorter syntax (names kept, so stack traces still name functions),
  // the file is a third smaller: V8 decodes, parses and keeps in memory a third less of it
  // (docs/performance.md section 5).
  minifyWhitespace: true,
  minifySyntax: true,
  // Our modules find package.json and better-sqlite3 from their own URL: the bundle's.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // better-sqlite3 loads a native binding; pg-native and dtrace-provider are optional packages
  // that pg and restify try to require and do without.
  external: ['better-sqlite3', 'pg-native', 'dtrace-provider'],
  logLevel: 'warning',
});

// V8 accepts a code cache only under the flags it was made with: those of `npm start`.
const { flags, entry } = startCommand(root);
execFileSync(process.execPath, [...flags, join(root, entry), '--make-code-cache'], { stdio: 'inherit' });
