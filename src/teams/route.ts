import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { ACTIVITY_JSON_LIMITS, findJsonLimitViolation } from '../http/json-limits.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { BridgeActivityHandler } from './handler.js';

// Teams caps a bot message at about 100 KB; an activity sent to us is of the same order.
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Why an activity was refused before botbuilder saw it; the status follows from the code. */
export type ActivityRefusalCode = 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE' | 'ERR_ACTIVITY_JSON_LIMIT';

/** The one place a refusal of `/api/messages` becomes an HTTP status. */
export const activityRefusalStatus = (code: ActivityRefusalCode): number => {
  switch (code) {
    case 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'ERR_ACTIVITY_JSON_LIMIT':
      return 400;
    default: {
      const _never: never = code;
      return _never;
    }
  }
};

type Next = (error?: unknown) => void;

const refuseActivity = (res: restify.Response, next: Next, code: ActivityRefusalCode, error: string, log: Logger): void => {
  log.warn({ code }, 'activity refused');
  res.send(activityRefusalStatus(code), { error, code });
  next(false);
};

/**
 * Bot Framework posts JSON only. Checked before the body parser: restify's would otherwise also
 * take forms and multipart uploads (writing files to disk) from anyone who can reach the port.
 */
const verifyJsonContentType = (log: Logger) => (req: restify.Request, res: restify.Response, next: Next) => {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json') return next();
  res.setHeader('Connection', 'close');
  return refuseActivity(res, next, 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE', 'send the activity as application/json', log);
};

/** Depth and string limits, after parsing and before botbuilder walks the activity. */
const verifyActivityLimits = (log: Logger) => (req: restify.Request, res: restify.Response, next: Next) => {
  const violation = findJsonLimitViolation(req.body, ACTIVITY_JSON_LIMITS);
  if (!violation) return next();
  return refuseActivity(res, next, 'ERR_ACTIVITY_JSON_LIMIT', violation.message, log);
};

/** `POST /api/messages`: Bot Framework activities from Teams, through the CloudAdapter. */
export const mountBotRoute = (server: HttpServer, adapter: CloudAdapter, handler: BridgeActivityHandler, logger: Logger): void => {
  const log = logger.child({ module: 'bot-route' });
  adapter.onTurnError = async (context, error) => {
    // Reached only for errors outside the bot's own handling (which answers with a card).
    log.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
  };
  server.post(
    '/api/messages',
    verifyJsonContentType(log),
    restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false }),
    verifyActivityLimits(log),
    async (req: restify.Request, res: restify.Response) => {
      await adapter.process(req, res, (context) => handler.run(context));
    },
  );
};
