import { IncomingMessage, ServerResponse } from 'node:http';
import { stdSerializers } from 'pino';
import { maskPhoneNumber } from './domain/phone.js';

/**
 * What the logger rewrites, in two passes: `scrubFields` walks each logged object by key
 * (secret keys at any depth; phone and text keys above debug), `scrubLine` rewrites the
 * finished JSON line (secret values however they got there, URL credentials, E.164 numbers
 * above debug), so that a message string, a binding or an error's stack is covered too.
 */

export const CENSOR = '[redacted]';

/** Keys compared lower-cased, without `-` and `_`: `MicrosoftAppPassword`, `x-api-key`, `client_secret`. */
const normalize = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

const SECRET_KEYS = new Set(
  [
    'authorization', 'proxyAuthorization', 'cookie', 'setCookie', 'password', 'appPassword', 'MicrosoftAppPassword',
    'apiKey', 'xApiKey', 'CLICKSEND_API_KEY', 'token', 'webhookToken', 'WEBHOOK_TOKEN', 'metricsToken', 'METRICS_TOKEN',
    'accessToken', 'refreshToken', 'idToken', 'secret', 'clientSecret', 'clientAssertion',
  ].map(normalize),
);

/** Where the code (and ClickSend's payloads) put phone numbers; `input` is what InvalidPhoneNumberError keeps. */
const PHONE_KEYS = new Set(
  [
    'to', 'from', 'number', 'phone', 'phoneNumber', 'customer', 'customerNumber', 'ourNumber', 'dedicatedNumber', 'recipient',
    'sender', 'senderId', 'mobile', 'faxNumber', 'input', 'originalRecipient', 'originalSenderId',
  ].map(normalize),
);

/** Where message content goes; not pino's `msg` nor an error's `message`. */
const TEXT_KEYS = new Set(['body', 'text', 'messageText', 'subject', 'customString', 'smsBody', 'content'].map(normalize));

/** What a secret key may show: `describeConfig` says whether a secret is set, never what it is. */
const isHarmless = (value: unknown): boolean => value === undefined || value === null || typeof value === 'boolean' || value === 'set' || value === 'unset';

const MAX_DEPTH = 8;

/** Call sites mask numbers themselves (`+61******111`): masking that again would hide the country and the tail. */
const maskOnce = (value: string): string => (value.includes('*') ? value : maskPhoneNumber(value));

type Kind = 'secret' | 'phone' | 'text' | 'other';

// A process logs the same few dozen keys over and over: classify each once.
const kinds = new Map<string, Kind>();
const kindOf = (key: string): Kind => {
  let kind = kinds.get(key);
  if (kind === undefined) {
    const name = normalize(key);
    kind = SECRET_KEYS.has(name) ? 'secret' : PHONE_KEYS.has(name) ? 'phone' : TEXT_KEYS.has(name) ? 'text' : 'other';
    if (kinds.size < 10_000) kinds.set(key, kind);
  }
  return kind;
};

interface Walk {
  readonly detailed: boolean;
  /** The objects being walked (at most MAX_DEPTH), to stop at cycles. */
  readonly path: object[];
}

/** Objects JSON would not show as they are: errors, requests, responses, `toJSON` holders. */
const plain = (value: object): unknown => {
  if (value instanceof Error) return stdSerializers.err(value);
  if (value instanceof IncomingMessage) return stdSerializers.req(value);
  if (value instanceof ServerResponse) return stdSerializers.res(value);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
};

/** `kind` is the kind of the key the value is under (an array's items inherit their array's). */
const walk = (value: unknown, kind: Kind, state: Walk): unknown => {
  if (kind === 'secret') return isHarmless(value) ? value : CENSOR;
  if (!state.detailed && kind === 'phone') {
    // A small number under `number` or `to` is a count or an index, not a phone number.
    if (typeof value === 'string' || (typeof value === 'number' && value >= 1_000_000)) return maskOnce(String(value));
  }
  if (!state.detailed && kind === 'text' && typeof value === 'string') return `[${value.length} chars]`;
  if (value === null || typeof value !== 'object' || state.path.length > MAX_DEPTH || state.path.includes(value)) return value;
  if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) return value;
  const shown = plain(value);
  if (shown !== value) return walk(shown, kind, state);
  // Only cycles are cut short: an object logged twice in one line is scrubbed both times.
  state.path.push(value);
  try {
    return Array.isArray(value) ? walkItems(value, kind, state) : walkEntries(value as Record<string, unknown>, state);
  } finally {
    state.path.pop();
  }
};

