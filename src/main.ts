import { createApp } from './app.js';
import { describeConfig, secretsOf } from './config-describe.js';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './log.js';
import { VERSION } from './version.js';

/** How long a graceful stop may take before the process gives up on it and exits 1. */
const GRACE_MS = 10_000;
const CLOSE_MARGIN_MS = 5_000;

/**
 * The process: load config, build the app, listen, and close gracefully on SIGTERM/SIGINT (a
 * second signal exits at once). The only place that calls process.exit. Importing this module
 * starts nothing (the bundle's loader loads it at build time to make its code cache).
 */
const main = async (): Promise<void> => {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`clicksend-teams-bridge cannot start.\n${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const app = await createApp(config, { logger });
  const { url } = await app.listen();
  const described = describeConfig(config);
  logger.info({ version: VERSION, url, config: described }, 'bridge started');
  void app.checkClickSend();

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal, graceMs: GRACE_MS }, 'stopping');
    // close() keeps to the grace; this is the backstop should anything in it hang.
    setTimeout(() => {
      logger.error({ version: VERSION, config: described }, 'bridge did not stop in time; exiting');
      process.exit(1);
    }, GRACE_MS + CLOSE_MARGIN_MS).unref();
    app.close(GRACE_MS).then(
      () => {
        logger.info({ version: VERSION, config: described }, 'bridge stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

/** Starts the bridge as a process: `start.ts` calls this from the bundle. */
export const startProcess = (): void => {
  main().catch((error: unknown) => {
    process.stderr.write(`clicksend-teams-bridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
};
