import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on one connection between BEGIN and COMMIT, rolling back when it throws. A
 * connection whose ROLLBACK failed is destroyed rather than handed to the next caller. `begin`
 * replaces the plain `BEGIN` (e.g. with a lock taken in the same round trip).
 */
export const withTransaction = async <T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
};
