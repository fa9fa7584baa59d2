import type { Database } from 'better-sqlite3';
import { guard } from '../errors.js';
import { AUDIT_COLUMNS, DEFAULT_AUDIT_LIMIT, auditEntryOf, auditValues, type AuditEntryInput, type AuditRow, type AuditStore } from '../audit.js';

export const createSqliteAudit = (db: Database): AuditStore => {
  const insert = db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const list = db.prepare<[number, number, number], AuditRow<number>>(`SELECT id, ${AUDIT_COLUMNS} FROM audit_log WHERE at >= ? AND id > ? ORDER BY id LIMIT ?`);
  return {
    appendAudit: guard('appendAudit', (entry: AuditEntryInput) => {
      insert.run(entry.at.getTime(), ...auditValues(entry));
    }),
    listAudit: guard('listAudit', (since: Date, limit: number = DEFAULT_AUDIT_LIMIT, afterId = 0) =>
      list.all(since.getTime(), afterId, limit).map((row) => auditEntryOf({ ...row, at: new Date(row.at) })),
    ),
  };
};
