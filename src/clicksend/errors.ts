import { BridgeError } from '../errors.js';

/**
 * Whether a failed call may still have done its work at ClickSend. A send whose outcome is
 * `'unknown'` must never be repeated without a person choosing to: it may already have cost
 * money and reached the recipient.
 */
export type CallOutcome = 'not-sent' | 'rejected' | 'unknown';

export interface ClickSendErrorContext {
  /** The client operation, e.g. `sms.send`. */
  readonly operation: string;
  readonly cause?: unknown;
}

export abstract class ClickSendError extends BridgeError {
  readonly operation: string;
  abstract readonly outcome: CallOutcome;

  constructor(message: string, context: ClickSendErrorContext) {
    super(message, { cause: context.cause });
    this.operation = context.operation;
  }
}

/** The request never got a complete answer: DNS, refused connection, reset socket. */
export class ClickSendTransportError extends ClickSendError {
  readonly code = 'CS_ERR_TRANSPORT' as const;
  readonly outcome: CallOutcome;

  constructor(context: ClickSendErrorContext & { requestSent: boolean }) {
    super(`ClickSend could not be reached (${context.operation})`, context);
    this.outcome = context.requestSent ? 'unknown' : 'not-sent';
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body';

/** ClickSend did not answer in time. After `connect` nothing was sent; after that, maybe. */
export class ClickSendTimeoutError extends ClickSendError {
  readonly code = 'CS_ERR_TIMEOUT' as const;
  readonly phase: TimeoutPhase;
  readonly outcome: CallOutcome;

  constructor(context: ClickSendErrorContext & { phase: TimeoutPhase }) {
    super(`ClickSend did not answer in time (${context.operation}, ${context.phase})`, context);
    this.phase = context.phase;
    this.outcome = context.phase === 'connect' ? 'not-sent' : 'unknown';
  }
}

/** ClickSend answered with an error status and (usually) its own `response_code`. */
export class ClickSendApiError extends ClickSendError {
  readonly code = 'CS_ERR_API' as const;
  readonly status: number;
  readonly responseCode: string;
  readonly responseMsg: string;
  readonly outcome: CallOutcome;

  constructor(
    context: ClickSendErrorContext & { status: number; responseCode: string; responseMsg: string },
  ) {
    super(
      `ClickSend refused ${context.operation}: ${context.status} ${context.responseCode}: ${context.responseMsg}`,
      context,
    );
    this.status = context.status;
    this.responseCode = context.responseCode;
    this.responseMsg = context.responseMsg;
    // A 5xx may have been raised after the work was done; a 4xx was refused before it.
    this.outcome = context.status >= 500 ? 'unknown' : 'rejected';
  }
}

/** ClickSend kept answering 429 after the bounded number of waits. Nothing was done. */
export class ClickSendRateLimitError extends ClickSendError {
  readonly code = 'CS_ERR_RATE_LIMITED' as const;
  readonly outcome = 'not-sent' as const;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;

  constructor(context: ClickSendErrorContext & { attempts: number; retryAfterMs: number | undefined }) {
    super(`ClickSend is rate limiting ${context.operation} (gave up after ${context.attempts} attempts)`, context);
    this.attempts = context.attempts;
    this.retryAfterMs = context.retryAfterMs;
  }
}

/** ClickSend answered 200 but with a body we do not understand; the call may have worked. */
export class ClickSendSchemaError extends ClickSendError {
  readonly code = 'CS_ERR_SCHEMA' as const;
  readonly outcome = 'unknown' as const;
  readonly issues: readonly { path: string; message: string }[];

  constructor(context: ClickSendErrorContext & { issues: readonly { path: string; message: string }[] }) {
    super(
      `ClickSend's answer to ${context.operation} did not have the expected shape: ${context.issues
        .slice(0, 3)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ')}`,
      context,
    );
    this.issues = context.issues;
  }
}

/**
 * ClickSend accepted the request (200) but refused some or all of its messages. `result`
 * holds every message with its own status: the accepted ones were sent and paid for.
 */
export class ClickSendMessagesFailedError<TResult = unknown> extends ClickSendError {
  readonly code = 'CS_ERR_MESSAGES_FAILED' as const;
  readonly outcome = 'rejected' as const;
  readonly result: TResult;
  readonly failed: readonly { index: number; to: string; status: string }[];

  constructor(
    context: ClickSendErrorContext & {
      result: TResult;
      failed: readonly { index: number; to: string; status: string }[];
      total: number;
    },
  ) {
    super(
      `ClickSend refused ${context.failed.length} of ${context.total} messages (${context.operation}): ${[
        ...new Set(context.failed.map((f) => f.status)),
      ].join(', ')}`,
      context,
    );
    this.result = context.result;
    this.failed = context.failed;
  }
}

/**
 * A batched send failed part-way: `sent` holds the results of the batches ClickSend accepted
 * before the failure (`cause`), `unsentCount` how many messages were never attempted.
 */
export class ClickSendPartialSendError<TResult = unknown> extends ClickSendError {
  readonly code = 'CS_ERR_PARTIAL_SEND' as const;
  readonly outcome = 'unknown' as const;
  readonly sent: TResult;
  readonly unsentCount: number;

  constructor(context: ClickSendErrorContext & { sent: TResult; unsentCount: number; cause: ClickSendError }) {
    super(
      `A batched ${context.operation} stopped part-way (${context.unsentCount} messages not attempted): ${context.cause.message}`,
      context,
    );
    this.sent = context.sent;
    this.unsentCount = context.unsentCount;
  }
}
