import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The shapes of the environment's values, each refusal saying how to write the variable;
 * `config.ts` puts them together and is still the only reader of the environment.
 */

/** Unset, empty and whitespace-only values all mean "not set" (as an empty line in `.env` does). */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), schema.optional());

export const httpUrl = (variable: string, example: string) =>
  z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
    message: `set ${variable} to an http(s) URL such as ${example}`,
  });

export const DatabaseSchema = z.string().transform((value, ctx) => {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (path) return { kind: 'sqlite' as const, path };
  } else if (/^postgres(ql)?:\/\//.test(value) && URL.canParse(value)) {
    return { kind: 'postgres' as const, url: value };
  }
  ctx.addIssue({
    code: 'custom',
    message: 'set DATABASE_URL to sqlite:<file path> (e.g. sqlite:data/bridge.sqlite) or postgres://user@host:5432/db',
  });
  return z.NEVER;
});

export const RateLimitSchema = z.string().transform((value, ctx) => {
  const match = /^(\d+)\/(\d+)s$/.exec(value);
  const requests = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || requests < 1 || seconds < 1) {
    ctx.addIssue({ code: 'custom', message: 'set CLICKSEND_RATE_LIMIT to <requests>/<seconds>s, e.g. 100/60s' });
    return z.NEVER;
  }
  return { requests, windowMs: seconds * 1000 };
});

/** A comma (or space) separated list; empty entries ignored. */
export const commaList = (variable: string, item: z.ZodType<string>, example: string) =>
  z.string().transform((value, ctx) => {
    const items = value.split(/[\s,]+/).filter(Boolean);
    for (const entry of items) {
      if (!item.safeParse(entry).success) ctx.addIssue({ code: 'custom', message: `set ${variable} to a comma-separated list such as ${example}; "${entry.slice(0, 60)}" is not valid` });
    }
    return items;
  });

/** Entra object ids and tenant ids are GUIDs; Teams sends them in lower case. */
export const GUID = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);
export const GUID_EXAMPLE = '00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002';

/** An IP address or a CIDR block (`203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`). */
export const IP_OR_CIDR = z.string().refine((entry) => {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
});
