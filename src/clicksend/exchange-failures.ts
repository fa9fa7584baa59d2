import { ClickSendTimeoutError, ClickSendTransportError, type ClickSendError } from './errors.js';

/** How ClickSend exchanges fail, read for errors (and the metrics' `result` label) and for retries. */

/** `Retry-After` is seconds or an HTTP date; absent or unreadable gives `undefined`. */
export const parseRetryAfter = (header: string | string[] | undefined, now: number): number | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

const timeoutPhases: Record<string, 'connect' | 'headers' | 'body'> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};
// Errors raised before a single byte of the request could have left this machine.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

export const toTransportError = (operation: string, error: unknown): ClickSendError => {
  const code = errorCode(error);
  const phase = code ? timeoutPhases[code] : undefined;
  if (phase) return new ClickSendTimeoutError({ operation, phase, cause: error });
  return new ClickSendTransportError({ operation, requestSent: !(code && NOT_SENT_CODES.has(code)), cause: error });
};

/** The `result` label of an exchange that got no answer: the error's own code (a small fixed set). */
export const failureResult = (error: unknown): string => {
  const code = errorCode(error);
  return code && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'error';
};

export const statusResult = (status: number): string => (status === 429 ? 'http_429' : `http_${Math.floor(status / 100)}xx`);
