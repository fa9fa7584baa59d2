import type { Pool } from 'pg';
import { StoreNotFoundError, guard } from '../errors.js';
import { CONVERSATION_COLUMNS as COLUMNS, asIs, conversationMapper, type ConversationRow } from '../rows.js';
import type { Clock, ConversationRecord, ConversationStore, ListConversationsFilter } from '../store.js';

const toRecord = conversationMapper<Date, unknown>(asIs, asIs);

const UPSERT = `
  INSERT INTO conversations (${COLUMNS}, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $11)
  ON CONFLICT (conversation_id) DO UPDATE SET
    kind = EXCLUDED.kind, tenant_id = EXCLUDED.tenant_id, service_url = EXCLUDED.service_url,
    team_id = EXCLUDED.team_id, channel_id = EXCLUDED.channel_id, bot_id = EXCLUDED.bot_id,
    user_id = EXCLUDED.user_id, welcomed_at = COALESCE(EXCLUDED.welcomed_at, conversations.welcomed_at),
    reference = EXCLUDED.reference, updated_at = EXCLUDED.updated_at`;

export const createPostgresConversations = (pool: Pool, now: Clock): ConversationStore => {
  const byId = async (conversationId: string) =>
    (await pool.query<ConversationRow<Date, unknown>>(`SELECT ${COLUMNS} FROM conversations WHERE conversation_id = $1`, [conversationId])).rows[0];

  return {
    saveConversation: guard('saveConversation', async (record: ConversationRecord) => {
      await pool.query(UPSERT, [
        record.conversationId,
        record.kind,
        record.tenantId,
        record.serviceUrl,
        record.teamId ?? null,
        record.channelId ?? null,
        record.botId,
        record.userId ?? null,
        record.welcomedAt ?? null,
        // Stringified here: pg would turn a top-level array into a PostgreSQL array.
        JSON.stringify(record.reference ?? null),
        now(),
      ]);
    }),
    getConversation: guard('getConversation', async (conversationId: string) => {
      const row = await byId(conversationId);
      return row && toRecord(row);
    }),
    listConversations: guard('listConversations', async (filter: ListConversationsFilter = {}) => {
      const { rows } =
        filter.teamId === undefined
          ? await pool.query<ConversationRow<Date, unknown>>(`SELECT ${COLUMNS} FROM conversations ORDER BY conversation_id`)
          : await pool.query<ConversationRow<Date, unknown>>(`SELECT ${COLUMNS} FROM conversations WHERE team_id = $1 ORDER BY conversation_id`, [
              filter.teamId,
            ]);
      return rows.map(toRecord);
    }),
    // Concurrent UPDATEs of one row queue on its row lock; each re-checks `welcomed_at IS NULL`
    // after the one before it commits, so only the first changes the row.
    markWelcomed: guard('markWelcomed', async (conversationId: string) => {
      const { rowCount } = await pool.query(
        'UPDATE conversations SET welcomed_at = $2 WHERE conversation_id = $1 AND welcomed_at IS NULL',
        [conversationId, now()],
      );
      if (rowCount === 1) return true;
      if (!(await byId(conversationId))) throw new StoreNotFoundError('conversation', conversationId);
      return false;
    }),
  };
};
