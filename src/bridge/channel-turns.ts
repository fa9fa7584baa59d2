/**
 * One send at a time per channel. All threads of a channel share Teams' budget, and Teams
 * counts a request when it arrives, which we cannot see; so a channel's sends take turns, and
 * each holds its place in the budget from its start and is counted at Teams' answer (by then
 * Teams has counted it, however long it took to get there): counting only at the start let a
 * send that was slow to arrive still sit in Teams' window when ours had let it go. The wait for
 * a turn is bounded, so that a row waits in hand at most that, its budget and one Teams call,
 * well within its lease.
 */
export const createChannelTurns = (maxWaitMs: number) => {
  const turns = new Map<string, Promise<void>>();

  /** Resolves with the function that ends the turn, or undefined when the wait was too long. */
  const take = async (channelId: string): Promise<(() => void) | undefined> => {
    const before = turns.get(channelId) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const mine = before.then(() => done);
    turns.set(channelId, mine);
    const leave = () => {
      release();
      if (turns.get(channelId) === mine) turns.delete(channelId);
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
