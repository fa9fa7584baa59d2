import { describe, expect, it } from 'vitest';
import { TEAMS_LIMITS, conversationKey, createTeamsRateLimiter } from '../../src/teams/rate-limits.js';

const CHANNEL = '19:sales@thread.tacv2';
const OTHER = '19:support@thread.tacv2';
const thread = (root: number) => `${CHANNEL};messageid=${root}`;
const HOUR = 3_600_000;

const clocked = () => {
  let now = 0;
  const limiter = createTeamsRateLimiter({ now: () => now });
  return {
    limiter,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    /** Sends `count` times to `id`, `everyMs` apart, each allowed when sent. */
    sendEvery(id: string, count: number, everyMs: number) {
      for (let i = 0; i < count; i += 1) {
        if (i > 0) now += everyMs;
        expect(limiter.delayFor(id), `send ${i + 1} at ${now} ms`).toBe(0);
        limiter.record(id);
      }
    },
  };
};

/** Sends as fast as the limiter allows and returns when each send happened. */
const greedy = (ids: (i: number) => string, count: number) => {
  const clock = clocked();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    clock.advance(clock.limiter.delayFor(ids(i)));
    expect(clock.limiter.delayFor(ids(i))).toBe(0);
    clock.limiter.record(ids(i));
    times.push(clock.now());
  }
  return times;
};

