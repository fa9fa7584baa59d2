import { BridgeError } from '../errors.js';

/** Why a webhook push was refused (or could not be taken); the HTTP status follows from it. */
export const WEBHOOK_ERROR_CODES = [
  'ERR_WEBHOOK_DISABLED',
  'ERR_WEBHOOK_FORBIDDEN',
  'ERR_WEBHOOK_RATE_LIMITED',
  'ERR_WEBHOOK_UNAUTHORIZED',
  'ERR_WEBHOOK_UNSUPPORTED_MEDIA_TYPE',
  'ERR_WEBHOOK_BODY_TOO_LARGE',
  'ERR_WEBHOOK_INVALID_BODY',
  'ERR_WEBHOOK_JSON_LIMIT',
  'ERR_WEBHOOK_ABORTED',
  'ERR_WEBHOOK_BODY_TIMEOUT',
  'ERR_WEBHOOK_SINK_FAILED',
] as const;

export type WebhookErrorCode = (typeof WEBHOOK_ERROR_CODES)[number];

export interface WebhookIssue {
  /** The canonical field name (`from`, `status_code`), or `''` for the body as a whole. */
  readonly path: string;
  readonly message: string;
}

export interface WebhookErrorOptions {
  /** What was wrong with the body (`ERR_WEBHOOK_INVALID_BODY`). */
  readonly issues?: readonly WebhookIssue[];
  /** The push's `message_id`, once known (`ERR_WEBHOOK_SINK_FAILED`), for the log line. */
  readonly messageId?: string;
  /** How long a limited caller must wait (`ERR_WEBHOOK_RATE_LIMITED`), for `Retry-After`. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/**
 * A ClickSend push the webhook routes did not take. The message is what the pusher is told
 * (`{"error": message}`): it never holds the token or any field of the push.
 */
export class WebhookError extends BridgeError {
  readonly code: WebhookErrorCode;
  readonly issues: readonly WebhookIssue[];
  readonly messageId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: WebhookErrorCode, message: string, options: WebhookErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
    this.messageId = options.messageId;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isWebhookError = (error: unknown): error is WebhookError => error instanceof WebhookError;

/** The one place a refusal becomes an HTTP status. */
export const webhookStatus = (code: WebhookErrorCode): number => {
  switch (code) {
    case 'ERR_WEBHOOK_DISABLED':
      return 404;
    case 'ERR_WEBHOOK_FORBIDDEN':
      return 403;
    case 'ERR_WEBHOOK_RATE_LIMITED':
      return 429;
    case 'ERR_WEBHOOK_UNAUTHORIZED':
      return 401;
    case 'ERR_WEBHOOK_UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'ERR_WEBHOOK_BODY_TOO_LARGE':
      return 413;
    case 'ERR_WEBHOOK_INVALID_BODY':
    case 'ERR_WEBHOOK_JSON_LIMIT':
      return 400;
    case 'ERR_WEBHOOK_ABORTED':
      // Nobody is left to read it: the status only labels the refusal in the metrics. nginx's
      // "client closed request" is what dashboards know a caller that hung up by, and it keeps
      // flaky connections apart from the 400s of pushes we could not parse.
      return 499;
    case 'ERR_WEBHOOK_BODY_TIMEOUT':
      // Node's request timeout has already written this status on the socket and closed it.
      return 408;
    case 'ERR_WEBHOOK_SINK_FAILED':
      // ClickSend may push again; nothing was accepted, so nothing is lost.
      return 503;
    default: {
      const _never: never = code;
      return _never;
    }
  }
};
