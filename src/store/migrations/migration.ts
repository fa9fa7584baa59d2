/**
 * One schema change, as SQL for each engine (`sameForBothEngines` writes it once where only
 * column types differ). Migrations are TypeScript modules holding SQL strings so that they ship
 * with the build. Never change the SQL of one that has been released: add the next number instead.
 */
export interface Migration {
  /** 1, 2, 3, ... without gaps; recorded in `schema_migrations`. */
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}
