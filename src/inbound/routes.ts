import type restify from 'restify';
import type { z } from 'zod';
import { maskPhoneNumber } from '../domain/phone.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { DeliveryReceipt, InboundSms } from '../store/relay.js';
import { decodeBody, readBody, verifyPushEncoding } from './body.js';
import { isWebhookError, WebhookError, webhookStatus, type WebhookIssue } from './errors.js';
import { createDeliveryReceiptSchema, createInboundSmsSchema } from './schemas.js';
import { tokenOf, verifyWebhookToken } from './token.js';

export const WEBHOOK_PATHS = {
  inbound: '/webhooks/clicksend/inbound',
  receipts: '/webhooks/clicksend/receipts',
} as const;

/** Where accepted pushes go: the store only, so that a push is answered without waiting for Teams. */
export interface WebhookSink {
  /** Resolves once the SMS (and its outbox row) is committed; a known `message_id` is a `duplicate`. */
  acceptInbound(sms: InboundSms): Promise<'stored' | 'duplicate'>;
  /** Resolves once applied; false when the message is not ours (still answered 200). */
  acceptReceipt(receipt: DeliveryReceipt): Promise<boolean>;
}

export interface WebhookRoutesDeps {
  /** `WEBHOOK_TOKEN`; while unset (or empty) both routes answer 404. */
  readonly token: string | undefined;
  readonly sink: WebhookSink;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** One webhook: its path, its schema, and how an accepted push reaches the sink. */
interface WebhookRoute<T> {
  readonly path: string;
  readonly kind: string;
  readonly schema: z.ZodType<T>;
  readonly messageIdOf: (push: T) => string;
  /** Hands the push to the sink; returns the fields of the `accepted` log line. */
  readonly deliver: (push: T) => Promise<Record<string, unknown>>;
  /** Extra fields for a debug line (masked numbers), if any. */
  readonly debugFields?: (push: T) => Record<string, unknown>;
}

const issuesOf = (error: z.ZodError): WebhookIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

/** Validates a decoded body and hands it to the sink; every failure is a coded WebhookError. */
const accept = async <T>(route: WebhookRoute<T>, fields: unknown, log: Logger): Promise<void> => {
  const parsed = route.schema.safeParse(fields);
  if (!parsed.success) {
    throw new WebhookError('ERR_WEBHOOK_INVALID_BODY', `the body is not a valid ClickSend ${route.kind} push`, {
      issues: issuesOf(parsed.error),
    });
  }
  const messageId = route.messageIdOf(parsed.data);
  let outcome: Record<string, unknown>;
  try {
    outcome = await route.deliver(parsed.data);
  } catch (error) {
    throw new WebhookError('ERR_WEBHOOK_SINK_FAILED', 'the push could not be stored; try again later', { messageId, cause: error });
  }
  log.info({ route: route.path, messageId, ...outcome }, `${route.kind} push accepted`);
  if (route.debugFields) log.debug({ route: route.path, messageId, ...route.debugFields(parsed.data) }, `${route.kind} push numbers`);
};

/** Answers a refusal with the status its code maps to, and logs it without the token or the push. */
const refuse = (req: restify.Request, res: restify.Response, route: string, error: unknown, log: Logger): void => {
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
      log.warn({ ...fields, issues: error.issues.map((i) => i.path) }, 'webhook push refused');
      break;
    case 'ERR_WEBHOOK_UNAUTHORIZED':
    case 'ERR_WEBHOOK_UNSUPPORTED_MEDIA_TYPE':
    case 'ERR_WEBHOOK_BODY_TOO_LARGE':
    case 'ERR_WEBHOOK_ABORTED':
      log.warn(fields, 'webhook push refused');
      break;
    default: {
      const _never: never = error.code;
      return _never;
    }
  }
  res.send(status, error.code === 'ERR_WEBHOOK_INVALID_BODY' ? { error: error.message, issues: error.issues } : { error: error.message });
};

/**
 * The transport edge of one webhook: token, content type, size, then the route's own parse and
 * sink. Only the route path is logged, never `req.url` (it carries the token).
 */
const createHandler = <T>(route: WebhookRoute<T>, token: string | undefined, log: Logger) =>
  async (req: restify.Request, res: restify.Response): Promise<void> => {
    try {
      if (!token) throw new WebhookError('ERR_WEBHOOK_DISABLED', 'not found');
      verifyWebhookToken(tokenOf(req.url), token);
      const encoding = verifyPushEncoding(req.headers['content-type']);
      const fields = decodeBody(await readBody(req), encoding);
      await accept(route, fields, log);
      res.send(200, { ok: true });
    } catch (error) {
      refuse(req, res, route.path, error, log);
    }
  };

const mountRoute = <T>(server: HttpServer, route: WebhookRoute<T>, token: string | undefined, log: Logger): void => {
  server.post(route.path, createHandler(route, token, log));
};

/**
 * `POST /webhooks/clicksend/inbound` and `POST /webhooks/clicksend/receipts`, per the contract:
 * 200 `{"ok":true}` once the sink resolved (a duplicate too), 401 bad token, 404 while no token
 * is configured, 415 other content types, 413 above 64 KiB, 400 with issues, 503 when the sink
 * fails.
 */
export const mountWebhookRoutes = (server: HttpServer, deps: WebhookRoutesDeps): void => {
  const { sink } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ module: 'inbound' });
  const token = deps.token || undefined;

  mountRoute(
    server,
    {
      path: WEBHOOK_PATHS.inbound,
      kind: 'inbound sms',
      schema: createInboundSmsSchema({ now }),
      messageIdOf: (sms) => sms.messageId,
      deliver: async (sms) => ({ outcome: await sink.acceptInbound(sms) }),
      debugFields: (sms) => ({ from: maskPhoneNumber(sms.from), to: maskPhoneNumber(sms.to) }),
    },
    token,
    log,
  );
  mountRoute(
    server,
    {
      path: WEBHOOK_PATHS.receipts,
      kind: 'delivery receipt',
      schema: createDeliveryReceiptSchema({ now }),
      messageIdOf: (receipt) => receipt.messageId,
      // A receipt for a message that is not ours is still answered 200: ClickSend cannot fix it.
      deliver: async (receipt) => ({ status: receipt.status, ours: await sink.acceptReceipt(receipt) }),
    },
    token,
    log,
  );
};
