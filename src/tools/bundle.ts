import { build } from 'esbuild';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/**
 * `npm run build` (and `npm start`) bundle the compiled bridge into one ES module,
 * dist/bundle/main.mjs, which is what runs in production. Start-up is mostly Node resolving,
 * reading and compiling thousands of module files (botbuilder and its @azure packages above
 * all, docs/performance.md section 4); one file takes that to a fraction. Native and optional
 * packages stay outside and are loaded from node_modules as usual.
 */
const root = packageRoot();

await build({
  entryPoints: [join(root, 'dist', 'main.js')],
  outfile: join(root, 'dist', 'bundle', 'main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Without blanks and with shorter syntax (names kept, so stack traces still name functions),
  // the file is a third smaller: V8 decodes, parses and keeps in memory a third less of it
  // (start-up 15% faster and 10 MB less RSS, docs/performance.md section 4).
  minifyWhitespace: true,
  minifySyntax: true,
  // better-sqlite3 loads a native binding; pg-native and dtrace-provider are optional packages
  // that pg and restify try to require and do without.
  external: ['better-sqlite3', 'pg-native', 'dtrace-provider'],
  // The CommonJS packages inside call require() for Node's built-ins: give the bundle one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
