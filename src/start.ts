import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/**
 * What `npm start` runs: the bridge bundled into one CommonJS file (dist/bundle/main.cjs, see
 * tools/bundle.ts), compiled with the V8 code cache that the build made beside it
 * (main.cjs.cache). Compiling the bundle's 8 MB and the functions its modules run at load was
 * 40% of start-up; with the cache V8 reads them compiled. Node 20 keeps no code cache for ES
 * modules, hence CommonJS and `vm.Script`. A cache V8 rejects (another Node, other flags) is
 * ignored: the bundle then compiles as it would without one.
 *
 * `node dist/start.js --make-code-cache` loads the bundle without starting the bridge and writes
 * the cache (the build runs it with `npm start`'s flags, which V8 checks).
 */
const BUNDLE = fileURLToPath(new URL('bundle/main.cjs', import.meta.url));
const CACHE = `${BUNDLE}.cache`;

/** What the bundle of main.ts exports. */
interface BundleExports {
  startProcess(): void;
}

const readCache = (): Buffer | undefined => {
  try {
    return readFileSync(CACHE);
  } catch {
    return undefined; // not built with one: compiled as usual
  }
};

const load = (cachedData: Buffer | undefined) => {
  const script = new Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData });
  const module = { exports: {} as BundleExports };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { script, exports: module.exports };
};

if (process.argv.includes('--make-code-cache')) {
  const { script } = load(undefined);
  // Written whole or not at all: a start meanwhile reads the old cache or none.
  writeFileSync(`${CACHE}.tmp`, script.createCachedData());
  renameSync(`${CACHE}.tmp`, CACHE);
} else {
  load(readCache()).exports.startProcess();
}
