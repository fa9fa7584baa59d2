import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/store/group-commit.js';

describe('group commit', () => {
  it('commits the writes asked for in one turn together, and answers each only after that commit', async () => {
    const batches: number[][] = [];
    const committed = new Set<number>();
    const group = createGroupCommit((items: readonly number[]) => {
      batches.push([...items]);
      for (const item of items) committed.add(item);
      return items.map((n) => n * 10);
    });
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        group.submit(n).then((result) => {
          expect(committed.has(n)).toBe(true);
          return result;
        }),
      ),
    );
    expect(answers).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await group.submit(4)).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('fails every write of a batch whose commit fails, and only those', async () => {
    let fail = true;
    const group = createGroupCommit(async (items: readonly string[]) => {
      if (fail) throw new Error('disk full');
      return items.map(() => 'ok');
    });
    const first = await Promise.allSettled(['a', 'b', 'c'].map((s) => group.submit(s)));
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(first.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['disk full', 'disk full', 'disk full']);
    fail = false;
    expect(await group.submit('d')).toBe('ok');
  });

  it('splits a large turn into batches of at most maxBatch, in order', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit(
      (items: readonly number[]) => {
        batches.push([...items]);
        return items;
      },
      { maxBatch: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => group.submit(n)))).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('commits what is waiting when flushed, without waiting for the turn to end', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit((items: readonly number[]) => {
      batches.push([...items]);
      return items;
    });
    const pending = group.submit(1);
    await group.flush();
    expect(batches).toEqual([[1]]);
    expect(await pending).toBe(1);
  });

  it('gathers the writes asked for while maxInFlight batches are under way into the next one', async () => {
    const batches: number[][] = [];
    const releases: (() => void)[] = [];
    const group = createGroupCommit(
      async (items: readonly number[]) => {
        batches.push([...items]);
        await new Promise<void>((resolve) => releases.push(resolve));
        return items;
      },
      { maxInFlight: 1 },
    );
    const first = group.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => group.submit(n));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([[1]]);
    releases.shift()!();
    expect(await first).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    releases.shift()!();
    expect(await Promise.all(later)).toEqual([2, 3, 4]);
  });
});
