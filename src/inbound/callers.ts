import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { WebhookError } from './errors.js';

/**
 * Who may knock at the webhooks, and how often they may get the token wrong. Both checks run
 * before the token is compared or a byte of the body is read.
 */

/** `::ffff:203.0.113.7` (an IPv4 caller on a dual-stack socket) -> `203.0.113.7`. */
const normalize = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped?.[1] ?? address).toLowerCase();
};

/**
 * The caller's address. Without a trusted proxy it is the socket's peer. Behind one, it is the
 * right-most `X-Forwarded-For` entry: the one our proxy appended, which the caller cannot forge
 * (entries to its left are whatever the caller chose to send).
 */
export const clientAddressOf = (req: IncomingMessage, trustProxy: boolean): string => {
  const peer = normalize(req.socket.remoteAddress ?? '');
  if (!trustProxy) return peer;
  const header = req.headers['x-forwarded-for'];
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  const last = joined.split(',').map((entry) => entry.trim()).filter(Boolean).at(-1);
  return last !== undefined && isIP(normalize(last)) !== 0 ? normalize(last) : peer;
};

/** `WEBHOOK_ALLOWED_IPS` (addresses and CIDR blocks) as a check; undefined allows everyone. */
export const createCallerAllowList = (entries: readonly string[] | undefined): ((address: string) => boolean) => {
  if (entries === undefined || entries.length === 0) return () => true;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
};

/** Throws the 403-coded refusal for a caller outside `WEBHOOK_ALLOWED_IPS`. */
export const verifyCallerAllowed = (isAllowed: (address: string) => boolean, address: string): void => {
  if (!isAllowed(address)) throw new WebhookError('ERR_WEBHOOK_FORBIDDEN', 'this address may not call the webhooks');
};

/**
 * What the limiter counts by: an IPv4 address, or the /64 an IPv6 address belongs to (one
 * host usually holds a whole /64, so counting single IPv6 addresses would limit nobody).
 */
export const limiterKeyOf = (address: string): string => {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
};

export interface FailureLimiterOptions {
  /** Wrong tokens an address may send per window before it is refused (10). */
  readonly maxFailures?: number;
  readonly windowMs?: number;
  /** Addresses tracked at once (10,000); the oldest window is forgotten first. */
  readonly maxAddresses?: number;
  readonly now?: () => number;
}

export interface FailureLimiter {
  /** Milliseconds until `address` may try again, or 0 when it is not limited. */
  retryAfterMs(address: string): number;
  recordFailure(address: string): void;
  /** How many addresses are tracked (for tests of the memory bound). */
  readonly size: number;
}

/**
 * Counts wrong or missing tokens per address in fixed windows. Only failures count: ClickSend's
 * own pushes never add to it, so a busy webhook is never limited.
 *
 * A limited address is refused 429 whatever token it sends, without the token being compared:
 * answering a right token 200 there would tell a guesser which guess was right, and the limit
 * would slow nobody. What keeps ClickSend's pushes flowing instead is that the key is the real
 * caller: ClickSend pushes from its own addresses, which a guesser elsewhere cannot get
 * limited. Behind a reverse proxy every caller shares the proxy's address, so there TRUST_PROXY
 * must be on (or the limit would let one guesser block ClickSend for a window). The token is at
 * least 32 random characters, so the limit is a brake on floods, not what keeps it secret.
 */
export const createFailureLimiter = (options: FailureLimiterOptions = {}): FailureLimiter => {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion order is the order windows started: the first entry is the oldest.
  const windows = new Map<string, { startedAt: number; failures: number }>();

  const current = (address: string) => {
    const window = windows.get(address);
    if (window && now() - window.startedAt >= windowMs) {
      windows.delete(address);
      return undefined;
    }
    return window;
  };

  return {
    retryAfterMs(address) {
      const window = current(address);
      return window && window.failures >= maxFailures ? window.startedAt + windowMs - now() : 0;
    },
    recordFailure(address) {
      const window = current(address);
      if (window) {
        window.failures += 1;
        return;
      }
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value as string);
      windows.set(address, { startedAt: now(), failures: 1 });
    },
    get size() {
      return windows.size;
    },
  };
};

/** Throws the 429-coded refusal while `key` (see `limiterKeyOf`) is limited. */
export const verifyNotLimited = (limiter: FailureLimiter, key: string): void => {
  const waitMs = limiter.retryAfterMs(key);
  if (waitMs > 0) {
    throw new WebhookError('ERR_WEBHOOK_RATE_LIMITED', 'too many attempts with a wrong token; try again later', {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
    });
  }
};
