import type { Migration } from './migration.js';

const columns = (t: { time: string; serialKey: string }) => `
    CREATE TABLE audit_log (
      id ${t.serialKey},
      at ${t.time} NOT NULL,
      tenant_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      action TEXT NOT NULL,
      recipients INTEGER NOT NULL,
      message_ids TEXT NOT NULL,
      price TEXT,
      currency TEXT,
      detail TEXT NOT NULL
    );
    CREATE INDEX audit_log_at ON audit_log (at);`;

/**
 * Who spent money or changed data, and how. Append-only: the database itself refuses to
 * change or delete a row, so that not even a bug (or a hand with SQL access to the bridge's
 * own role) can rewrite history quietly.
 */
export const audit: Migration = {
  version: 5,
  name: 'audit',
  sqlite: `${columns({ time: 'INTEGER', serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT' })}
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
  postgres: `${columns({ time: 'TIMESTAMPTZ', serialKey: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' })}
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();`,
};
