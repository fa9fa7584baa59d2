import type { PushDispatcher } from './pushes.js';
import type { ReceiptScheduler } from './receipts.js';
import type { SandboxState } from './state.js';
import type { SandboxAccount } from './types.js';

export interface Clock {
  /** Epoch milliseconds. */
  nowMs(): number;
  /** Unix seconds, ClickSend's timestamps. */
  nowSeconds(): number;
}

export const createClock = (now: () => number = Date.now): Clock => ({
  nowMs: now,
  nowSeconds: () => Math.floor(now() / 1000),
});

/** What every route factory is given; built once in `createSandbox`. */
export interface SandboxDeps {
  readonly state: SandboxState;
  readonly accounts: readonly SandboxAccount[];
  /** The owner of the dedicated numbers and of inbound SMS: the first account. */
  readonly mainAccount: SandboxAccount;
  readonly dedicatedNumbers: readonly string[];
  readonly clock: Clock;
  /** `http://host:port` of this sandbox, known once it listens. */
  readonly baseUrl: () => string;
  readonly pushes: PushDispatcher;
  readonly receipts: ReceiptScheduler;
}
