import { describe, expect, it } from 'vitest';
import { createAuditExports, EXPORT_LINK_TTL_MS } from '../../src/bridge/audit-export.js';
import { storedAuditEntry } from '../helpers/audit.js';

const entryAt = (iso: string, id: number) => storedAuditEntry({ id, at: new Date(iso), messageIds: [`m${id}`] });

const ENTRIES = [entryAt('2026-11-20T00:00:00Z', 1), entryAt('2026-11-27T00:00:00Z', 2), entryAt('2026-11-28T12:00:00Z', 3)];

const exportsAt = (clock: { now: Date }, secret = 'a-webhook-token-of-at-least-32-characters') =>
  createAuditExports({
    publicUrl: 'https://bridge.example.com',
    secret,
    store: { listAudit: async (since: Date) => ENTRIES.filter((e) => e.at >= since) },
    now: () => clock.now,
  });

const queryOf = (link: string) => Object.fromEntries(new URL(link).searchParams);

describe('audit download links', () => {
  it('serve exactly the entries of their range', async () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const exports = exportsAt(clock);
    const opened = await exports.open(queryOf(exports.link(new Date('2026-11-21T00:00:00Z'), clock.now)));
    expect('csv' in opened && opened.csv).toContain(',m2,');
    expect('csv' in opened && opened.csv.split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('expire after an hour', async () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const exports = exportsAt(clock);
    const query = queryOf(exports.link(new Date(0), clock.now));
    clock.now = new Date(clock.now.getTime() + EXPORT_LINK_TTL_MS - 1);
    expect(await exports.open(query)).toHaveProperty('csv');
    clock.now = new Date(clock.now.getTime() + 2);
    expect(await exports.open(query)).toEqual({ refused: 'expired' });
  });

  it('are honoured by every instance that shares the secret, and by no other', async () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const query = queryOf(exportsAt(clock).link(new Date(0), clock.now));
    expect(await exportsAt(clock).open(query)).toHaveProperty('csv');
    expect(await exportsAt(clock, 'another-webhook-token-of-32-characters!').open(query)).toEqual({ refused: 'bad-signature' });
  });

  it('cannot have their expiry pushed back', async () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const exports = exportsAt(clock);
    const query = queryOf(exports.link(new Date(0), clock.now));
    expect(await exports.open({ ...query, expires: String(Number(query.expires) + 86_400_000) })).toEqual({ refused: 'bad-signature' });
    expect(await exports.open({ ...query, expires: 'soon' })).toEqual({ refused: 'malformed' });
  });
});
