/**
 * ClickSend's answer envelope `{ http_code, response_code, response_msg, data }` and the one
 * table that maps an error code to its HTTP status.
 */

export interface Envelope {
  readonly http_code: number;
  readonly response_code: string;
  readonly response_msg: string;
  readonly data: unknown;
}

/** A JSON answer. */
export interface JsonReply {
  readonly kind: 'json';
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Bytes, e.g. an uploaded file served back. */
export interface RawReply {
  readonly kind: 'raw';
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string;
}

export type Reply = JsonReply | RawReply;

/** Every error code the sandbox answers with, and the HTTP status it travels under. */
const STATUS_OF = {
  BAD_REQUEST: 400,
  INVALID_MEDIA_FILE: 400,
  TOO_MANY_RECIPIENTS: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ACCOUNT_NOT_ACTIVATED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof STATUS_OF;

/** Thrown by handlers; the server turns it into ClickSend's error envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { data?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = STATUS_OF[code];
    this.data = options.data ?? null;
    this.headers = options.headers ?? {};
  }
}

export const envelope = (status: number, code: string, message: string, data: unknown): Envelope => ({
  http_code: status,
  response_code: code,
  response_msg: message,
  data,
});

/** 200 SUCCESS with ClickSend's message for the operation. */
export const success = (message: string, data: unknown): JsonReply => ({
  kind: 'json',
  status: 200,
  body: envelope(200, 'SUCCESS', message, data),
});

export const errorReply = (error: ApiError): JsonReply => ({
  kind: 'json',
  status: error.status,
  body: envelope(error.status, error.code, error.message, error.data),
  headers: error.headers,
});

/** Plain JSON (the `/_sandbox` simulation endpoints are not ClickSend's and carry no envelope). */
export const json = (status: number, body: unknown): JsonReply => ({ kind: 'json', status, body });
