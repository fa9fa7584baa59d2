import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.js';
import { createStoreCheck, storeFailureReason } from '../../src/store/write-probe.js';

const failing = (dbCode: string) => Object.assign(new Error('refused'), { code: dbCode });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createStoreCheck', () => {
  it('probes once for every caller within its cache time, and again after it', async () => {
    let probes = 0;
    const check = createStoreCheck(async () => void probes++, { cacheMs: 100 });
    expect(await Promise.all([check(), check(), check()])).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(await check()).toEqual({ ok: true });
    expect(probes).toBe(1);
    await sleep(120);
    await check();
    expect(probes).toBe(2);
  });

  it('reports a failure no later than its cache time after a success', async () => {
    let writable = true;
    const check = createStoreCheck(
      async () => {
        if (!writable) throw new StoreError('probeWrite', failing('SQLITE_READONLY'));
      },
      { cacheMs: 50 },
    );
    expect(await check()).toEqual({ ok: true });
    writable = false;
    await sleep(60);
    expect(await check()).toEqual({ ok: false, reason: expect.stringContaining('cannot be written (SQLITE_READONLY)') });
  });

  it('answers "did not answer" when the probe hangs, and starts no second probe while the first hangs', async () => {
    let probes = 0;
    let finish: () => void = () => undefined;
    const check = createStoreCheck(
      () => {
        probes++;
        return probes === 1 ? new Promise<void>((resolve) => (finish = resolve)) : Promise.resolve();
      },
      { cacheMs: 0, timeoutMs: 30 },
    );
    expect(await check()).toEqual({ ok: false, reason: 'the store did not answer within 0.03 s' });
    expect(await check()).toEqual({ ok: false, reason: 'the store did not answer within 0.03 s' });
    expect(probes).toBe(1);
    finish();
    await sleep(5);
    expect(await check()).toEqual({ ok: true });
    expect(probes).toBe(2);
  });
});

describe('storeFailureReason', () => {
  it('names the kind of failure and the engine code, never the message (it may hold a path or a URL)', () => {
    const reason = (code: string) => storeFailureReason(new StoreError('probeWrite', Object.assign(new Error('/data/secret-path'), { code })));
    expect(reason('SQLITE_READONLY_DIRECTORY')).toMatch(/^the database cannot be written \(SQLITE_READONLY_DIRECTORY\)/);
    expect(reason('25006')).toMatch(/^the database is read-only \(25006\)/);
    expect(reason('SQLITE_FULL')).toBe("the database's disk is full (SQLITE_FULL)");
    expect(reason('53100')).toBe("the database's disk is full (53100)");
    expect(reason('SQLITE_IOERR_WRITE')).toBe('the database file cannot be opened or written (SQLITE_IOERR_WRITE)');
    expect(reason('ECONNREFUSED')).toBe('the database could not be reached (ECONNREFUSED)');
    expect(reason('57P01')).toBe('the database could not be reached (57P01)');
    expect(reason('42501')).toBe('the database did not take the write probe (42501)');
    expect(storeFailureReason(new StoreError('probeWrite', new TypeError('The database connection is not open')))).toBe('the store did not answer');
    for (const code of ['SQLITE_READONLY', '25006', 'SQLITE_FULL', 'ECONNREFUSED']) expect(reason(code)).not.toContain('secret');
  });
});
