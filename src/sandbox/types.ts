/**
 * Public types of the local ClickSend sandbox: its options, the handle `createSandbox` returns,
 * and the account model. Everything else in this folder is internal.
 */
import type { SandboxStateView } from './state.js';
import type { SimulateInboundInput, SimulateInboundResult } from './simulate.js';

/**
 * How an account behaves, after ClickSend's documented test users: `nocredit` sends come back
 * per message as INSUFFICIENT_CREDIT, `notactive` and `banned` are refused on every call.
 */
export type AccountStatus = 'active' | 'no-credit' | 'not-active' | 'banned';

export interface SandboxAccountOptions {
  readonly username: string;
  readonly apiKey: string;
  readonly status?: AccountStatus;
  /** Starting balance in AUD; sends to non-test numbers spend it. */
  readonly balance?: number;
  readonly userId?: number;
  readonly subaccountId?: number;
}

/** An account after defaults are applied. */
export interface SandboxAccount {
  readonly username: string;
  readonly apiKey: string;
  readonly status: AccountStatus;
  readonly initialBalance: number;
  readonly userId: number;
  readonly subaccountId: number;
}

export interface RateLimitOptions {
  /** Requests allowed per window and per credentials; one more answers 429. */
  readonly requests: number;
  readonly windowMs: number;
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Extra accounts; `sandbox`/`sandbox-key` is the default, the documented test users are always added. */
  readonly accounts?: readonly SandboxAccountOptions[];
  /** The account's dedicated numbers (E.164); default one AU mobile. */
  readonly dedicatedNumbers?: readonly string[];
  /** Off by default. */
  readonly rateLimit?: RateLimitOptions;
  /** Delay before a delivery receipt is pushed; default 50 ms. */
  readonly receiptDelayMs?: number;
  /** Clock in epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
  /** Largest request body accepted; default 20 MB (a 10 MB letter PDF in base64 fits). */
  readonly bodyLimitBytes?: number;
  /** How long one push may take before it is aborted and recorded as failed; default 5 s. */
  readonly pushTimeoutMs?: number;
}

export interface SandboxCredentials {
  readonly username: string;
  readonly apiKey: string;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  /** `${url}/v3`, the base URL a ClickSend client should be given. */
  readonly apiUrl: string;
  /** The default account's credentials. */
  readonly credentials: SandboxCredentials;
  readonly dedicatedNumbers: readonly string[];
  /** Live, read-only view of everything the sandbox holds (for assertions). */
  readonly state: SandboxStateView;
  /** "A customer texts our number": records the SMS and pushes it to every matching inbound rule. */
  simulateInbound(input: SimulateInboundInput): Promise<SimulateInboundResult>;
  /** Stops listening, cancels pending receipts and aborts pushes still in flight. */
  close(): Promise<void>;
}
