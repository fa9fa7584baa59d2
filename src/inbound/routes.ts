import type restify from 'restify';
import type { z } from 'zod';
import { maskPhoneNumber } from '../domain/phone.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { DeliveryReceipt, InboundSms } from '../store/relay.js';
import { findJsonLimitViolation, WEBHOOK_JSON_LIMITS } from '../http/json-limits.js';
import { decodeBody, readBody, verifyPushEncoding } from './body.js';
import {
  clientAddressOf,
  createCallerAllowList,
  createFailureLimiter,
  limiterKeyOf,
  verifyCallerAllowed,
  verifyNotLimited,
  type FailureLimiter,
} from './callers.js';
import { WebhookError, type WebhookIssue } from './errors.js';
import { refuse } from './refuse.js';
import { createDeliveryReceiptSchema, createInboundSmsSchema } from './schemas.js';
import { createVoiceReceiptSchema } from './voice-receipt-schema.js';
import { expectedToken, tokenOf, verifyWebhookToken, type ExpectedToken } from './token.js';

export const WEBHOOK_PATHS = {
  inbound: '/webhooks/clicksend/inbound',
  receipts: '/webhooks/clicksend/receipts',
  voiceReceipts: '/webhooks/clicksend/voice-receipts',
} as const;

/** Where accepted pushes go: the store only, so that a push is answered without waiting for Teams. */
export interface WebhookSink {
  /** Resolves once the SMS (and its outbox row) is committed; a known `message_id` is a `duplicate`. */
  acceptInbound(sms: InboundSms): Promise<'stored' | 'duplicate'>;
  /** Resolves once applied; false when the message is not ours (still answered 200). */
  acceptReceipt(receipt: DeliveryReceipt): Promise<boolean>;
}

export interface WebhookRoutesDeps {
  /** `WEBHOOK_TOKEN`; while unset (or empty) every route answers 404. */
  readonly token: string | undefined;
  readonly sink: WebhookSink;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** `WEBHOOK_ALLOWED_IPS`: addresses and CIDR blocks; everyone when undefined. */
  readonly allowedIps?: readonly string[] | undefined;
  /** `TRUST_PROXY`: the caller is the right-most `X-Forwarded-For` entry. */
  readonly trustProxy?: boolean;
  /** Counts wrong tokens per caller; one (10 per minute, 10,000 callers) is made when left out. */
  readonly failures?: FailureLimiter;
}

/** What every webhook route shares: the token and the caller checks. */
interface Gate {
  readonly token: ExpectedToken | undefined;
  readonly trustProxy: boolean;
  readonly isAllowed: (address: string) => boolean;
  readonly failures: FailureLimiter;
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

/** A JSON body nested too deep or holding a huge string is refused before any schema walks it. */
const verifyJsonLimits = (fields: unknown): void => {
  const violation = findJsonLimitViolation(fields, WEBHOOK_JSON_LIMITS);
  if (violation) {
    throw new WebhookError('ERR_WEBHOOK_JSON_LIMIT', violation.message, { issues: [{ path: violation.path, message: violation.message }] });
  }
};

/** Compares the token unless the caller is limited; a wrong one counts against the caller. */
const verifyToken = (req: restify.Request, token: ExpectedToken, failures: FailureLimiter, key: string, route: string, log: Logger): void => {
  verifyNotLimited(failures, key);
  try {
    verifyWebhookToken(tokenOf(req.url), token);
  } catch (error) {
    failures.recordFailure(key);
    // Logged once per window: from now on the caller is refused before the token is compared.
    if (failures.retryAfterMs(key) > 0) log.warn({ route, clientAddress: key }, 'webhook caller limited after repeated wrong tokens');
    throw error;
  }
};

/**
 * The transport edge of one webhook: the caller (allow-list, then the failure limit), the
 * token, content type, size, JSON limits, then the route's own parse and sink. Nothing of the
 * body is read before the caller and the token passed. Only the route path is logged, never
 * `req.url` (it carries the token).
 */
const createHandler = <T>(route: WebhookRoute<T>, gate: Gate, log: Logger) =>
  async (req: restify.Request, res: restify.Response): Promise<void> => {
    const address = clientAddressOf(req, gate.trustProxy);
    try {
      const { token } = gate;
      if (!token) throw new WebhookError('ERR_WEBHOOK_DISABLED', 'not found');
      verifyCallerAllowed(gate.isAllowed, address);
      verifyToken(req, token, gate.failures, limiterKeyOf(address), route.path, log);
      const encoding = verifyPushEncoding(req.headers['content-type']);
      const fields = decodeBody(await readBody(req), encoding);
      verifyJsonLimits(fields);
      await accept(route, fields, log);
      res.send(200, { ok: true });
    } catch (error) {
      refuse(req, res, route.path, error, log, address);
    }
  };

const mountRoute = <T>(server: HttpServer, route: WebhookRoute<T>, gate: Gate, log: Logger): void => {
  server.post(route.path, createHandler(route, gate, log));
};

/**
 * `POST /webhooks/clicksend/inbound`, `POST /webhooks/clicksend/receipts` and
 * `POST /webhooks/clicksend/voice-receipts`, per the contract:
 * 200 `{"ok":true}` once the sink resolved (a duplicate too), 401 bad token, 404 while no token
 * is configured, 403 outside WEBHOOK_ALLOWED_IPS, 429 after repeated wrong tokens, 415 other
 * content types, 413 above 64 KiB, 400 with issues, 503 when the sink fails.
 */
export const mountWebhookRoutes = (server: HttpServer, deps: WebhookRoutesDeps): void => {
  const { sink } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ module: 'inbound' });
  const gate: Gate = {
    token: deps.token ? expectedToken(deps.token) : undefined,
    trustProxy: deps.trustProxy ?? false,
    isAllowed: createCallerAllowList(deps.allowedIps),
    failures: deps.failures ?? createFailureLimiter(),
  };

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
    gate,
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
    gate,
    log,
  );
  mountRoute(
    server,
    {
      path: WEBHOOK_PATHS.voiceReceipts,
      kind: 'voice receipt',
      schema: createVoiceReceiptSchema({ now }),
      messageIdOf: (receipt) => receipt.messageId,
      // A voice message's status lives where an SMS's does: one sink, one record per message id.
      deliver: async (receipt) => ({ status: receipt.status, ours: await sink.acceptReceipt(receipt) }),
    },
    gate,
    log,
  );
};
