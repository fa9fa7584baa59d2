/**
 * Group commit: the writes asked for within one turn of the event loop (the pushes whose
 * requests arrived together) are committed as one batch, and each caller is answered only
 * after that batch's commit, so a resolved promise still means a committed row. Under load a
 * turn holds many requests and the commits per write fall well below one; a lone write waits
 * for nothing but the end of the current turn (`setImmediate`).
 */

export interface GroupCommitOptions {
  /** The most writes in one batch; the rest go into the next. */
  readonly maxBatch?: number;
  /**
   * The most batches being committed at once (unlimited by default). Writes asked for while
   * this many are under way wait for one to finish, and then go together: the busier the
   * database, the larger the batches, instead of a queue of small ones for the pool.
   */
  readonly maxInFlight?: number;
}

/** One item of a batch failed on its own (the others' results stand). */
export class ItemRefused {
  constructor(readonly error: unknown) {}
}

/**
 * Commits `items` together and returns one result per item, in order (an `ItemRefused` fails
 * that item alone); throwing fails them all.
 */
export type CommitBatch<In, Out> = (items: readonly In[]) => readonly (Out | ItemRefused)[] | Promise<readonly (Out | ItemRefused)[]>;

interface Waiting<In, Out> {
  readonly item: In;
  readonly resolve: (value: Out) => void;
  readonly reject: (error: unknown) => void;
}

export const createGroupCommit = <In, Out>(commit: CommitBatch<In, Out>, options: GroupCommitOptions = {}) => {
  const maxBatch = options.maxBatch ?? 256;
  const maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
  const waiting: Waiting<In, Out>[] = [];
  let scheduled: NodeJS.Immediate | undefined;

  const run = async (batch: readonly Waiting<In, Out>[]): Promise<void> => {
    try {
      const results = await commit(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} writes returned ${results.length} results`);
      batch.forEach((w, i) => {
        const result = results[i]!;
        if (result instanceof ItemRefused) w.reject(result.error);
        else w.resolve(result);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };

  const inFlight = new Set<Promise<void>>();
  const start = (): void => {
    scheduled = undefined;
    while (waiting.length > 0 && inFlight.size < maxInFlight) {
      const running: Promise<void> = run(waiting.splice(0, maxBatch)).finally(() => {
        inFlight.delete(running);
        if (waiting.length > 0) schedule();
      });
      inFlight.add(running);
    }
  };
  const schedule = (): void => {
    scheduled ??= setImmediate(start);
  };

  /** Commits everything asked for so far, whatever is under way, and waits for all of it. */
  const flush = async (): Promise<void> => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    const batches: Waiting<In, Out>[][] = [];
    while (waiting.length > 0) batches.push(waiting.splice(0, maxBatch));
    await Promise.all([...inFlight, ...batches.map(run)]);
  };

  return {
    /** Resolves with the item's result once its batch committed; rejects with the batch's failure. */
    submit(item: In): Promise<Out> {
      return new Promise<Out>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
    flush,
  };
};
