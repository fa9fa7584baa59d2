import type { Pool } from 'pg';
import { guard } from '../errors.js';
import { createGroupCommit } from '../group-commit.js';
import { ANY_NUMBER, type LinkRecord, type LinkStore } from '../relay.js';
import { LINK_COLUMNS as COLUMNS, asIs, linkMapper, type LinkRow } from '../rows.js';

const toRecord = linkMapper<Date>(asIs);

const UPSERT = `
  INSERT INTO links (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (number) DO UPDATE SET
    team_id = EXCLUDED.team_id, channel_id = EXCLUDED.channel_id, tenant_id = EXCLUDED.tenant_id,
    service_url = EXCLUDED.service_url, bot_id = EXCLUDED.bot_id, created_by = EXCLUDED.created_by,
    created_at = EXCLUDED.created_at`;

export const createPostgresLinks = (pool: Pool): LinkStore => {
  // The worker looks up the links of a round's rows at once: one query for them all.
  const lookups = createGroupCommit(async (numbers: readonly string[]) => {
    const { rows } = await pool.query<LinkRow<Date>>(`SELECT ${COLUMNS} FROM links WHERE number = ANY($1::text[]) OR number = $2`, [numbers, ANY_NUMBER]);
    const byNumber = new Map(rows.map((row) => [row.number, toRecord(row)]));
    // The exact number's own link first, else the `*` link.
    return numbers.map((number) => byNumber.get(number) ?? byNumber.get(ANY_NUMBER));
  });
  return {
    saveLink: guard('saveLink', async (link: LinkRecord) => {
      await pool.query(UPSERT, [link.number, link.teamId, link.channelId, link.tenantId, link.serviceUrl, link.botId, link.createdBy, link.createdAt]);
    }),
    removeLink: guard('removeLink', async (number: string, teamId: string) => {
      const { rowCount } = await pool.query('DELETE FROM links WHERE number = $1 AND team_id = $2', [number, teamId]);
      return rowCount === 1;
    }),
    findLink: guard('findLink', (number: string) => lookups.submit(number)),
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    listLinks: guard('listLinks', async (teamId: string) => {
      const { rows } = await pool.query<LinkRow<Date>>(`SELECT ${COLUMNS} FROM links WHERE team_id = $1 ORDER BY number COLLATE "C"`, [teamId]);
      return rows.map(toRecord);
    }),
  };
};
