import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { TEST_WEBHOOK_TOKEN } from '../helpers/bridge.js';
import { scrapeMetrics } from '../helpers/metrics.js';
import { freePort, ROOT, START_ARGS } from '../helpers/process.js';
import { pushSms, smsId, until } from '../helpers/relay-traffic.js';

const BRIDGE_USER = { uid: 65534, gid: 65534 };

/** Whether another user can reach the checkout (every directory above it searchable by others). */
const othersReach = (path: string): boolean => {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
};

/**
 * How to run the bridge so that file permissions bind it. Root writes whatever they say: as root
 * the bridge runs as `nobody`, or, when `nobody` cannot reach the checkout (one under /root), as
 * root without the capabilities that override them (CAP_DAC_OVERRIDE among them).
 */
const BRIDGE_RUN = ((): { readonly command: string; readonly prefix: readonly string[]; readonly user?: typeof BRIDGE_USER } => {
  if (process.getuid?.() !== 0) return { command: process.execPath, prefix: [] };
  if (othersReach(ROOT)) return { command: process.execPath, prefix: [], user: BRIDGE_USER };
  return { command: 'setpriv', prefix: ['--bounding-set=-all', '--inh-caps=-all', '--', process.execPath] };
})();

/** The bridge as `npm start` runs it (the bundle: build first), bound by file permissions. */
const startBridge = async (databasePath: string) => {
  const port = await freePort();
  const child = spawn(BRIDGE_RUN.command, [...BRIDGE_RUN.prefix, ...START_ARGS], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), WEBHOOK_TOKEN: TEST_WEBHOOK_TOKEN, DATABASE_URL: `sqlite:${databasePath}`, LOG_LEVEL: 'info' },
    ...BRIDGE_RUN.user,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  onTestFinished(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  });
  await until(() => /bridge started/.test(output) || child.exitCode !== null, 'the bridge to start', 15_000);
  if (child.exitCode !== null) throw new Error(`the bridge exited (${child.exitCode}):\n${output}`);
  return { url: `http://127.0.0.1:${port}`, output: () => output };
};

const readyz = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('GET /readyz with a SQLite file the bridge cannot write', () => {
  it('answers 503 with the store reason and store_up 0, refuses pushes, and once the file is writable answers 200 and stores pushes again, without a restart', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'readyz-sqlite-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'bridge.sqlite');
    // A migrated database, then left read-only to the bridge's user (a restore done as root, a chmod).
    await (await openSqliteStore({ path, logger: silentLogger })).close();
    if (BRIDGE_RUN.user) {
      chownSync(dir, BRIDGE_RUN.user.uid, BRIDGE_RUN.user.gid);
      chownSync(path, BRIDGE_RUN.user.uid, BRIDGE_RUN.user.gid);
    }
    chmodSync(path, 0o444);

    const bridge = await startBridge(path);
    const failing = await readyz(bridge.url);
    expect(failing.status).toBe(503);
    expect(failing.body).toMatchObject({
      ok: false,
      checks: { store: { ok: false, reason: expect.stringMatching(/cannot be written \(SQLITE_READONLY\)/) }, teams: { ok: true } },
    });
    expect(JSON.stringify(failing.body)).not.toContain(dir);
    expect((await scrapeMetrics(bridge.url)).value('bridge_store_up')).toBe(0);
    expect(await pushSms(bridge.url, 1, 1)).toBe(503);

    // The operator's fix: the database's files writable again. SQLite made the -wal and -shm files
    // with the database file's mode, so they are read-only too.
    for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o644);
    const ready = await until(async () => {
      const answer = await readyz(bridge.url);
      return answer.status === 200 ? answer.body : undefined;
    }, '/readyz to recover', 20_000);
    expect(ready).toMatchObject({ ok: true, checks: { store: { ok: true } } });
    expect((await scrapeMetrics(bridge.url)).value('bridge_store_up')).toBe(1);
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    expect(await pushSms(bridge.url, 1, 2)).toBe(200);
    expect(bridge.output()).toMatch(/store reopened/);

    const db = new Database(path, { readonly: true });
    const stored = db.prepare<[], { message_id: string }>('SELECT message_id FROM inbound ORDER BY message_id').all();
    db.close();
    expect(stored.map((row) => row.message_id)).toEqual([smsId(1, 1), smsId(1, 2)]);
  });
});
