import type { Clock } from '../../src/store/store.js';

export interface FakeClock {
  readonly now: Clock;
  advance(ms: number): void;
}

/** A clock that only moves when told to. */
export const fakeClock = (start = '2030-01-01T00:00:00.000Z'): FakeClock => {
  let time = Date.parse(start);
  return {
    now: () => new Date(time),
    advance: (ms) => {
      time += ms;
    },
  };
};

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;
