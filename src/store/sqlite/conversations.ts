import type { Database } from 'better-sqlite3';
import { StoreNotFoundError, guard } from '../errors.js';
import { CONVERSATION_COLUMNS as COLUMNS, conversationMapper, fromEpochMs, fromJsonText, type ConversationRow } from '../rows.js';
import type { Clock, ConversationRecord, ConversationStore } from '../store.js';

const toRecord = conversationMapper(fromEpochMs, fromJsonText);

export const createSqliteConversations = (db: Database, now: Clock): ConversationStore => {
  const upsert = db.prepare(`
    INSERT INTO conversations (${COLUMNS}, created_at, updated_at)
    VALUES (@conversationId, @kind, @tenantId, @serviceUrl, @teamId, @channelId, @botId, @userId, @welcomedAt, @reference, @now, @now)
    ON CONFLICT (conversation_id) DO UPDATE SET
      kind = excluded.kind, tenant_id = excluded.tenant_id, service_url = excluded.service_url,
      team_id = excluded.team_id, channel_id = excluded.channel_id, bot_id = excluded.bot_id,
      user_id = excluded.user_id, welcomed_at = COALESCE(excluded.welcomed_at, conversations.welcomed_at),
      reference = excluded.reference, updated_at = excluded.updated_at`);
  const byId = db.prepare<[string], ConversationRow<number, string>>(`SELECT ${COLUMNS} FROM conversations WHERE conversation_id = ?`);
  const all = db.prepare<[], ConversationRow<number, string>>(`SELECT ${COLUMNS} FROM conversations ORDER BY conversation_id`);
  const byTeam = db.prepare<[string], ConversationRow<number, string>>(`SELECT ${COLUMNS} FROM conversations WHERE team_id = ? ORDER BY conversation_id`);
  const welcome = db.prepare<[number, string]>('UPDATE conversations SET welcomed_at = ? WHERE conversation_id = ? AND welcomed_at IS NULL');

  return {
    saveConversation: guard('saveConversation', (record: ConversationRecord) => {
      upsert.run({
        conversationId: record.conversationId,
        kind: record.kind,
        tenantId: record.tenantId,
        serviceUrl: record.serviceUrl,
        teamId: record.teamId ?? null,
        channelId: record.channelId ?? null,
        botId: record.botId,
        userId: record.userId ?? null,
        welcomedAt: record.welcomedAt?.getTime() ?? null,
        reference: JSON.stringify(record.reference ?? null),
        now: now().getTime(),
      });
    }),
    getConversation: guard('getConversation', (conversationId: string) => {
      const row = byId.get(conversationId);
      return row && toRecord(row);
    }),
    listConversations: guard('listConversations', (filter: { teamId?: string | undefined } = {}) =>
      (filter.teamId === undefined ? all.all() : byTeam.all(filter.teamId)).map(toRecord),
    ),
    // One UPDATE guarded by `welcomed_at IS NULL`: SQLite serialises writers, so only the
    // first caller changes the row.
    markWelcomed: guard('markWelcomed', (conversationId: string) => {
      if (welcome.run(now().getTime(), conversationId).changes === 1) return true;
      if (!byId.get(conversationId)) throw new StoreNotFoundError('conversation', conversationId);
      return false;
    }),
  };
};
