import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, START_ARGS } from '../helpers/process.js';

describe('the production bundle', () => {
  it('ships a V8 code cache that Node accepts under the flags npm start runs with', () => {
    const flags = START_ARGS.slice(0, -1);
    expect(START_ARGS.at(-1)).toBe('dist/start.js');
    // What start.ts does, without starting the bridge: compile the bundle with its cache.
    const check = `
      const { readFileSync } = require('node:fs');
      const { wrap } = require('node:module');
      const { Script } = require('node:vm');
      const bundle = ${JSON.stringify(join(ROOT, 'dist', 'bundle', 'main.cjs'))};
      const script = new Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData: readFileSync(bundle + '.cache') });
      process.stdout.write(String(script.cachedDataRejected));`;
    expect(execFileSync(process.execPath, [...flags, '-e', check], { encoding: 'utf8' })).toBe('false');
  });
});
