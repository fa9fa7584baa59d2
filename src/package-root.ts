import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder (where package.json and cards/ are): the nearest folder above this
 * module that has a package.json. Found rather than fixed, because this module runs from src/
 * (tests), from dist/ and from the single-file bundle in dist/bundle/.
 */
export const packageRoot = (from: string = fileURLToPath(import.meta.url)): string => {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
};
