import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { ACTIVITY_JSON_LIMITS, findJsonLimitViolation } from '../http/json-limits.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import { activityIssuesOf, type ActivityIssue } from './activity-envelope.js';
import type { BridgeActivityHandler } from './handler.js';

// Teams caps a bot message at about 100 KB; an activity sent to us is of the same order.
const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Why an activity was refused before botbuilder saw it; the status follows from the code. */
type ActivityRefusalCode = 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE' | 'ERR_ACTIVITY_TOO_LARGE' | 'ERR_ACTIVITY_JSON_LIMIT' | 'ERR_ACTIVITY_INVALID';

/** The one place a refusal of `/api/messages` becomes an HTTP status. */
const activityRefusalStatus = (code: ActivityRefusalCode): number => {
  switch (code) {
    case 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'ERR_ACTIVITY_TOO_LARGE':
      return 413;
    case 'ERR_ACTIVITY_JSON_LIMIT':
    case 'ERR_ACTIVITY_INVALID':
      return 400;
    default: {
      const _never: never = code;
      return _never;
    }
  }
};

type Next = (error?: unknown) => void;

const refuseActivity = (
  res: restify.Response,
  next: Next,
  code: ActivityRefusalCode,
  error: string,
  log: Logger,
  issues: readonly ActivityIssue[] = [],
): void => {
  log.warn({ code, issues: issues.map((i) => i.path) }, 'activity refused');
  res.send(activityRefusalStatus(code), issues.length > 0 ? { error, code, issues } : { error, code });
  next(false);
};

const tooLargeMessage = `the activity is larger than ${MAX_ACTIVITY_BYTES} bytes`;

/**
 * What can be refused from the headers alone, before the body parser reads a byte. Bot
 * Framework posts plain JSON only: restify's parser would otherwise also take forms and
 * multipart uploads (writing files to disk), and it inflates gzip without counting the
 * inflated bytes (256 KB of gzip can hold 256 MB). A declared length over the limit is refused
 * at once rather than read to its end.
 */
const verifyActivityHeaders = (log: Logger) => (req: restify.Request, res: restify.Response, next: Next) => {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const declared = Number(req.headers['content-length']);
  // The body is left unread: the connection cannot carry another request after it.
  const refuseUnread = (code: ActivityRefusalCode, message: string) => {
    res.setHeader('Connection', 'close');
    return refuseActivity(res, next, code, message, log);
  };
  if (mediaType !== 'application/json') return refuseUnread('ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE', 'send the activity as application/json');
  if (encoding !== 'identity') return refuseUnread('ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE', 'send the activity without Content-Encoding');
  if (Number.isFinite(declared) && declared > MAX_ACTIVITY_BYTES) return refuseUnread('ERR_ACTIVITY_TOO_LARGE', tooLargeMessage);
  return next();
};

/**
 * Depth and string limits, then the fields botbuilder relies on, after parsing and before
 * botbuilder walks the activity.
 */
const verifyActivity = (log: Logger) => (req: restify.Request, res: restify.Response, next: Next) => {
  const violation = findJsonLimitViolation(req.body, ACTIVITY_JSON_LIMITS);
  if (violation) return refuseActivity(res, next, 'ERR_ACTIVITY_JSON_LIMIT', violation.message, log);
  const issues = activityIssuesOf(req.body);
  if (issues.length > 0) return refuseActivity(res, next, 'ERR_ACTIVITY_INVALID', 'the body is not a Bot Framework activity', log, issues);
  return next();
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
    verifyActivityHeaders(log),
    restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false }),
    verifyActivity(log),
    async (req: restify.Request, res: restify.Response) => {
      await adapter.process(req, res, (context) => handler.run(context));
    },
  );
};
