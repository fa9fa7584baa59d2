import { z } from 'zod';
import { InvalidRequestError } from '../errors.js';
import { compiled } from './compiled.js';
import type { PageQuery } from './schemas.js';

/**
 * Checks on what we are about to send, shared by every area: a bad field is refused with
 * `InvalidRequestError` before any call, named as ClickSend names it for a form to point at.
 */

/** Parses a request with its schema; a bad field is an error before anything is spent. */
export const verifyRequest = <S extends z.ZodType>(operation: string, schema: S, input: unknown): z.output<S> => {
  const parsed = compiled(schema).safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError({
    operation,
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
};

/** A ClickSend id in a path (`list_id`, `contact_id`, rule ids); forms hand it over as text. */
export const IdSchema = z.coerce.number<number | string>().int().positive();

/** ClickSend's own bounds: pages from 1, 15 to 100 rows a page. */
export const PageQuerySchema = z.object({
  page: z.number().int().min(1).optional(),
  limit: z.number().int().min(15, 'a page has at least 15 rows').max(100, 'a page has at most 100 rows').optional(),
});

/** The `?page=&limit=` of a paged GET, refused before the call when out of ClickSend's bounds. */
export const verifyPageQuery = (operation: string, query: PageQuery | undefined): PageQuery =>
  verifyRequest(operation, PageQuerySchema, query ?? {});

/** Checks an id given for a path; the issue is named as ClickSend names it (`list_id`) for a form to point at. */
export const verifyId = (operation: string, field: string, value: number | string): number => {
  const parsed = IdSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError({
    operation,
    issues: parsed.error.issues.map((issue) => ({ path: field, message: issue.message })),
  });
};

