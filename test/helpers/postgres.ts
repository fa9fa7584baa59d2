import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server (trust auth, database `test`); these helpers never skip when it is missing. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A name no other test (or test process) uses: lower case, as the store insists. */
export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`;

/** Runs `work` on a connection of its own to the test database. */
export const withAdmin = async <T>(work: (client: pg.Client) => Promise<T>, url = TEST_DATABASE_URL): Promise<T> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** Drops a schema the store created (`openPostgresStore({ schema })` makes it when missing). */
export const dropSchema = (schema: string): Promise<void> =>
  withAdmin(async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

export interface TestDatabase {
  /** A `DATABASE_URL` for the new database: for bridge processes, whose URL cannot name a schema. */
  readonly url: string;
  /** Drops it, closing whatever connections are left (those of a killed process, too). */
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server. */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const name = uniqueName('relay_test');
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
};
