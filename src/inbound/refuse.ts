import type restify from 'restify';
import type { Logger } from '../log.js';
import { isWebhookError, webhookStatus } from './errors.js';

/** Answers a refusal with the status its code maps to, and logs it without the token or the push. */
export const refuse = (
  req: restify.Request,
  res: restify.Response,
  route: string,
  error: unknown,
  log: Logger,
  address?: string,
): void => {
  if (!req.complete) {
    // The body was left (partly) unread: close rather than drain whatever else is coming.
    res.setHeader('Connection', 'close');
  }
  if (!isWebhookError(error)) {
    log.error({ route, err: error }, 'webhook push failed');
    res.send(500, { error: 'internal error' });
    return;
  }
  const status = webhookStatus(error.code);
  const fields = { route, code: error.code, status };
  switch (error.code) {
    case 'ERR_WEBHOOK_DISABLED':
      log.warn(fields, 'webhook push refused: set WEBHOOK_TOKEN to enable the ClickSend webhooks');
      break;
    case 'ERR_WEBHOOK_SINK_FAILED':
      log.error({ ...fields, messageId: error.messageId, err: error.cause }, 'webhook push could not be stored');
      break;
    case 'ERR_WEBHOOK_INVALID_BODY':
    case 'ERR_WEBHOOK_JSON_LIMIT':
      log.warn({ ...fields, issues: error.issues.map((i) => i.path) }, 'webhook push refused');
      break;
    case 'ERR_WEBHOOK_FORBIDDEN':
      // The address is what an operator needs to tell ClickSend from a stranger.
      log.warn({ ...fields, clientAddress: address }, 'webhook caller refused');
      break;
    case 'ERR_WEBHOOK_RATE_LIMITED':
      // A guesser sends thousands of these; the failure that started the limit was logged at warn.
      log.debug({ ...fields, clientAddress: address }, 'webhook caller refused');
      break;
    case 'ERR_WEBHOOK_ABORTED':
    case 'ERR_WEBHOOK_BODY_TIMEOUT':
      // The caller's connection, not our fault and nothing to act on (ClickSend pushes again);
      // the cause is Node's ECONNRESET, whose stack says nothing.
      log.info(fields, 'webhook push not read: the connection ended before the body');
      break;
    case 'ERR_WEBHOOK_UNAUTHORIZED':
    case 'ERR_WEBHOOK_UNSUPPORTED_MEDIA_TYPE':
    case 'ERR_WEBHOOK_BODY_TOO_LARGE':
      log.warn(fields, 'webhook push refused');
      break;
    default: {
      const _never: never = error.code;
      return _never;
    }
  }
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  res.send(status, error.issues.length > 0 ? { error: error.message, issues: error.issues } : { error: error.message });
};

