/**
 * The sandbox's composition root: builds the store, the push machinery and the routing table,
 * and serves them over node:http. `createSandbox` is the only export most callers need.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveAccounts } from './accounts.js';
import { createAuthenticator } from './auth.js';
import { createClock, type SandboxDeps } from './deps.js';
import { createRequestListener } from './http-handler.js';
import { parseRecipient } from './phone.js';
import { createPushDispatcher } from './pushes.js';
import { createRateLimiter } from './rate-limit.js';
import { createReceiptScheduler } from './receipts.js';
import { createRouter, type Route } from './router.js';
import { accountRoutes } from './routes/account.js';
import { automationRoutes } from './routes/automations.js';
import { contactRoutes } from './routes/contacts.js';
import { faxRoutes } from './routes/fax.js';
import { listRoutes } from './routes/lists.js';
import { mmsRoutes } from './routes/mms.js';
import { postRoutes } from './routes/post.js';
import { returnAddressRoutes } from './routes/return-addresses.js';
import { simulationRoutes } from './routes/simulation.js';
import { smsRoutes } from './routes/sms.js';
import { uploadRoutes } from './routes/uploads.js';
import { voiceRoutes } from './routes/voice.js';
import { simulateInbound } from './simulate.js';
import { createState, resetState } from './state.js';
import type { Sandbox, SandboxOptions } from './types.js';

export type { Sandbox, SandboxAccountOptions, SandboxCredentials, SandboxOptions, AccountStatus, RateLimitOptions } from './types.js';
export type { SandboxStateView } from './state.js';
export type { SimulateInboundInput, SimulateInboundResult } from './simulate.js';
export { TEST_USERS_API_KEY } from './accounts.js';

/** A mobile number in ClickSend's AU range that libphonenumber accepts. */
export const DEFAULT_DEDICATED_NUMBER = '+61480000000';
const DEFAULT_BODY_LIMIT = 20 * 1024 * 1024;
const DEFAULT_RECEIPT_DELAY_MS = 50;
const DEFAULT_PUSH_TIMEOUT_MS = 5_000;

const verifyDedicatedNumbers = (numbers: readonly string[]): string[] =>
  numbers.map((n) => {
    const parsed = parseRecipient(n);
    if (!parsed.valid) throw new Error(`dedicatedNumbers: "${n}" is not a valid phone number; give E.164 such as +61480000000`);
    return parsed.e164;
  });

const listen = (server: Server, port: number, host: string): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo); // always an AddressInfo for a TCP listener
    });
  });

const urlHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
};

const routesOf = (deps: SandboxDeps, reset: () => void): Route[] => [
  ...smsRoutes(deps),
  ...mmsRoutes(deps),
  ...voiceRoutes(deps),
  ...faxRoutes(deps),
  ...postRoutes(deps),
  ...returnAddressRoutes(deps),
  ...listRoutes(deps),
  ...contactRoutes(deps),
  ...uploadRoutes(deps),
  ...accountRoutes(deps),
  ...automationRoutes(deps),
  ...simulationRoutes(deps, reset),
];

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const accounts = resolveAccounts(options.accounts);
  const [mainAccount] = accounts;
  if (!mainAccount) throw new Error('the sandbox needs at least one account');
  const dedicatedNumbers = verifyDedicatedNumbers(options.dedicatedNumbers ?? [DEFAULT_DEDICATED_NUMBER]);
  const clock = createClock(options.now);
  const state = createState(accounts);
  const pushes = createPushDispatcher({ state, clock, timeoutMs: options.pushTimeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS });
  const receipts = createReceiptScheduler({
    state,
    clock,
    pushes,
    delayMs: options.receiptDelayMs ?? DEFAULT_RECEIPT_DELAY_MS,
    accountOf: (username) => accounts.find((a) => a.username === username),
  });
  let baseUrl = '';
  const deps: SandboxDeps = { state, accounts, mainAccount, dedicatedNumbers, clock, baseUrl: () => baseUrl, pushes, receipts };
  const rateLimiter = createRateLimiter(options.rateLimit, clock.nowMs);
  const reset = (): void => {
    receipts.clear();
    rateLimiter.reset();
    resetState(state, accounts);
  };
  const server = createServer(
    createRequestListener({
      router: createRouter(routesOf(deps, reset)),
      auth: createAuthenticator(accounts),
      rateLimiter,
      bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    }),
  );
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host);
  baseUrl = `http://${urlHost(host)}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      receipts.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      await pushes.close();
      await stopped;
    })();
    return closing;
  };

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/v3`,
    credentials: { username: mainAccount.username, apiKey: mainAccount.apiKey },
    dedicatedNumbers,
    state,
    simulateInbound: async (input) => simulateInbound(deps, input),
    close,
  };
}
