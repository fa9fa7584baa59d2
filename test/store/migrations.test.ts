import { describe, expect, it } from 'vitest';
import { latestVersion, migrations, pendingMigrations } from '../../src/store/migrations/index.js';

describe('migrations', () => {
  it('are numbered 1, 2, 3, ... in order, without gaps, each with SQL for both engines', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) {
      expect(m.name, `migration ${m.version}`).toMatch(/^[a-z0-9-]+$/);
      expect(m.sqlite.trim(), `migration ${m.version} sqlite`).not.toBe('');
      expect(m.postgres.trim(), `migration ${m.version} postgres`).not.toBe('');
    }
  });

  it('leaves out the versions a database already records', () => {
    expect(pendingMigrations(new Set([1])).map((m) => m.version)).toEqual(migrations.slice(1).map((m) => m.version));
    expect(pendingMigrations(new Set(migrations.map((m) => m.version)))).toEqual([]);
    expect(latestVersion()).toBe(migrations.length);
  });
});
