/** A claim's lifetime must be a positive number of milliseconds; anything else is a caller's bug. */
export const verifyTtl = (ttlMs: number): void => {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
};
