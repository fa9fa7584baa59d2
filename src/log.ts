import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets must never reach a log
 * line, even when a whole request, error or config object is logged by mistake.
 */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'appPassword',
  '*.appPassword',
  'webhookToken',
  '*.webhookToken',
  'token',
  '*.token',
] as const;

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  readonly name?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
}

export const createLogger = (options: LoggerOptions): Logger =>
  pino(
    {
      name: options.name ?? 'clicksend-teams-bridge',
      level: options.level,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      base: { pid: process.pid },
    },
    options.destination,
  );

/** A logger that writes nothing, for code paths whose deps leave the logger out. */
export const silentLogger: Logger = pino({ level: 'silent' });