// Copy on write: a line with nothing to rewrite costs one pass over its keys, no clone.
const walkItems = (items: unknown[], kind: Kind, state: Walk): unknown[] => {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i += 1) {
    const next = walk(items[i], kind, state);
    if (next !== items[i]) (copy ??= [...items])[i] = next;
  }
  return copy ?? items;
};

const walkEntries = (fields: Record<string, unknown>, state: Walk): Record<string, unknown> => {
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const item = fields[key];
    const next = walk(item, kindOf(key), state);
    if (next !== item) (copy ??= { ...fields })[key] = next;
  }
  return copy ?? fields;
};

/** The logged object with secret keys censored and, unless `detailed`, phone numbers masked and texts omitted. */
export const scrubFields = (fields: Record<string, unknown>, detailed: boolean): Record<string, unknown> =>
  walk(fields, 'other', { detailed, path: [] }) as Record<string, unknown>;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The base64 runs that stand for `secret` wherever it sits in an encoded string, as in a Basic
 * `Authorization` header (`base64(username:apiKey)`): one per byte offset, cut to the characters
 * that depend on the secret alone.
 */
const base64Forms = (secret: string): string[] => {
  const bytes = Buffer.from(secret, 'utf8');
  return [0, 1, 2].flatMap((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(first, end);
    return [core, core.replace(/\+/g, '-').replace(/\//g, '_')];
  });
};

/** Every way a secret is written in a JSON log line: as is, URL-encoded, JSON-escaped, in base64. */
export const secretForms = (secret: string): string[] => {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), ...base64Forms(secret)];
  // Short runs would match by chance (and secrets that short are refused by the config anyway).
  return [...new Set(forms)].filter((form) => form.length >= 6).sort((a, b) => b.length - a.length);
};

/** Matches any form of any of `secrets`; undefined when there is nothing to look for. */
export const secretsPattern = (secrets: readonly (string | undefined)[]): RegExp | undefined => {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6).flatMap(secretForms))];
  return forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
};

// A query parameter whose name says it is a credential: ?token=, &access_token=, &api_key=, &sig=...
const URL_CREDENTIAL = /([?&;][\w.-]*?(?:token|key|pass(?:word)?|pwd|secret|sig(?:nature)?|auth|code)=)[^&#\s"\\<>']+/gi;
// user:password@host
const URL_USERINFO = /(\b[a-z][a-z\d+.-]*:\/\/[^/\s:@"\\]*:)[^@/\s"\\]+@/gi;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[\w.~+/=-]{16,}/g;
// E.164, also URL-encoded (%2B): what a free-text field or a message string may carry.
const E164_IN_TEXT = /(?:\+|%2B)[1-9]\d{6,14}(?!\d)/gi;

/** The serialized line with secrets and URL credentials censored and, unless `detailed`, numbers masked. */
export const scrubLine = (line: string, detailed: boolean, secrets: RegExp | undefined): string => {
  let out = secrets ? line.replace(secrets, CENSOR) : line;
  if (out.includes('=')) out = out.replace(URL_CREDENTIAL, `$1${CENSOR}`);
  if (out.includes('@')) out = out.replace(URL_USERINFO, `$1${CENSOR}@`);
  if (out.includes('Bearer') || out.includes('Basic')) out = out.replace(AUTH_SCHEME, `$1 ${CENSOR}`);
  if (!detailed && (out.includes('+') || out.includes('%2'))) out = out.replace(E164_IN_TEXT, (n) => maskPhoneNumber(n.replace(/^%2B/i, '+')));
  return out;
};
