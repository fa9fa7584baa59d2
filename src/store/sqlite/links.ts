import type { Database } from 'better-sqlite3';
import { guard } from '../errors.js';
import { ANY_NUMBER, type LinkRecord, type LinkStore } from '../relay.js';
import { LINK_COLUMNS as COLUMNS, fromEpochMs, linkMapper, type LinkRow } from '../rows.js';

const toRecord = linkMapper(fromEpochMs);

export const createSqliteLinks = (db: Database): LinkStore => {
  const upsert = db.prepare(`
    INSERT INTO links (${COLUMNS})
    VALUES (@number, @teamId, @channelId, @tenantId, @serviceUrl, @botId, @createdBy, @createdAt)
    ON CONFLICT (number) DO UPDATE SET
      team_id = excluded.team_id, channel_id = excluded.channel_id, tenant_id = excluded.tenant_id,
      service_url = excluded.service_url, bot_id = excluded.bot_id, created_by = excluded.created_by,
      created_at = excluded.created_at`);
  const remove = db.prepare<[string, string]>('DELETE FROM links WHERE number = ? AND team_id = ?');
  // The exact number sorts before `*` (false < true), so LIMIT 1 prefers it.
  const find = db.prepare<[string, string], LinkRow<number>>(
    `SELECT ${COLUMNS} FROM links WHERE number IN (?, ?) ORDER BY number = '${ANY_NUMBER}' LIMIT 1`,
  );
  const byTeam = db.prepare<[string], LinkRow<number>>(`SELECT ${COLUMNS} FROM links WHERE team_id = ? ORDER BY number`);

  return {
    saveLink: guard('saveLink', (link: LinkRecord) => {
      upsert.run({
        number: link.number,
        teamId: link.teamId,
        channelId: link.channelId,
        tenantId: link.tenantId,
        serviceUrl: link.serviceUrl,
        botId: link.botId,
        createdBy: link.createdBy,
        createdAt: link.createdAt.getTime(),
      });
    }),
    removeLink: guard('removeLink', (number: string, teamId: string) => remove.run(number, teamId).changes === 1),
    findLink: guard('findLink', (number: string) => {
      const row = find.get(number, ANY_NUMBER);
      return row && toRecord(row);
    }),
    listLinks: guard('listLinks', (teamId: string) => byTeam.all(teamId).map(toRecord)),
  };
};
