import { pino, stdSerializers, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { ServerOptions } from 'restify';
import { scrubFields, scrubLine, secretsPattern } from './log-scrub.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  readonly name?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
  /**
   * The configured secret values (API key, app password, webhook and metrics tokens): cut out
   * of every line, also URL-encoded or in base64, whatever key or message carried them.
   */
  readonly secrets?: readonly (string | undefined)[];
}

const DEBUG = pino.levels.values.debug ?? 20;

/**
 * The bridge's logger. Every line goes through two passes (log-scrub.ts), at every level:
 * - secrets never show: secret-bearing keys (`authorization`, `password`, `apiKey`, `token`,
 *   `MicrosoftAppPassword`, ...) at any depth, credentials in URLs (`?token=`, `user:pass@`),
 *   `Bearer`/`Basic` credentials and the configured secret values become `[redacted]`;
 * - while the logger's level is above `debug` (info, warn, ...), phone numbers are masked
 *   (`+61******111`: under phone keys in any format, E.164 anywhere) and message texts under
 *   text keys (`body`, `text`, `subject`, ...) are replaced by their length. At `debug` and
 *   `trace` they show in full: that is what those levels are for; secrets still do not.
 * pino's own `redact` is not used: its wildcard paths reach one level deep only, and cost about
 * ten times a whole line without them; the field pass censors the same keys at any depth.
 */
export const createLogger = (options: LoggerOptions): Logger => {
  const secrets = secretsPattern(options.secrets ?? []);
  // The root logger's current level decides, so that `logger.level = 'debug'` shows details.
  let root: Logger | undefined;
  const detailed = (): boolean => (root?.levelVal ?? Infinity) <= DEBUG;
  root = pino(
    {
      name: options.name ?? 'clicksend-teams-bridge',
      level: options.level,
      base: { pid: process.pid },
      // The field pass already turned errors into plain objects: serializing those again would call them "Object".
      serializers: { err: (error: unknown) => (error instanceof Error ? stdSerializers.err(error) : error) },
      formatters: { log: (fields) => scrubFields(fields, detailed()) },
      hooks: { streamWrite: (line) => scrubLine(line, detailed(), secrets) },
    },
    options.destination,
  );
  return root;
};

/**
 * The logger to hand restify, so that its own lines go through the same passes: left to its own
 * pino, restify writes the whole request (URL with its token, raw headers with the
 * Authorization, body) when it cannot format an answer. Below `warn` it only chatters (and calls
 * `log.trace()` as a level check, which pino writes as an empty line).
 */
export const restifyLogger = (logger: Logger): ServerOptions['log'] => {
  const child = logger.child({ module: 'restify' }, { level: logger.isLevelEnabled('warn') ? 'warn' : logger.level });
  // restify 11 logs through pino, but its types still name bunyan's Logger.
  return child as unknown as ServerOptions['log'];
};

/** A logger that writes nothing, for code paths whose deps leave the logger out. */
export const silentLogger: Logger = pino({ level: 'silent' });
