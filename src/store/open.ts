import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Clock, Store } from './store.js';

export interface OpenStoreDeps {
  readonly logger: Logger;
  readonly now?: Clock;
}

/** Opens the engine `DATABASE_URL` chose and applies pending migrations. */
export const openStore = (database: Config['database'], deps: OpenStoreDeps): Promise<Store> => {
  switch (database.kind) {
    case 'sqlite':
      return openSqliteStore({ path: database.path, ...deps });
    case 'postgres':
      return openPostgresStore({ url: database.url, ...deps });
    default: {
      const _never: never = database;
      throw new Error(`unknown database kind ${JSON.stringify(_never)}`);
    }
  }
};