/** The most sends any window of `windowMs` holds. */
const busiestWindow = (times: readonly number[], windowMs: number): number => {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while (times[start]! <= times[end]! - windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
};

describe('TEAMS_LIMITS', () => {
  it('holds Microsoft\'s published bot limits per conversation and per app', () => {
    expect(TEAMS_LIMITS.perConversation.map((l) => [l.windowMs, l.max])).toEqual([
      [1_000, 7],
      [2_000, 8],
      [30_000, 60],
      [HOUR, 1_800],
    ]);
    expect(TEAMS_LIMITS.global.map((l) => [l.windowMs, l.max])).toEqual([[1_000, 50]]);
  });
});

describe('conversationKey', () => {
  it('counts a thread as its channel and leaves other ids alone', () => {
    expect(conversationKey(thread(1700000000000))).toBe(CHANNEL);
    expect(conversationKey(CHANNEL)).toBe(CHANNEL);
    expect(conversationKey('a:personal-chat-1')).toBe('a:personal-chat-1');
  });
});

describe('createTeamsRateLimiter', () => {
  it('allows 7 sends in a second and makes the 8th wait until the first leaves the window', () => {
    const clock = clocked();
    clock.sendEvery(CHANNEL, 7, 100);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(400);
    clock.advance(399);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(1);
    clock.advance(1);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(0);
  });

  it('allows only 8 sends in 2 seconds even when each second has room', () => {
    const clock = clocked();
    clock.sendEvery(CHANNEL, 7, 0);
    clock.advance(1_000);
    clock.sendEvery(CHANNEL, 1, 0);
    // The 1 s window holds one send; the 2 s window holds 8 until the burst at 0 leaves it.
    expect(clock.limiter.delayFor(CHANNEL)).toBe(1_000);
  });

  it('allows only 60 sends in 30 seconds', () => {
    const clock = clocked();
    // 4 a second keeps within 7/1 s and 8/2 s.
    clock.sendEvery(CHANNEL, 60, 250);
    expect(clock.now()).toBe(14_750);
    clock.advance(250);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(15_000);
  });

  it('allows only 1,800 sends in an hour', () => {
    const clock = clocked();
    // 2 a second keeps within 60/30 s.
    clock.sendEvery(CHANNEL, 1_800, 500);
    expect(clock.now()).toBe(899_500);
    clock.advance(500);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(HOUR - 900_000);
    clock.advance(HOUR - 900_000);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(0);
  });

  it('never lets a greedy sender break any window, and lets it use every window in full', () => {
    const times = greedy(() => CHANNEL, 1_900);
    for (const { windowMs, max } of TEAMS_LIMITS.perConversation) expect(busiestWindow(times, windowMs)).toBe(max);
    expect(times.filter((t) => t < HOUR)).toHaveLength(1_800);
    expect(times[1_800]).toBe(HOUR);
  });

  it('allows 50 sends a second across all conversations, whatever each has left', () => {
    const clock = clocked();
    for (let i = 0; i < 50; i += 1) clock.sendEvery(`a:chat-${i}`, 1, 0);
    expect(clock.limiter.delayFor('a:chat-50')).toBe(1_000);
    expect(clock.limiter.delayFor('a:chat-0')).toBe(1_000);
    const times = greedy((i) => `a:chat-${i}`, 500);
    expect(busiestWindow(times, 1_000)).toBe(50);
  });

  it('makes a channel and all its threads share one budget, and leaves other channels alone', () => {
    const clock = clocked();
    clock.sendEvery(thread(1), 3, 0);
    clock.sendEvery(thread(2), 3, 0);
    clock.sendEvery(CHANNEL, 1, 0);
    expect(clock.limiter.delayFor(thread(3))).toBe(1_000);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(1_000);
    expect(clock.limiter.delayFor(OTHER)).toBe(0);
    expect(clock.limiter.size()).toBe(1);
  });

  it('holds everything for a conversation after a 429 until the penalty ends, without shortening a longer one', () => {
    const clock = clocked();
    clock.limiter.penalize(thread(1), 5_000);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(5_000);
    expect(clock.limiter.delayFor(thread(2))).toBe(5_000);
    // Other conversations wait out the global window only (see below).
    expect(clock.limiter.delayFor(OTHER)).toBe(1_000);
    clock.limiter.penalize(CHANNEL, 1_000);
    clock.advance(4_000);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(1_000);
    clock.advance(1_000);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(0);
  });

  it('holds every other conversation for up to the global window after a 429, as Teams does not say which limit it was', () => {
    const clock = clocked();
    clock.limiter.penalize(CHANNEL, 5_000);
    expect(clock.limiter.delayFor(OTHER)).toBe(1_000);
    clock.limiter.penalize(CHANNEL, 300);
    expect(clock.limiter.delayFor(OTHER)).toBe(1_000);
    clock.advance(1_000);
    expect(clock.limiter.delayFor(OTHER)).toBe(0);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(4_000);
  });

  it('counts a send from its start, so that sends started meanwhile elsewhere see it', () => {
    const clock = clocked();
    const inFlight = Array.from({ length: 50 }, (_, i) => clock.limiter.reserve(`a:chat-${i}`));
    // Each leaves the window no sooner than a second after its answer, which is still to come.
    expect(clock.limiter.delayFor('a:chat-50')).toBe(1_000);
    clock.advance(300);
    for (const send of inFlight) send.settle();
    expect(clock.limiter.delayFor('a:chat-50')).toBe(1_000);
    clock.advance(1_000);
    expect(clock.limiter.delayFor('a:chat-50')).toBe(0);
  });

  it('counts an answered send from its answer, and gives back the place of one that never reached Teams', () => {
    const clock = clocked();
    const sends = Array.from({ length: 7 }, () => clock.limiter.reserve(thread(1)));
    expect(clock.limiter.delayFor(CHANNEL)).toBe(1_000);
    clock.advance(800);
    sends.pop()!.release();
    expect(clock.limiter.delayFor(CHANNEL)).toBe(0);
    for (const send of sends) send.settle();
    clock.limiter.record(CHANNEL);
    expect(clock.limiter.delayFor(CHANNEL)).toBe(1_000);
    // Settling or releasing twice changes nothing.
    sends[0]!.settle();
    sends[0]!.release();
    expect(clock.limiter.delayFor(CHANNEL)).toBe(1_000);
  });

  it('does not count asking as sending', () => {
    const clock = clocked();
    for (let i = 0; i < 100; i += 1) expect(clock.limiter.delayFor(CHANNEL)).toBe(0);
    expect(clock.limiter.size()).toBe(0);
  });

  it('forgets conversations idle for an hour, and keeps those still penalised', () => {
    const clock = clocked();
    for (let i = 0; i < 5_000; i += 1) {
      clock.limiter.record(`19:channel-${i}@thread.tacv2;messageid=${i}`);
      clock.advance(1);
    }
    clock.limiter.penalize(OTHER, 2 * HOUR);
    expect(clock.limiter.size()).toBe(5_001);
    clock.advance(HOUR);
    clock.limiter.record(CHANNEL);
    expect(clock.limiter.size()).toBe(2);
    expect(clock.limiter.delayFor(OTHER)).toBeGreaterThan(0);
  });

  it('keeps up with thousands of busy conversations', () => {
    const clock = clocked();
    const started = performance.now();
    for (let i = 0; i < 200_000; i += 1) {
      const id = `19:channel-${i % 5_000}@thread.tacv2`;
      if (clock.limiter.delayFor(id) === 0) clock.limiter.record(id);
      clock.advance(1);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

/**
 * Senders in `conversations` conversations, each one send at a time as fast as the limiter
 * allows, each send taking 5-400 ms to be answered and arriving at Teams somewhere in between,
 * in fake time for `forMs`. `reserving` false counts each send only at its answer, as the
 * limiter was used before.
 */
const simulate = (conversations: number, forMs: number, reserving = true) => {
  let now = 0;
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const limiter = createTeamsRateLimiter({ now: () => now });
  const events: { at: number; run: () => void }[] = [];
  const at = (time: number, run: () => void) => {
    const after = events.findLastIndex((event) => event.at <= time);
    events.splice(after + 1, 0, { at: time, run });
  };
  const starts: number[] = [];
  const arrivals: number[][] = Array.from({ length: conversations }, () => []);
  const attempt = (c: number) => {
    const id = `19:channel-${c}@thread.tacv2;messageid=${c}`;
    const wait = limiter.delayFor(id);
    if (wait > 0) return at(now + wait, () => attempt(c));
    const reservation = reserving ? limiter.reserve(id) : undefined;
    const latency = 5 + random() * 395;
    starts.push(now);
    arrivals[c]!.push(now + random() * latency);
    at(now + latency, () => {
      if (reservation) reservation.settle();
      else limiter.record(id);
      attempt(c);
    });
  };
  for (let c = 0; c < conversations; c += 1) at(0, () => attempt(c));
  while (events.length > 0 && events[0]!.at <= forMs) {
    const next = events.shift()!;
    now = next.at;
    next.run();
  }
  const sorted = (times: readonly number[]) => [...times].sort((a, b) => a - b);
  return { starts, arrivals: arrivals.map(sorted), allArrivals: sorted(arrivals.flat()) };
};

describe('sends started at once in many conversations', () => {
  it.each([10, 100])('never exceed 50 in any second, started or arrived, across %i conversations', (conversations) => {
    const { starts, arrivals, allArrivals } = simulate(conversations, 20_000);
    expect(busiestWindow(starts, 1_000)).toBeLessThanOrEqual(50);
    expect(busiestWindow(allArrivals, 1_000)).toBeLessThanOrEqual(50);
    for (const times of arrivals) {
      for (const { windowMs, max } of TEAMS_LIMITS.perConversation) expect(busiestWindow(times, windowMs)).toBeLessThanOrEqual(max);
    }
    // Held back, not starved: 60 per channel in 30 s, or 50 a second less the time in flight.
    expect(starts.length).toBeGreaterThanOrEqual(Math.min(conversations * 60, 20 * 40));
  });

  it('would exceed 50 a second if each send counted only from its answer', () => {
    const { allArrivals } = simulate(100, 20_000, false);
    expect(busiestWindow(allArrivals, 1_000)).toBeGreaterThan(50);
  });
});
