/**
 * ClickSend's pages (a Laravel paginator): `?page=&limit=` in, `limit` clamped to 15..100
 * (default 15); out `{ total, per_page, current_page, last_page, next_page_url, prev_page_url,
 * from, to, data[] }` plus the Laravel extras ClickSend's newer examples show.
 */

export const DEFAULT_LIMIT = 15;
export const MIN_LIMIT = 15;
export const MAX_LIMIT = 100;

export interface PageLink {
  readonly url: string | null;
  readonly label: string;
  readonly page: number | null;
  readonly active: boolean;
}

export interface Page<T> {
  readonly total: number;
  readonly per_page: number;
  readonly current_page: number;
  readonly last_page: number;
  readonly next_page_url: string | null;
  readonly prev_page_url: string | null;
  /** 1-based index of the first row on this page; null on an empty page (as Laravel does). */
  readonly from: number | null;
  readonly to: number | null;
  readonly first_page_url: string;
  readonly last_page_url: string;
  readonly path: string;
  readonly links: readonly PageLink[];
  readonly data: readonly T[];
}

const positiveInt = (value: string | null): number | undefined => {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
};

export const pageParams = (query: URLSearchParams): { page: number; limit: number } => {
  const limit = positiveInt(query.get('limit')) ?? DEFAULT_LIMIT;
  return {
    page: positiveInt(query.get('page')) ?? 1,
    limit: Math.min(MAX_LIMIT, Math.max(MIN_LIMIT, limit)),
  };
};

/**
 * One page of `items`. `path` is the absolute URL of the listing; like Laravel, page URLs carry
 * only `page`, not `limit` (a client that follows them must re-add its own limit).
 */
export const paginate = <T>(items: readonly T[], query: URLSearchParams, path: string): Page<T> => {
  const { page, limit } = pageParams(query);
  const total = items.length;
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const offset = (page - 1) * limit;
  const data = items.slice(offset, offset + limit);
  const urlOf = (n: number): string => `${path}?page=${n}`;
  const prev = page > 1 ? Math.min(page - 1, lastPage) : null;
  const next = page < lastPage ? page + 1 : null;
  const links: PageLink[] = [
    { url: prev === null ? null : urlOf(prev), label: '&laquo; Previous', page: prev, active: false },
    ...Array.from({ length: lastPage }, (_, i) => ({ url: urlOf(i + 1), label: String(i + 1), page: i + 1, active: i + 1 === page })),
    { url: next === null ? null : urlOf(next), label: 'Next &raquo;', page: next, active: false },
  ];
  return {
    total,
    per_page: limit,
    current_page: page,
    last_page: lastPage,
    next_page_url: next === null ? null : urlOf(next),
    prev_page_url: prev === null ? null : urlOf(prev),
    from: data.length > 0 ? offset + 1 : null,
    to: data.length > 0 ? offset + data.length : null,
    first_page_url: urlOf(1),
    last_page_url: urlOf(lastPage),
    path,
    links,
    data,
  };
};
