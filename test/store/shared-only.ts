import { it } from 'vitest';

/**
 * Registers a test only for engines where two stores can open one database (a file or a
 * server; not `:memory:`). Such tests are left out for `:memory:` rather than skipped: they
 * cannot apply there.
 */
export const itWhenShared = (context: { readonly sharesDatabase: boolean }): ((name: string, fn: () => Promise<void>) => void) =>
  context.sharesDatabase ? (name, fn) => it(name, fn) : () => undefined;
