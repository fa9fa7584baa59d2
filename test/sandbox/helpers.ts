import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

/** A sandbox on a loopback port, closed after the test. */
export const startSandbox = async (options?: SandboxOptions): Promise<Sandbox> => {
  const sandbox = await createSandbox(options);
  cleanups.push(() => sandbox.close());
  return sandbox;
};

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // Tests assert on arbitrary ClickSend JSON; `any` keeps those assertions readable.
  readonly body: any;
}

export const basic = (username: string, apiKey: string): string =>
  `Basic ${Buffer.from(`${username}:${apiKey}`).toString('base64')}`;

/** Calls the sandbox over real HTTP, authenticated as its default account unless told otherwise. */
export const call = async (
  sandbox: Sandbox,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> => {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? basic(sandbox.credentials.username, sandbox.credentials.apiKey) : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${sandbox.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
};

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Resolves with the `count`-th request (1-based), waiting for it if needed. */
  nth(count: number): Promise<Received>;
}

/** A webhook receiver on a loopback port that records every request and answers 200. */
export const startReceiver = async (): Promise<Receiver> => {
  const received: Received[] = [];
  const waiters: { count: number; resolve: (r: Received) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of waiters.splice(0)) {
        const hit = received[w.count - 1];
        if (hit) w.resolve(hit);
        else waiters.push(w);
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    nth: (count) => {
      const hit = received[count - 1];
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
};

/** Polls `check` until it returns a value (tests never wait on fixed sleeps). */
export const eventually = async <T>(check: () => T | undefined, timeoutMs = 2_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
