import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { ACTIVITY_JSON_LIMITS, findJsonLimitViolation } from '../http/json-limits.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import { activityIssuesOf, type ActivityIssue } from './activity-envelope.js';
import type { BridgeActivityHandler } from './handler.js';
import { createCountedLog } from './counted-log.js';
import { createBodyBudget, isBearerShaped, UNAUTHENTICATED_BODY_BYTES } from './pre-auth.js';

// Teams caps a bot message at about 100 KB; an activity sent to us is of the same order.
const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Why an activity was refused before botbuilder saw it; the status follows from the code. */
type ActivityRefusalCode =
  | 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_ACTIVITY_TOO_LARGE'
  | 'ERR_ACTIVITY_JSON_LIMIT'
  | 'ERR_ACTIVITY_INVALID'
  | 'ERR_ACTIVITY_NO_TOKEN'
  | 'ERR_ACTIVITY_BUSY';

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
    case 'ERR_ACTIVITY_NO_TOKEN':
      return 401;
    case 'ERR_ACTIVITY_BUSY':
      return 503;
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
  // Anyone can send requests without a token by the thousand: not a warning each.
  const level = code === 'ERR_ACTIVITY_NO_TOKEN' || code === 'ERR_ACTIVITY_BUSY' ? 'debug' : 'warn';
  log[level]({ code, issues: issues.map((i) => i.path) }, 'activity refused');
  res.send(activityRefusalStatus(code), issues.length > 0 ? { error, code, issues } : { error, code });
  next(false);
};

/** A refusal before the body is read: the connection cannot carry another request after it. */
const refuseUnread = (res: restify.Response, next: Next, code: ActivityRefusalCode, error: string, log: Logger): void => {
  res.setHeader('Connection', 'close');
  refuseActivity(res, next, code, error, log);
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
  const refuse = (code: ActivityRefusalCode, message: string) => refuseUnread(res, next, code, message, log);
  if (mediaType !== 'application/json') return refuse('ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE', 'send the activity as application/json');
  if (encoding !== 'identity') return refuse('ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE', 'send the activity without Content-Encoding');
  if (Number.isFinite(declared) && declared > MAX_ACTIVITY_BYTES) return refuse('ERR_ACTIVITY_TOO_LARGE', tooLargeMessage);
  return next();
};

const BUSY_RETRY_AFTER_S = 1;

/**
 * With an app id, what a caller may cost before botbuilder checks its token (which it reads
 * only once the whole body is parsed). An `Authorization` that cannot hold a token is refused
 * unread. The bodies of requests not yet authenticated share one budget: each holds its
 * declared length (the largest activity when it declares none) from before the parser starts
 * until botbuilder accepts its token or its response ends, the client hanging up included.
 */
const createPreAuthChecks = (maxBytes: number, logger: Logger) => {
  const log = logger.child({ module: 'bot-route' });
  const budget = createBodyBudget(maxBytes);
  const releases = new WeakMap<restify.Request, () => void>();
  // Counted beside the tokens botbuilder refuses, where an operator looks for refused callers.
  const authLog = logger.child({ module: 'bot-auth' });
  const countNoToken = createCountedLog((fields) => authLog.warn(fields, 'activities refused: no valid Bot Framework token'), 'refused');
  const countBusy = createCountedLog(
    (fields) => log.warn({ ...fields, heldBytes: budget.held(), maxBytes }, 'activities refused: too many bodies being read before authentication'),
    'refused',
  );
  return {
    verifyTokenShape: (req: restify.Request, res: restify.Response, next: Next) => {
      if (isBearerShaped(req.headers.authorization)) return next();
      countNoToken();
      return refuseUnread(res, next, 'ERR_ACTIVITY_NO_TOKEN', 'unauthorized: the request has no Bot Framework token', log);
    },
    reserveBody: (req: restify.Request, res: restify.Response, next: Next) => {
      const declared = Number(req.headers['content-length']);
      const release = budget.take(Number.isFinite(declared) ? declared : MAX_ACTIVITY_BYTES);
      if (!release) {
        countBusy();
        res.setHeader('Retry-After', String(BUSY_RETRY_AFTER_S));
        return refuseUnread(res, next, 'ERR_ACTIVITY_BUSY', 'the bot is reading too many requests; try again', log);
      }
      releases.set(req, release);
      res.once('close', release);
      return next();
    },
    /** Called once botbuilder has accepted the request's token. */
    authenticated: (req: restify.Request) => releases.get(req)?.(),
  };
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

export interface BotRouteOptions {
  /** Whether botbuilder checks a token on every activity (a MicrosoftAppId is configured). */
  readonly authenticated: boolean;
  /** Body bytes requests not yet authenticated may hold at once, all together; `UNAUTHENTICATED_BODY_BYTES` by default. */
  readonly unauthenticatedBodyBytes?: number;
}

/** `POST /api/messages`: Bot Framework activities from Teams, through the CloudAdapter. */
export const mountBotRoute = (
  server: HttpServer,
  adapter: CloudAdapter,
  handler: BridgeActivityHandler,
  logger: Logger,
  options: BotRouteOptions,
): void => {
  const log = logger.child({ module: 'bot-route' });
  // Without an app id nothing is authenticated: the bridge then listens on loopback only (config.ts).
  const preAuth = options.authenticated ? createPreAuthChecks(options.unauthenticatedBodyBytes ?? UNAUTHENTICATED_BODY_BYTES, logger) : undefined;
  adapter.onTurnError = async (context, error) => {
    // Reached only for errors outside the bot's own handling (which answers with a card).
    log.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
  };
  server.post(
    '/api/messages',
    ...(preAuth ? [preAuth.verifyTokenShape] : []),
    verifyActivityHeaders(log),
    ...(preAuth ? [preAuth.reserveBody] : []),
    restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false }),
    verifyActivity(log),
    async (req: restify.Request, res: restify.Response) => {
      // botbuilder runs the turn only for a request whose token it accepted.
      await adapter.process(req, res, (context) => {
        preAuth?.authenticated(req);
        return handler.run(context);
      });
    },
  );
};
