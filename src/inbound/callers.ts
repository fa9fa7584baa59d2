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
  /** Addresses tracked at once (10,000); of those not limited, the oldest window is forgotten first. */
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

interface Window {
  readonly startedAt: number;
  failures: number;
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
 *
 * Memory is bounded by `maxAddresses`, and making room never forgets a limited address before
 * its window ends: otherwise a guesser could free itself by failing from (or waiting for)
 * enough other addresses. Room is made from ended windows first, then from the oldest address
 * still under the limit. When every tracked address is limited, a new address cannot be
 * tracked alone: the failures of all such addresses share one window of `maxFailures`, and once
 * that is spent every untracked address is refused until that window ends. That is the
 * conservative side: a flood from more addresses than the table holds gets no fresh guesses,
 * at the cost that an untracked ClickSend address is refused 429 (and pushes again) while the
 * flood lasts. An address that never failed is not refused until then.
 */
export const createFailureLimiter = (options: FailureLimiterOptions = {}): FailureLimiter => {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  // Addresses under the limit, in the order their windows started: the first is the oldest.
  const counting = new Map<string, Window>();
  // Limited addresses, in the order they became limited; never forgotten to make room.
  const limited = new Map<string, Window>();
  // The shared window of addresses that found the table full of limited ones.
  let overflow: Window | undefined;

  const waitMs = (window: Window | undefined): number => {
    if (!window || window.failures < maxFailures) return 0;
    return Math.max(0, window.startedAt + windowMs - now());
  };
  const hasEnded = (window: Window) => now() - window.startedAt >= windowMs;

  const current = (address: string): Window | undefined => {
    const window = counting.get(address) ?? limited.get(address);
    if (window && hasEnded(window)) {
      counting.delete(address);
      limited.delete(address);
      return undefined;
    }
    return window;
  };

  /**
   * Forgets ended limited windows from the front, stopping at the first that has not ended:
   * each address there was limited after those before it, so none stays more than a window
   * past its end, and each call costs only what it frees.
   */
  const sweepLimited = (): void => {
    for (const [address, window] of limited) {
      if (!hasEnded(window)) return;
      limited.delete(address);
    }
  };

  const hasRoom = (): boolean => {
    if (counting.size + limited.size < maxAddresses) return true;
    sweepLimited();
    if (counting.size + limited.size < maxAddresses) return true;
    const oldest = counting.keys().next();
    if (oldest.done) return false;
    counting.delete(oldest.value);
    return true;
  };

  return {
    retryAfterMs(address) {
      const window = current(address);
      return window ? waitMs(window) : waitMs(overflow);
    },
    recordFailure(address) {
      const window = current(address) ?? (hasRoom() ? { startedAt: now(), failures: 0 } : undefined);
      if (!window) {
        if (!overflow || hasEnded(overflow)) overflow = { startedAt: now(), failures: 0 };
        overflow.failures += 1;
        return;
      }
      window.failures += 1;
      if (window.failures >= maxFailures) {
        counting.delete(address);
        // Set only once: its place in the map is when it became limited.
        if (!limited.has(address)) limited.set(address, window);
      } else if (window.failures === 1) {
        counting.set(address, window);
      }
    },
    get size() {
      return counting.size + limited.size;
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
