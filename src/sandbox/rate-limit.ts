import type { RateLimitOptions } from './types.js';

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Window {
  startedAt: number;
  count: number;
}

/**
 * A fixed window per credentials. ClickSend publishes no limit; 429 with `Retry-After` is what a
 * client must honour, so the sandbox can produce it on demand.
 */
export const createRateLimiter = (options: RateLimitOptions | undefined, now: () => number) => {
  const windows = new Map<string, Window>();

  const check = (key: string): RateDecision => {
    if (!options) return { allowed: true };
    const at = now();
    let window = windows.get(key);
    if (!window || at - window.startedAt >= options.windowMs) {
      window = { startedAt: at, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= options.requests) return { allowed: true };
    const remainingMs = window.startedAt + options.windowMs - at;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  };

  const reset = (): void => windows.clear();

  return { check, reset };
};

export type RateLimiter = ReturnType<typeof createRateLimiter>;
