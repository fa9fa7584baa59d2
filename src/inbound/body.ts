import type { IncomingMessage } from 'node:http';
import { WebhookError } from './errors.js';

/** The contract's limit: a push above 64 KiB is refused with 413. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

export type PushEncoding = 'json' | 'form';

// A Map, so that a media type such as `constructor` finds nothing of Object's.
const MEDIA_TYPES: ReadonlyMap<string, PushEncoding> = new Map([
  ['application/json', 'json'],
  ['application/x-www-form-urlencoded', 'form'],
]);

// Both encodings are UTF-8 by definition; a body that says otherwise would be misread.
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** Which of the two encodings ClickSend uses the body is in; throws 415-coded otherwise. */
export const verifyPushEncoding = (contentType: string | undefined): PushEncoding => {
  // What ClickSend sends, answered without taking the header apart.
  if (contentType === 'application/json') return 'json';
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';');
  const encoding = MEDIA_TYPES.get(mediaType.trim().toLowerCase());
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  if (encoding === undefined || (charset !== undefined && !UTF8_CHARSETS.has(charset))) {
    throw new WebhookError(
      'ERR_WEBHOOK_UNSUPPORTED_MEDIA_TYPE',
      'send application/json or application/x-www-form-urlencoded (UTF-8)',
    );
  }
  return encoding;
};

const tooLarge = () => new WebhookError('ERR_WEBHOOK_BODY_TOO_LARGE', `the body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`);

/**
 * Why a body stopped before its end. Node's `requestTimeout` has already answered 408 and
 * destroyed the socket with `ERR_HTTP_REQUEST_TIMEOUT`; the request itself only sees an
 * ECONNRESET `aborted`, so the socket's error is what tells a slow caller from one that left.
 */
const interrupted = (req: IncomingMessage, cause: unknown): WebhookError => {
  const socketError: (Error & { code?: unknown }) | null | undefined = req.socket?.errored;
  return socketError?.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? new WebhookError('ERR_WEBHOOK_BODY_TIMEOUT', 'the body did not arrive within the request timeout', { cause })
    : new WebhookError('ERR_WEBHOOK_ABORTED', 'the request was aborted before its body ended', { cause });
};

/**
 * Reads the request body, counting bytes as they arrive: it stops (and rejects) as soon as
 * the count passes `limit`, so no more than `limit` bytes are ever held. A declared
 * Content-Length above the limit is refused before reading anything. The caller must close
 * the connection after refusing, since the rest of the body is left unread.
 */
export const readBody = (req: IncomingMessage, limit = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    // The request stream fails only when its connection does (the caller hung up, sent a
    // malformed chunk, or was too slow): the caller's doing, never ours.
    const onError = (error: Error) => {
      cleanup();
      reject(interrupted(req, error));
    };
    const onClose = () => {
      cleanup();
      reject(interrupted(req, undefined));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });

// Stateless outside streaming decodes, so one serves every request.
const utf8 = new TextDecoder('utf-8', { fatal: true });

const invalid = (message: string) =>
  new WebhookError('ERR_WEBHOOK_INVALID_BODY', 'the body is not a valid ClickSend push', { issues: [{ path: '', message }] });

/**
 * The body's fields: JSON as parsed (validated by the push schemas, never cast), a form as a
 * plain object of strings (the first value of a repeated name wins).
 */
export const decodeBody = (bytes: Buffer, encoding: PushEncoding): unknown => {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalid('the body is not valid UTF-8');
  }
  switch (encoding) {
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw invalid('the body is not valid JSON');
      }
    case 'form': {
      const fields = new Map<string, string>();
      for (const [name, value] of new URLSearchParams(text)) if (!fields.has(name)) fields.set(name, value);
      // fromEntries defines own properties, so even a `__proto__` field stays a plain field.
      return Object.fromEntries(fields);
    }
    default: {
      const _never: never = encoding;
      return _never;
    }
  }
};
