/**
 * Every failure the bridge knows about is a `BridgeError` with a stable, literal `code`
 * (like undici's `UND_ERR_*`). Callers switch on `code`, never on messages; HTTP statuses and
 * user-facing texts are chosen from the code at the edges.
 */
export abstract class BridgeError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export const isBridgeError = (error: unknown): error is BridgeError => error instanceof BridgeError;

/** One or more environment variables are missing or malformed. */
export class ConfigError extends BridgeError {
  readonly code = 'ERR_CONFIG' as const;
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A text a user typed is not a phone number we can send to. */
export class InvalidPhoneNumberError extends BridgeError {
  readonly code = 'ERR_INVALID_PHONE_NUMBER' as const;
  readonly input: string;
  readonly reason: string;

  constructor(input: string, reason: string, options?: { cause?: unknown }) {
    super(`"${input}" is not a valid phone number: ${reason}`, options);
    this.input = input;
    this.reason = reason;
  }
}

/**
 * A message breaks one of ClickSend's limits (length, parts, subject), caught before any call
 * so that nothing is spent. `field` names the ClickSend parameter at fault.
 */
export class MessageLimitError extends BridgeError {
  readonly code = 'ERR_MESSAGE_LIMIT' as const;
  readonly field: string;
  readonly limit: number;
  readonly actual: number;

  constructor(details: { field: string; limit: number; actual: number; message: string }) {
    super(details.message);
    this.field = details.field;
    this.limit = details.limit;
    this.actual = details.actual;
  }
}

/**
 * A request was refused before anything was sent because a field is wrong. `issues` name the
 * field (`messages.0.body`) and say what is wrong with it, for the user to fix.
 */
export class InvalidRequestError extends BridgeError {
  readonly code = 'ERR_INVALID_REQUEST' as const;
  readonly operation: string;
  readonly issues: readonly { path: string; message: string }[];

  constructor(details: { operation: string; issues: readonly { path: string; message: string }[] }) {
    super(
      `Invalid ${details.operation} request: ${details.issues
        .slice(0, 5)
        .map((i) => `${i.path || '(request)'}: ${i.message}`)
        .join('; ')}`,
    );
    this.operation = details.operation;
    this.issues = details.issues;
  }
}

/** ClickSend credentials are not configured, so nothing can be sent or read. */
export class ClickSendNotConfiguredError extends BridgeError {
  readonly code = 'ERR_CLICKSEND_NOT_CONFIGURED' as const;

  constructor() {
    super('ClickSend is not configured: set CLICKSEND_USERNAME and CLICKSEND_API_KEY');
  }
}

/** A user asked for something the bot cannot do as asked (wrong place, wrong arguments). */
export class UsageError extends BridgeError {
  readonly code = 'ERR_USAGE' as const;
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** The user's role does not allow the action (`role` names the one it needs). */
export class AccessDeniedError extends BridgeError {
  readonly code = 'ERR_ACCESS_DENIED' as const;
  readonly role: 'sender' | 'admin';
  /** The user's Entra object id, for them to hand to the operator; absent when Teams sent none. */
  readonly userId: string | undefined;

  constructor(what: string, role: 'sender' | 'admin', userId: string | undefined) {
    super(`${what} needs the ${role} role`);
    this.role = role;
    this.userId = userId;
  }
}

/** A file the user attached could not be fetched (wrong host, too big, too slow, refused). */
export class FileDownloadError extends BridgeError {
  readonly code = 'ERR_FILE_DOWNLOAD' as const;
}

/**
 * Teams did not take a post or update. `permanent` failures (the bot was removed, the
 * conversation is gone) must not be retried; others may be, after `retryAfterMs` when Teams
 * said so.
 */
export class TeamsDeliveryError extends BridgeError {
  readonly code = 'ERR_TEAMS_DELIVERY' as const;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly permanent: boolean;
  /**
   * Teams may have taken the call all the same: no answer (a timeout, a cut connection), or a
   * gateway's 5xx or 408, which can come after the post landed. A 4xx means nothing was posted.
   */
  readonly maybeDelivered: boolean;

  constructor(details: { message: string; status: number | undefined; retryAfterMs?: number | undefined; permanent: boolean; cause?: unknown }) {
    super(details.message, { cause: details.cause });
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.permanent = details.permanent;
    this.maybeDelivered = details.status === undefined || details.status >= 500 || details.status === 408;
  }
}

/** The customer texted STOP: nothing may be sent to the number until they text START. */
export class OptedOutError extends BridgeError {
  readonly code = 'ERR_OPTED_OUT' as const;
  readonly numbers: readonly string[];

  constructor(numbers: readonly string[]) {
    super(`${numbers.join(', ')} opted out of texts (they replied STOP); nothing was sent. They can opt back in by texting START.`);
    this.numbers = numbers;
  }
}
