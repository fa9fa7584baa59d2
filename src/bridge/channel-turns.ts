/**
 * One send at a time per channel. All threads of a channel share Teams' budget, and Teams
 * counts a request when it arrives, which we cannot see; so a channel's sends take turns, and
 * each holds its place in the budget from its start and is counted at Teams' answer (by then
 * Teams has counted it, however long it took to get there): counting only at the start let a
 * send that was slow to arrive still sit in Teams' window when ours had let it go. The wait for
 * a turn is bounded, so that a row waits in hand at most that, its budget and one Teams call,
 * well within its lease.
 *
 * Only `maxWaiting` rows wait for a busy channel; the next ones are turned away at once. The
 * worker holds few rows at a time, and rows queueing for one channel would hold them all while
 * rows of other channels, free to go, stayed in the store.
 */
export const createChannelTurns = (maxWaitMs: number, maxWaiting = 1) => {
  const turns = new Map<string, { last: Promise<void>; queued: number }>();

  /** Resolves with the function that ends the turn, or undefined when the wait would be too long. */
  const take = async (channelId: string): Promise<(() => void) | undefined> => {
    const channel = turns.get(channelId) ?? { last: Promise.resolve(), queued: 0 };
    // The holder of the turn and those waiting for it.
    if (channel.queued > maxWaiting) return undefined;
    const before = channel.last;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const mine = before.then(() => done);
    channel.last = mine;
    channel.queued += 1;
    turns.set(channelId, channel);
    const leave = () => {
      release();
      channel.queued -= 1;
      if (channel.queued === 0) turns.delete(channelId);
    };
    let timer: NodeJS.Timeout | undefined;
    const turn = await Promise.race([
      before.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), maxWaitMs))),
    ]);
    clearTimeout(timer);
    if (turn) return leave;
    leave();
    return undefined;
  };
  return { take };
};
