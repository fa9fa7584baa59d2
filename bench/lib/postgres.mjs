// A fresh PostgreSQL database per benchmark run, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server to create databases on; the CI machine's trust-auth PostgreSQL unless set. */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates `bench_<random>`; resolves with its URL and a `drop()`, or rejects if the server is unreachable. */
export const createDatabase = async (prefix) => {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  const name = `bench_${prefix}_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async count(sql) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const { rows } = await client.query(sql);
        return Number(Object.values(rows[0])[0]);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
};
