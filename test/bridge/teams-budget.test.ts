import { afterEach, describe, expect, it } from 'vitest';
import { createSharedTeamsBudget, type BudgetReservation, type TeamsBudget } from '../../src/bridge/teams-budget.js';
import { silentLogger } from '../../src/log.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/store.js';
import { TEAMS_LIMITS } from '../../src/teams/rate-limits.js';
import { dropSchema, TEST_DATABASE_URL, uniqueName } from '../helpers/postgres.js';
import { until } from '../helpers/relay-traffic.js';

const channel = (c: number): string => `19:budget-${c}@thread.tacv2`;
const PER_SECOND = TEAMS_LIMITS.perConversation[0].max;
const APP_PER_SECOND = TEAMS_LIMITS.global[0].max;

/** Takes places until the budget says to wait; the places taken. */
const takeAll = async (budgets: readonly TeamsBudget[], conversationId: string): Promise<BudgetReservation[]> => {
  const taken: BudgetReservation[] = [];
  for (let i = 0; ; i += 1) {
    const place = await budgets[i % budgets.length]!.take(conversationId);
    if (typeof place === 'number') return taken;
    taken.push(place);
  }
};

describe('the Teams budget shared through PostgreSQL', () => {
  const stores: Store[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(schemas.splice(0).map(dropSchema));
  });

  /** `count` instances' budgets on one fresh schema. */
  const instances = async (count: number): Promise<TeamsBudget[]> => {
    const schema = uniqueName('budget_test');
    schemas.push(schema);
    const opened: Store[] = [];
    for (let i = 0; i < count; i += 1) opened.push(await openPostgresStore({ url: TEST_DATABASE_URL, schema, logger: silentLogger }));
    stores.push(...opened);
    return opened.map((store) => createSharedTeamsBudget({ rates: store.sharedRates!, log: silentLogger }));
  };

  it('lets three instances together send to a channel and its threads no more than one instance may', async () => {
    const budgets = await instances(3);
    const taken = await takeAll(budgets, channel(1));
    await Promise.all(taken.map((place) => place.settle()));
    expect(taken).toHaveLength(PER_SECOND);
    expect(await budgets[0]!.take(`${channel(1)};messageid=1700000000001`)).toBeGreaterThan(0);
    // Another channel has a budget of its own.
    expect(typeof (await budgets[1]!.take(channel(2)))).toBe('object');
  });

  it('lets them together send no more than the app may, across channels', async () => {
    const budgets = await instances(3);
    let taken = 0;
    for (let c = 1; c <= 10; c += 1) taken += (await takeAll(budgets, channel(c))).length;
    expect(taken).toBe(APP_PER_SECOND);
  });

  it('counts a send never answered (its instance died) until it is released, and one given back not at all', async () => {
    const [a, b] = await instances(2);
    const open = await takeAll([a!], channel(1));
    expect(open).toHaveLength(PER_SECOND);
    expect(await b!.take(channel(1))).toBeGreaterThan(0);
    await open[0]!.release();
    expect(typeof (await b!.take(channel(1)))).toBe('object');
  });

  it('holds a channel back for every instance when one of them was answered 429', async () => {
    const [a, b] = await instances(2);
    a!.penalize(channel(1), 5_000);
    const wait = await until(async () => {
      const place = await b!.take(channel(1));
      return typeof place === 'number' ? place : (await place.release(), undefined);
    }, 'the hold to reach the other instance');
    expect(wait).toBeGreaterThan(4_000);
    // The other channels wait up to the app's window only.
    const other = await b!.take(channel(2));
    expect(typeof other === 'number' ? other : 0).toBeLessThanOrEqual(1_000);
  });

  it('rejects a take when the database fails, rather than allowing the send', async () => {
    const [a] = await instances(1);
    await stores[0]!.close();
    await expect(a!.take(channel(1))).rejects.toMatchObject({ code: 'ERR_STORE' });
  });
});
