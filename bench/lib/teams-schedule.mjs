// The theoretical minimum time to post one card per SMS under Teams' limits.
import { TEAMS_LIMITS } from '../../dist/teams/rate-limits.js';

/**
 * A sliding window "at most `max` sends in any `windowMs`" (counted as Teams and the fake
 * connector count them: a send at t leaves the window at t + windowMs) allows send number i
 * (0-based, in time order) no earlier than send i - max plus windowMs. Every limit has that
 * shape, so the greedy schedule "each send as early as every window allows" is optimal: by
 * induction each of its send times is no later than the same send in any allowed schedule.
 */
const readyAt = (times, windows) => {
  let ready = 0;
  for (const { windowMs, max } of windows) {
    if (times.length >= max) ready = Math.max(ready, times[times.length - max] + windowMs);
  }
  return ready;
};

/**
 * Posts per conversation (all ready at time 0) -> the greedy schedule's send times under the
 * per-conversation windows and the global one; at each step the conversation that can send
 * soonest sends (ties: the one with most posts left). With one conversation, or whenever the
 * global limit never binds, this is the exact minimum; otherwise it is an achievable schedule,
 * so the true minimum lies between `lowerBoundMs` (max of the slowest conversation alone and
 * everything through the global window alone) and `ms`.
 */
export const minimumSchedule = (postsPerConversation, limits = TEAMS_LIMITS) => {
  const left = [...postsPerConversation];
  const times = left.map(() => []);
  const global = [];
  let end = 0;
  for (let total = left.reduce((a, b) => a + b, 0); total > 0; total -= 1) {
    const globalReady = readyAt(global, limits.global);
    let best = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    for (let c = 0; c < left.length; c += 1) {
      if (left[c] === 0) continue;
      const at = Math.max(globalReady, readyAt(times[c], limits.perConversation), times[c].at(-1) ?? 0);
      // Ties go to the conversation with the most posts left: it is the one that can run late.
      if (at < bestAt || (at === bestAt && left[c] > left[best])) [best, bestAt] = [c, at];
    }
    times[best].push(bestAt);
    global.push(bestAt);
    left[best] -= 1;
    end = Math.max(end, bestAt);
  }
  const alone = (count, windows) => {
    const list = [];
    for (let i = 0; i < count; i += 1) list.push(Math.max(readyAt(list, windows), list.at(-1) ?? 0));
    return list.at(-1) ?? 0;
  };
  const lowerBound = Math.max(
    ...postsPerConversation.map((n) => alone(n, limits.perConversation)),
    alone(postsPerConversation.reduce((a, b) => a + b, 0), limits.global),
  );
  return { ms: end, lowerBoundMs: lowerBound };
};
