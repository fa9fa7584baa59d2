/**
 * zod helpers for request bodies. ClickSend is loose about types (`"1"` for 1, numbers for
 * strings), so inputs are coerced where its own examples do so; a body that still does not fit
 * is a 400 BAD_REQUEST naming the field at fault.
 */
import { z } from 'zod';
import { ApiError } from './envelope.js';

const numericString = /^-?\d+(\.\d+)?$/;

/** An integer that may arrive as a numeric string. */
export const looseInt = z.preprocess(
  (v) => (typeof v === 'string' && numericString.test(v.trim()) ? Number(v) : v),
  z.number().int(),
);

/** An optional integer that may arrive as a numeric string; `null` and `''` mean absent. */
export const optionalInt = z.preprocess(
  (v) => (v === null || v === '' ? undefined : typeof v === 'string' && numericString.test(v.trim()) ? Number(v) : v),
  z.number().int().optional(),
);

/** A 0/1 flag that may arrive as a boolean or a string. */
export const flag = z.preprocess(
  (v) => (v === true || v === '1' ? 1 : v === false || v === '0' ? 0 : v),
  z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' }),
);

/** Text that may arrive as a number (phone numbers, ids); `null` means absent. */
export const looseText = z.preprocess(
  (v) => (v === null ? undefined : typeof v === 'number' ? String(v) : v),
  z.string().optional(),
);

/** A required non-blank string. */
export const requiredText = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().trim().min(1, { error: 'must not be empty' }),
);

export const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
  error: 'must be an http(s) URL',
});

const fieldName = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? 'body' : path.map((p) => String(p)).join('.');

/** The value at `path` in the raw input, to tell a missing field from a wrong one. */
const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
};

const describe = (issue: z.core.$ZodIssue, input: unknown): string => {
  const field = fieldName(issue.path);
  if (valueAt(input, issue.path) === undefined) {
    return issue.path.length === 0 ? 'The request body is required.' : `The ${field} field is required.`;
  }
  return `${field}: ${issue.message}`;
};

/** Parses `input` or throws ClickSend's 400 envelope with one message per field in `data`. */
export const parseBody = <T extends z.ZodType>(schema: T, input: unknown): z.infer<T> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const data: Record<string, string> = {};
  for (const issue of result.error.issues) data[fieldName(issue.path)] ??= describe(issue, input);
  const first = result.error.issues[0];
  throw new ApiError('BAD_REQUEST', first ? describe(first, input) : 'Invalid request body.', { data });
};

/** Positive integer path parameter, or 404 naming the resource. */
export const idParam = (value: string | undefined, what: string): number => {
  if (value === undefined || !/^\d+$/.test(value)) throw new ApiError('NOT_FOUND', `${what} not found.`);
  return Number(value);
};
