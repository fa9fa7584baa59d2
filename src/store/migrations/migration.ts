/**
 * One schema change, written once per engine. Migrations are TypeScript modules holding SQL
 * strings so that they ship with the build. Never edit one that has been released: add the
 * next number instead.
 */
export interface Migration {
  /** 1, 2, 3, ... without gaps; recorded in `schema_migrations`. */
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}
