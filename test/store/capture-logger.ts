import { z } from 'zod';
import { createLogger, type Logger } from '../../src/log.js';

const LogLine = z.object({ msg: z.string() }).catchall(z.unknown());
export type LogLine = z.infer<typeof LogLine>;

/** A real pino logger whose lines land in `lines`, parsed. */
export const captureLogger = (): { logger: Logger; lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line) => lines.push(LogLine.parse(JSON.parse(line))) } });
  return { logger, lines };
};

/** The migration versions a logger was told were applied, in order. */
export const appliedVersions = (lines: readonly LogLine[]): unknown[] =>
  lines.filter((line) => line.msg === 'migration applied').map((line) => line.version);
