// Starting and measuring the processes under test: the bridge (as `npm start` runs it) and its stand-ins.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCommand } from '../../dist/tools/start-command.js';
import { sleep } from './stats.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// A benchmark that fails half-way must not leave its servers running: kill what is left at exit.
const children = new Set();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
/** `npm start`'s node arguments (package.json): the bridge is measured as it ships, the bundle with its flags. */
const START = startCommand(ROOT);
export const MAIN = join(ROOT, START.entry);
const START_FLAGS = START.flags;
export const INBOUND_PATH = '/webhooks/clicksend/inbound';

/** A free loopback port (the OS picks it, we release it, the child binds it). */
export const freePort = async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
};

export const webhookToken = () => randomBytes(32).toString('hex');

/** A scratch directory, removed by `remove()`. */
export const scratchDir = (prefix) => {
  const path = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
};

/** Polls `url` until it answers 200; resolves with the time it took, in ms from `since` (hrtime ns). */
export const waitForOk = async (url, since, timeoutMs = 20_000, child) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return Number(process.hrtime.bigint() - since) / 1e6;
    } catch {
      // not listening yet
    }
    if (child && child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before ${url} answered 200`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(2);
  }
};

/**
 * Spawns a Node entry point (the bridge by default) with a clean environment and `cwd` in a
 * scratch directory (so no `.env` is picked up), and waits for its `/readyz`. `readyMs` counts
 * from the spawn call to the first 200.
 */
export const startServer = async ({ entry = MAIN, env, execArgv = [], cwd, name = 'bridge' }) => {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const flags = entry === MAIN ? START_FLAGS : ['--disable-warning=DEP0111'];
  const child = spawn(process.execPath, [...execArgv, ...flags, entry], {
    cwd: cwd ?? tmpdir(),
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  let readyMs;
  try {
    readyMs = await waitForOk(`${url}/readyz`, started, 20_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not become ready: ${error.message}\n${output}`);
  }
  return {
    name,
    child,
    pid: child.pid,
    url,
    readyMs,
    output: () => output,
    /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
};

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (ms) of every process whose command name is `name` (e.g. PostgreSQL's backends). */
export const cpuOfProcessesNamed = (name) => {
  let cpuMs = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  }
  return cpuMs;
};

/** CPU time (user + system, ms) and resident set size (MB) of a process, from /proc. */
export const processUsage = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return { cpuMs, rssMb: rssKb / 1024, peakRssMb: hwmKb / 1024 };
};
