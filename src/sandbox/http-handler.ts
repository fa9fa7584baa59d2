/**
 * The transport edge: match the route, authenticate, rate-limit, read the body, call the
 * handler, and write its reply. Every failure leaves as ClickSend's error envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator } from './auth.js';
import { ApiError, errorReply, type Reply } from './envelope.js';
import { parseJsonBody, readBody } from './http-body.js';
import type { RateLimiter } from './rate-limit.js';
import type { ApiRequest, Route, Router } from './router.js';
import type { SandboxAccount } from './types.js';

export interface HttpHandlerDeps {
  readonly router: Router;
  readonly auth: Authenticator;
  readonly rateLimiter: RateLimiter;
  readonly bodyLimitBytes: number;
}

const isLoopback = (address: string | undefined): boolean =>
  address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

const write = (res: ServerResponse, reply: Reply): void => {
  if (reply.kind === 'raw') {
    res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': reply.body.length });
    res.end(reply.body);
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

const normalizePath = (pathname: string): string => (pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname);

/** Who is calling, per the route's access rule; throws 401/403/429. */
const admit = (deps: HttpHandlerDeps, route: Route, req: IncomingMessage): SandboxAccount | undefined => {
  switch (route.access) {
    case 'public':
      return undefined;
    case 'loopback':
      if (!isLoopback(req.socket.remoteAddress)) {
        throw new ApiError('FORBIDDEN', 'The simulation endpoints answer loopback callers only.');
      }
      return undefined;
    case 'account': {
      const account = deps.auth.authenticate(req.headers.authorization);
      const decision = deps.rateLimiter.check(account.username);
      if (!decision.allowed) {
        throw new ApiError('TOO_MANY_REQUESTS', 'Too many requests. Please slow down.', {
          headers: { 'retry-after': String(decision.retryAfterSeconds) },
        });
      }
      return account;
    }
    default: {
      const unknown: never = route.access;
      throw new Error(`unknown access ${String(unknown)}`);
    }
  }
};

const handle = async (deps: HttpHandlerDeps, req: IncomingMessage): Promise<Reply> => {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = normalizePath(url.pathname);
  const method = (req.method ?? 'GET').toUpperCase();
  const match = deps.router.match(method, path);
  if (match.kind === 'none') throw new ApiError('NOT_FOUND', `No route for ${path}.`);
  if (match.kind === 'wrong-method') {
    throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${match.allowed.join(', ')}.`, {
      headers: { allow: match.allowed.join(', ') },
    });
  }
  const account = admit(deps, match.route, req);
  const rawBody = await readBody(req, deps.bodyLimitBytes);
  const request: ApiRequest = {
    method: match.route.method,
    path,
    params: match.params,
    query: url.searchParams,
    headers: req.headers,
    body: match.route.body === 'raw' ? rawBody : parseJsonBody(rawBody),
    rawBody,
    account,
  };
  return match.route.handle(request);
};

export const createRequestListener =
  (deps: HttpHandlerDeps) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    handle(deps, req)
      .catch((error: unknown) => {
        if (error instanceof ApiError) return errorReply(error);
        const reason = error instanceof Error ? error.message : String(error);
        return errorReply(new ApiError('INTERNAL_SERVER_ERROR', `Internal error: ${reason}`, { cause: error }));
      })
      .then((reply) => write(res, reply))
      .catch(() => res.destroy()); // the socket is gone; nothing left to tell anyone
  };
