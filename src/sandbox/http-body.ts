import type { IncomingMessage } from 'node:http';
import { ApiError } from './envelope.js';

/**
 * Reads a request body, refusing (413) anything larger than `limit` bytes. An oversized body is
 * drained rather than destroyed, so the 413 can still be written on the same socket.
 */
export const readBody = (request: IncomingMessage, limit: number): Promise<Buffer> => {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume(); // discard the rest
      reject(tooLarge(limit));
    };
    request.on('data', onData);
    request.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    request.once('error', reject);
  });
};

const tooLarge = (limit: number) =>
  new ApiError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`);

/** JSON of a body, `undefined` when the body is empty; malformed JSON is a 400. */
export const parseJsonBody = (raw: Buffer): unknown => {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError('BAD_REQUEST', `Malformed JSON in request body: ${reason}`, { cause: error });
  }
};
