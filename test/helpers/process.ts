import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { startCommand } from '../../src/tools/start-command.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The node arguments of `npm start` (package.json's `start` script without its `node`): the
 * process tests run the bridge exactly as it ships, the bundle with its flags (build first).
 */
export const START_ARGS: readonly string[] = (() => {
  const { flags, entry } = startCommand(ROOT);
  return [...flags, entry];
})();

/** A free loopback port (the OS picks it, we release it, the child binds it). */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

export interface RunningProcess {
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves once the output matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs a built entry point (dist/, made by `npm test` before vitest) as a real process. */
export const startProcess = (args: string[], env: Record<string, string>): RunningProcess => {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  running.push(child);
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    output: () => text,
    exited: () => exit,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`)), timeoutMs);
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            child.stderr.off('data', check);
            resolve(match[0]);
          }
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        void exit.then(() => {
          check();
          clearTimeout(timer);
          reject(new Error(`process exited before ${pattern}; output:\n${text}`));
        });
        check();
      }),
  };
};
