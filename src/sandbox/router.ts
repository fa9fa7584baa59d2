import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './envelope.js';
import type { SandboxAccount } from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call a route: `account` needs ClickSend Basic auth, `public` anyone (uploaded files,
 * like ClickSend's), `loopback` only this machine (the simulation endpoints).
 */
export type Access = 'account' | 'public' | 'loopback';

export interface ApiRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON for `body: 'json'` routes (undefined when empty), raw bytes otherwise. */
  readonly body: unknown;
  readonly rawBody: Buffer;
  /** Set for `account` routes. */
  readonly account: SandboxAccount | undefined;
}

export type Handler = (request: ApiRequest) => Reply | Promise<Reply>;

export interface Route {
  readonly method: HttpMethod;
  /** `/v3/lists/:list_id/contacts`; `:name` segments become `params.name`. */
  readonly path: string;
  readonly access: Access;
  /** How to read the body; default `json`. */
  readonly body?: 'json' | 'raw';
  readonly handle: Handler;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'none' };

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

const split = (path: string): string[] => path.split('/').filter((s) => s !== '');

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray `%` is kept as typed rather than failing the whole request
  }
};

const matchSegments = (pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined => {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const want = pattern[i] ?? '';
    const got = actual[i] ?? '';
    if (want.startsWith(':')) {
      params[want.slice(1)] = decode(got);
    } else if (want !== got) {
      return undefined;
    }
  }
  return params;
};

/** The routing table: a list of (method, path pattern) -> handler, matched in order. */
export const createRouter = (routes: readonly Route[]) => {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: split(route.path) }));

  const match = (method: string, path: string): RouteMatch => {
    const actual = split(path);
    const allowed: HttpMethod[] = [];
    for (const { route, segments } of compiled) {
      const params = matchSegments(segments, actual);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  };

  return { match };
};

export type Router = ReturnType<typeof createRouter>;
