import { describe, expect, it } from 'vitest';
import { startTestBridge } from '../helpers/bridge.js';
import { dropSchema, uniqueName } from '../helpers/postgres.js';
import { expectEachOnceInOrder, linkChannel, postedSms, pushSms, until } from '../helpers/relay-traffic.js';

/**
 * Two bridge instances on one PostgreSQL database, as behind a load balancer: ClickSend's
 * pushes reach either (a repeated push may reach both), both delivery workers run, and still
 * every SMS is posted once, in order, in its customer's one thread.
 */

const CUSTOMERS = 4;
const PER_CUSTOMER = 10;

describe('two bridge instances sharing PostgreSQL', { timeout: 30_000 }, () => {
  it('post every text once, in order, one thread per customer, whichever instance took the push', async ({ onTestFinished }) => {
    const schema = uniqueName('instances_test');
    // Runs after afterEach has stopped both bridges.
    onTestFinished(() => dropSchema(schema));
    const [a, b] = await Promise.all([
      startTestBridge({ webhooks: true, database: { engine: 'postgres', schema } }),
      startTestBridge({ webhooks: true, database: { engine: 'postgres', schema } }),
    ]);
    // The link names a's connector as the channel's service URL: both instances post there.
    await linkChannel(a.url, a.connector);
    // The instances share Teams' budget through the database (see instances-budget.test.ts);
    // a 429 that comes back anyway must not cost a text or post one twice.
    a.connector.enforceLimits(true);

    // Customers text at once; each one's texts arrive in order, alternating between the
    // instances, and every third push is delivered to both (ClickSend repeating it).
    let pushes = 0;
    await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, i) => {
        const customer = i + 1;
        for (let n = 1; n <= PER_CUSTOMER; n += 1) {
          pushes += 1;
          const targets = pushes % 3 === 0 ? [a.url, b.url] : [(customer + n) % 2 === 0 ? a.url : b.url];
          const statuses = await Promise.all(targets.map((url) => pushSms(url, customer, n)));
          expect(statuses).toEqual(targets.map(() => 200));
        }
      }),
    );

    await until(() => postedSms(a.connector).length >= CUSTOMERS * PER_CUSTOMER, 'every text in Teams', 15_000);
    await until(async () => (await a.app.store.outboxStats()).pending === 0 || undefined, 'an empty outbox');
    expectEachOnceInOrder(a.connector, CUSTOMERS, PER_CUSTOMER);
    expect(b.connector.calls).toEqual([]);
  });
});
