const LOG_EVERY_MS = 60_000;

/**
 * Logs events anyone on the internet can cause by the thousand (refused tokens, requests without
 * one, a full body budget) as one counted line a minute at most: `{ [countKey]: n }`, with the
 * last error's message (no stack, no headers) when one is given.
 */
export const createCountedLog = (write: (fields: Record<string, unknown>) => void, countKey: string) => {
  let count = 0;
  let loggedAt = -Infinity;
  return (error?: unknown): void => {
    count += 1;
    if (Date.now() - loggedAt < LOG_EVERY_MS) return;
    loggedAt = Date.now();
    // botbuilder's and node-fetch's messages carry no secret.
    const reason = error === undefined ? {} : { lastReason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' };
    write({ [countKey]: count, ...reason });
    count = 0;
  };
};
