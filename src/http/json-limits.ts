/**
 * Shape limits for parsed JSON bodies, checked right after parsing and before any schema,
 * handler or library walks the value: a body can be small in bytes and still nest thousands
 * of levels deep (which recursive code turns into a stack overflow) or carry one huge string.
 */

export interface JsonLimits {
  /** Nesting of objects and arrays; a scalar is depth 0, `{}` and `[]` are depth 1. */
  readonly maxDepth: number;
  /** Longest string (values and keys), in UTF-16 code units. */
  readonly maxStringLength: number;
}

export type JsonLimitViolation =
  | { readonly code: 'ERR_JSON_TOO_DEEP'; readonly path: string; readonly message: string }
  | { readonly code: 'ERR_JSON_STRING_TOO_LONG'; readonly path: string; readonly message: string };

/** A value on the walk's stack: its place is kept as a link to its parent, made into a path only for a violation. */
interface Place {
  readonly value: unknown;
  readonly depth: number;
  readonly parent?: Place;
  readonly key?: string | number;
}

const pathOf = (place: Place): string => {
  const segments: (string | number)[] = [];
  for (let at: Place | undefined = place; at?.key !== undefined; at = at.parent) segments.push(at.key);
  return segments.reverse().join('.');
};

/**
 * The first place `value` breaks `limits`, or undefined. Iterative, so no input can exhaust
 * the stack; it stops at the first violation, so a hostile body costs one walk at most.
 */
export const findJsonLimitViolation = (value: unknown, limits: JsonLimits): JsonLimitViolation | undefined => {
  const stack: Place[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (item.value.length > limits.maxStringLength) {
        return {
          code: 'ERR_JSON_STRING_TOO_LONG',
          path: pathOf(item),
          message: `a string is longer than ${limits.maxStringLength} characters`,
        };
      }
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > limits.maxDepth) {
      return { code: 'ERR_JSON_TOO_DEEP', path: pathOf(item), message: `the JSON is nested deeper than ${limits.maxDepth} levels` };
    }
    if (Array.isArray(item.value)) {
      item.value.forEach((child, index) => stack.push({ value: child, depth, parent: item, key: index }));
      continue;
    }
    for (const [key, child] of Object.entries(item.value)) {
      if (key.length > limits.maxStringLength) {
        return { code: 'ERR_JSON_STRING_TOO_LONG', path: pathOf(item), message: `a key is longer than ${limits.maxStringLength} characters` };
      }
      stack.push({ value: child, depth, parent: item, key });
    }
  }
  return undefined;
};

/**
 * ClickSend's pushes are flat objects of short fields (the longest, `body`, is at most 5,000
 * characters by our own schema); 4 levels and 10,000 characters leave room for any change
 * ClickSend might make without letting a body near the walls.
 */
export const WEBHOOK_JSON_LIMITS: JsonLimits = { maxDepth: 4, maxStringLength: 10_000 };

/**
 * Teams activities nest entities, attachments (whole Adaptive Cards, up to 28 KB) and card
 * submissions. Our deepest card (contacts, 11 levels) sent back as an attachment makes an
 * activity 14 deep, so 32 leaves twice that. A message text is at most about 28 KB and an
 * activity at most 256 KB, so 100,000 characters passes any real one.
 */
export const ACTIVITY_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxStringLength: 100_000 };
