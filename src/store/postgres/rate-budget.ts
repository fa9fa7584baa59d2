import { withTransaction } from './transaction.js';
import type { Pool } from 'pg';
import { guard } from '../errors.js';
import type { RateTake, RateWindow, SharedRateLimits, SharedRateStore } from '../rate-budget.js';
import { LOCK_NAMESPACE } from './migrate.js';

// Every take in the schema waits for this lock, so that the windows it reads are the ones its
// event joins: two instances checking at once would both find the last place free. The budget
// is per app, so one lock for all keys; a take is three round trips, far more than the 50
// events a second the windows let through. `BEGIN` and the lock share one round trip.
const BEGIN_LOCKED = `BEGIN; SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext('rate-budget:' || current_schema()))`;

// The database's clock for every instance, whose own clocks may differ. An event under way has
// `counts_at` in the future and counts as now (LEAST), so sorting by `counts_at` sorts by when
// events count. With `max` events allowed per window, the one that must leave the window before
// the next is allowed is the `max`-th most recent (OFFSET max - 1): its time plus the window is
// when the window allows one more. The event is recorded only when every window and hold allows it.
const TAKE = `
  WITH clock AS (SELECT clock_timestamp() AS now),
  per_key AS (
    SELECT max(LEAST(x.counts_at, c.now) + w.ms * interval '1 millisecond') AS ready
    FROM clock c, unnest($2::int[], $3::int[]) AS w(ms, max)
    CROSS JOIN LATERAL (SELECT e.counts_at FROM rate_events e
      WHERE e.key = $1 AND e.counts_at > c.now - w.ms * interval '1 millisecond'
      ORDER BY e.counts_at DESC OFFSET w.max - 1 LIMIT 1) x),
  overall AS (
    SELECT max(LEAST(x.counts_at, c.now) + w.ms * interval '1 millisecond') AS ready
    FROM clock c, unnest($4::int[], $5::int[]) AS w(ms, max)
    CROSS JOIN LATERAL (SELECT e.counts_at FROM rate_events e
      WHERE e.counts_at > c.now - w.ms * interval '1 millisecond'
      ORDER BY e.counts_at DESC OFFSET w.max - 1 LIMIT 1) x),
  ready AS (
    SELECT c.now, GREATEST(c.now, (SELECT ready FROM per_key), (SELECT ready FROM overall),
      (SELECT max(until) FROM rate_holds WHERE key IN ($1, ''))) AS at
    FROM clock c),
  taken AS (
    INSERT INTO rate_events (key, counts_at)
    SELECT $1, r.now + $6::int * interval '1 millisecond' FROM ready r WHERE r.at <= r.now
    RETURNING id)
  SELECT (SELECT id FROM taken) AS id, (EXTRACT(EPOCH FROM (r.at - r.now)) * 1000)::float8 AS wait_ms FROM ready r`;

/** How often an instance deletes the events older than every window, at most. */
const PRUNE_EVERY_MS = 60_000;

const columns = (windows: readonly RateWindow[]) => [windows.map((w) => w.windowMs), windows.map((w) => w.max)];

export const createPostgresRateBudget = (pool: Pool): SharedRateStore => {
  let lastPrune = 0;
  const prune = async (limits: SharedRateLimits): Promise<void> => {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    const keepMs = Math.max(...limits.perKey.map((w) => w.windowMs), ...limits.overall.map((w) => w.windowMs)) + limits.staleMs;
    await pool.query(`DELETE FROM rate_events WHERE counts_at < clock_timestamp() - $1::int * interval '1 millisecond'`, [keepMs]);
    await pool.query('DELETE FROM rate_holds WHERE until < clock_timestamp()');
  };

  const take = (key: string, limits: SharedRateLimits): Promise<RateTake> =>
    withTransaction(
      pool,
      async (client) => {
        const { rows } = await client.query<{ id: string | null; wait_ms: number }>(TAKE, [
          key,
          ...columns(limits.perKey),
          ...columns(limits.overall),
          limits.staleMs,
        ]);
        const row = rows[0];
        return row?.id ? { id: Number(row.id) } : { waitMs: Math.max(1, Math.ceil(row?.wait_ms ?? 1)) };
      },
      BEGIN_LOCKED,
    );

  return {
    takeRate: guard('takeRate', async (key: string, limits: SharedRateLimits) => {
      const taken = await take(key, limits);
      // Outside the lock; a failure leaves the rows for the next time.
      if ('id' in taken) await prune(limits).catch(() => undefined);
      return taken;
    }),
    settleRate: guard('settleRate', async (id: number) => {
      await pool.query('UPDATE rate_events SET counts_at = clock_timestamp() WHERE id = $1', [id]);
    }),
    releaseRate: guard('releaseRate', async (id: number) => {
      await pool.query('DELETE FROM rate_events WHERE id = $1', [id]);
    }),
    holdRate: guard('holdRate', async (key: string, ms: number, overallMs: number) => {
      await pool.query(
        `INSERT INTO rate_holds (key, until)
         VALUES ($1, clock_timestamp() + $2::int * interval '1 millisecond'), ('', clock_timestamp() + $3::int * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET until = GREATEST(rate_holds.until, EXCLUDED.until)`,
        [key, Math.max(0, Math.round(ms)), Math.max(0, Math.round(overallMs))],
      );
    }),
  };
};
