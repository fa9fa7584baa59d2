import { describe, expect, it } from 'vitest';
import { createTeamsRateLimiter } from '../../src/teams/rate-limits.js';
import { CHANNEL_ID, failure, setup } from './setup.js';

describe('Teams rate limits at the fake connector', () => {
  it('refuses the 8th post in a second to one channel\'s threads with 429 and Retry-After', async () => {
    const s = await setup();
    s.connector.enforceLimits(true);
    const target = (root: number) => ({ ...s.channel, conversationId: `${CHANNEL_ID};messageid=${root}` });
    for (let i = 0; i < 7; i += 1) await s.gateway.post(target(i % 2), { text: `post ${i}` });
    const error = await failure(s.gateway.post(target(2), { text: 'one too many' }));
    expect(error).toMatchObject({ status: 429, permanent: false, retryAfterMs: 1_000 });
    await expect(s.gateway.post({ ...s.channel, conversationId: '19:support@thread.tacv2' }, { text: 'elsewhere' })).resolves.toBeDefined();
    expect(s.connector.throttled).toBe(1);
  });

  it('is never hit by senders in ten channels at once that wait and reserve as the limiter says', async () => {
    const s = await setup();
    s.connector.enforceLimits(true);
    const limiter = createTeamsRateLimiter();
    // 8 posts per channel: 80 due at once, where each channel alone may make 7 a second.
    const channels = Array.from({ length: 10 }, (_, c) => `19:channel-${c}@thread.tacv2`);
    await Promise.all(
      channels.map(async (channel) => {
        for (let i = 0; i < 8; i += 1) {
          const conversationId = `${channel};messageid=${i}`;
          for (let wait = limiter.delayFor(conversationId); wait > 0; wait = limiter.delayFor(conversationId)) {
            await new Promise((resolve) => setTimeout(resolve, wait + 50));
          }
          const reservation = limiter.reserve(conversationId);
          await s.gateway.post({ ...s.channel, conversationId }, { text: `post ${i}` }).finally(() => reservation.settle());
        }
      }),
    );
    expect(s.connector.throttled).toBe(0);
    expect(s.connector.calls).toHaveLength(80);
  }, 10_000);
});

