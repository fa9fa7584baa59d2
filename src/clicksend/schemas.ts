import { z } from 'zod';

/**
 * Shapes shared by every ClickSend answer. ClickSend's examples send numbers as strings
 * (`"0.0770"`, `"1"`), empty strings for missing numbers and `null` or `[]` for missing data,
 * so the schemas coerce and keep unknown keys (new fields must not break us).
 */

const toNumberOrUndefined = (value: unknown): unknown => {
  if (value === '' || value === null || value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
};

/** A number that may arrive as a numeric string. */
export const looseNumber = z.preprocess(toNumberOrUndefined, z.number());
/** A number that may arrive as a numeric string, `''` or `null` (all mean "absent"). */
export const optionalNumber = z.preprocess(toNumberOrUndefined, z.number().optional());
/** A string that may arrive as a number (ids, codes) or `null`. */
export const looseString = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string());
export const optionalString = z.preprocess(
  (v) => (v === null || v === undefined ? undefined : typeof v === 'number' ? String(v) : v),
  z.string().optional(),
);
/**
 * A ClickSend 0/1 option. Card inputs submit "0"/"1" or a toggle's true/false, so those are
 * read too; ClickSend always gets the number.
 */
export const OptionFlagSchema = z
  .union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1'), z.boolean()])
  .transform((v): 0 | 1 => (v === 1 || v === '1' || v === true ? 1 : 0));

/** ISO 3166 alpha-2, as ClickSend's `country` parameters take it. */
export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as AU');

export const EnvelopeSchema = z.looseObject({
  http_code: optionalNumber,
  response_code: z.string(),
  response_msg: optionalString,
  data: z.unknown(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export const CurrencySchema = z.looseObject({
  currency_name_short: z.string(),
  currency_prefix_d: z.string(),
  currency_prefix_c: optionalString,
  currency_name_long: optionalString,
});
export type Currency = z.infer<typeof CurrencySchema>;

/** ClickSend's page: `?page=&limit=` in, this shape out. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    total: looseNumber,
    per_page: looseNumber,
    current_page: looseNumber,
    last_page: looseNumber,
    next_page_url: z.string().nullable().optional(),
    prev_page_url: z.string().nullable().optional(),
    from: optionalNumber.nullable(),
    to: optionalNumber.nullable(),
    data: z.array(item),
  });
export interface Page<T> {
  total: number;
  per_page: number;
  current_page: number;
  last_page: number;
  next_page_url?: string | null | undefined;
  prev_page_url?: string | null | undefined;
  from?: number | null | undefined;
  to?: number | null | undefined;
  data: T[];
}

export interface PageQuery {
  /** 1-based page number. */
  readonly page?: number;
  /** 15 to 100 rows a page (ClickSend's own bounds). */
  readonly limit?: number;
}

/** Deletes answer `data: []`, cancels `data: null`: nothing we need to read. */
export const EmptyDataSchema = z.unknown();
