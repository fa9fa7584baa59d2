import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** How long a download link works after it was made. */
export const EXPORT_LINK_TTL_MS = 60 * 60 * 1000;

export type LinkRefusal = 'malformed' | 'bad-signature' | 'expired';

export interface SignedLinksOptions {
  /** The bridge's public base URL: links must be reachable from the user's browser. */
  readonly publicUrl: string;
  /**
   * A secret every instance shares (`AUDIT_LINK_SECRET`; not the webhook token, which sits in
   * ClickSend's rule URLs): the signing key is derived from it, so a link made by one instance
   * is honoured by the others, and no link can be forged without it.
   */
  readonly secret: string;
  /** What the links are for (`audit-export-link`): each purpose has a key of its own. */
  readonly purpose: string;
  /** The route the links point at (`/exports/audit.csv`). */
  readonly path: string;
  readonly now?: () => Date;
}

/**
 * Signed, short-lived download links: a link names its values and its expiry and carries an HMAC
 * of them (`value:value:expires`), so that none of them can be changed. Teams cannot take a large
 * file from a bot in a message, but any browser can open a link.
 */
export const createSignedLinks = (options: SignedLinksOptions) => {
  const key = Buffer.from(hkdfSync('sha256', options.secret, 'clicksend-teams-bridge', options.purpose, 32));
  const now = options.now ?? (() => new Date());
  const sign = (values: readonly string[]) => createHmac('sha256', key).update(values.join(':')).digest('base64url');

  return {
    /** A link to `values` (in this order), working for an hour. */
    link(values: Readonly<Record<string, string>>): string {
      const expires = String(now().getTime() + EXPORT_LINK_TTL_MS);
      const params = new URLSearchParams({ ...values, expires });
      params.set('sig', sign([...Object.values(values), expires]));
      return `${options.publicUrl}${options.path}?${params}`;
    },

    /**
     * The values of a link, each checked against its pattern (in the order they were signed), or
     * why the link is refused. The patterns must not let a `:` through: it would blur what was signed.
     */
    verify<K extends string>(
      query: Readonly<Record<string, string | undefined>>,
      fields: Readonly<Record<K, RegExp>>,
    ): { values: Record<K, string> } | { refused: LinkRefusal } {
      const names = Object.keys(fields) as K[];
      const { expires, sig } = query;
      if (!expires || !/^\d{1,15}$/.test(expires) || !sig || names.some((name) => !fields[name].test(query[name] ?? ''))) {
        return { refused: 'malformed' };
      }
      const values = Object.fromEntries(names.map((name) => [name, query[name]!])) as Record<K, string>;
      const expected = Buffer.from(sign([...names.map((name) => values[name]), expires]));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'bad-signature' };
      if (now().getTime() > Number(expires)) return { refused: 'expired' };
      return { values };
    },
  };
};
export type SignedLinks = ReturnType<typeof createSignedLinks>;
