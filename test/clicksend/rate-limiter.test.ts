import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/clicksend/rate-limiter.js';

/** A clock that only moves when the limiter sleeps. */
const fakeClock = () => {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
};

describe('createRateLimiter', () => {
  it('lets the first N calls of a window through at once', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requests: 3, windowMs: 60_000, ...clock });
    for (let i = 0; i < 3; i += 1) await limiter.acquire();
    expect(clock.sleeps).toEqual([]);
  });

  it('makes the next call wait until the oldest one leaves the window', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requests: 100, windowMs: 60_000, ...clock });
    const starts: number[] = [];
    for (let i = 0; i < 250; i += 1) {
      await limiter.acquire();
      starts.push(clock.now());
    }
    expect(starts.filter((t) => t < 60_000)).toHaveLength(100);
    expect(starts.filter((t) => t < 120_000)).toHaveLength(200);
    // No window of 60 s ever holds more than 100 starts.
    for (let i = 100; i < starts.length; i += 1) expect(starts[i]! - starts[i - 100]!).toBeGreaterThanOrEqual(60_000);
  });

  it('serves concurrent callers in the order they asked', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ requests: 1, windowMs: 1000, ...clock });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.now()).toBe(3000);
  });
});
