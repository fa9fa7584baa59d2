import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { BridgeError } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * The Microsoft 365 Agents Playground (a local Teams client with a mock Bot Connector) as a
 * child process, started offline: no browser, no telemetry, nothing but loopback.
 * docs/local-teams.md describes its API.
 */

export interface PlaygroundOptions {
  /** The bot's messages endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  readonly botEndpoint: string;
  /** 0 (the default) lets the OS choose. A taken port is not an error: the playground picks another. */
  readonly port?: number;
  /**
   * Its log file (it deletes the file at start, so never a device such as /dev/null).
   * Default: `devTools/m365agentsplayground.log` under the current directory.
   */
  readonly logFile?: string;
  /** Fixes the personal chat's conversation id, which is otherwise random on every start. */
  readonly conversationId?: string;
  readonly logger: Logger;
  /** How long to wait for `Listening on <port>`; 15 s by default. */
  readonly startTimeoutMs?: number;
}

export interface Playground {
  /** The web UI and its API, e.g. `http://localhost:56150`. */
  readonly url: string;
  readonly port: number;
  /** The mock Bot Connector, the `serviceUrl` of every activity the bot gets. */
  readonly serviceUrl: string;
  readonly logFile: string;
  /** Stops the playground (SIGTERM, then SIGKILL after 2 s). Safe to call twice. */
  close(): Promise<void>;
}

/** The playground did not report its port in time, or exited first. */
export class PlaygroundStartError extends BridgeError {
  readonly code = 'ERR_PLAYGROUND_START' as const;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const CLI = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');

/**
 * Runs before the CLI in the child. The playground never reads stdin, so its end means that the
 * parent is gone, however it died (SIGKILL included): then the playground goes too. Ctrl-C in a
 * terminal signals the whole process group; the parent decides when the playground stops.
 */
const WATCHDOG = `process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();
process.on('SIGINT', () => {});
require(process.argv[1]);`;

/**
 * `--disable-telemetry` only stops its events: its bundled Application Insights still starts a
 * 15-minute heartbeat that asks the cloud metadata address (169.254.169.254) and then the
 * ingestion endpoint. This configuration disables the SDK and points it at a dead loopback port.
 */
const APP_INSIGHTS_OFF = JSON.stringify({
  disableAppInsights: true,
  disableStatsbeat: true,
  enableAutoCollectHeartbeat: false,
  endpointUrl: 'http://127.0.0.1:9',
});

/** The command that `startPlayground` runs; exported so that a test can run it under its own parent. */
export const playgroundCommand = (options: Omit<PlaygroundOptions, 'logger' | 'startTimeoutMs'>) => {
  const logFile = resolve(options.logFile ?? 'devTools/m365agentsplayground.log');
  const args = ['-e', WATCHDOG, '--', CLI, '-e', options.botEndpoint, '-c', 'msteams', '--disable-telemetry', '-p', String(options.port ?? 0)];
  if (options.conversationId !== undefined) args.push('--conversation-id', options.conversationId);
  // Nothing inherited (it needs nothing else): no proxy, no NODE_OPTIONS, no AUTH_CLIENT_* (with
  // which it would demand tokens from the bot and fetch keys from login.microsoftonline.com).
  const env: Record<string, string> = {
    TEAMSAPPTESTER_BROWSER: 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: APP_INSIGHTS_OFF,
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
  };
  return { command: process.execPath, args, env, logFile };
};

/** Starts the playground against `botEndpoint` and resolves once it listens. */
export const startPlayground = async (options: PlaygroundOptions): Promise<Playground> => {
  const log = options.logger.child({ module: 'playground' });
  const { command, args, env, logFile } = playgroundCommand(options);
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<Exit>((resolveExit) => {
    child.on('exit', (code, signal) => resolveExit({ code, signal }));
    child.on('error', (error) => {
      output = `${output}${error.message}\n`;
      if (child.pid === undefined) resolveExit({ code: null, signal: null }); // never spawned: no 'exit' follows
    });
  });
  const collect = (chunk: Buffer) => {
    output = `${output}${chunk.toString()}`.slice(-4_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let closing = false;
  const close = async (): Promise<void> => {
    closing = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    }
  };

  let port: number;
  try {
    port = await waitForPort({ child, output: () => output, exited, timeoutMs: options.startTimeoutMs ?? 15_000, logFile });
  } catch (error) {
    await close();
    throw error;
  }
  void exited.then(({ code, signal }) => {
    if (!closing) log.warn({ code, signal, logFile }, 'playground exited');
  });
  const url = `http://localhost:${port}`;
  log.info({ url, logFile, childPid: child.pid }, 'playground listening');
  return { url, port, serviceUrl: `${url}/_connector`, logFile, close };
};

const waitForPort = ({
  child,
  output,
  exited,
  timeoutMs,
  logFile,
}: {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<Exit>;
  timeoutMs: number;
  logFile: string;
}): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
    };
    const check = () => {
      // Printed only when stdout is not a terminal, before the routes are mounted in the same tick.
      const match = /Listening on (\d+)/.exec(output());
      if (match?.[1] === undefined) return;
      done();
      resolvePort(Number(match[1]));
    };
    const timer = setTimeout(() => {
      done();
      reject(new PlaygroundStartError(`the playground did not listen within ${timeoutMs} ms; see ${logFile}; output:\n${output()}`));
    }, timeoutMs);
    child.stdout.on('data', check);
    void exited.then(({ code, signal }) => {
      done();
      reject(new PlaygroundStartError(`the playground exited (code ${code}, signal ${signal}) before listening; see ${logFile}; output:\n${output()}`));
    });
  });
