import type { Pool } from 'pg';
import { guard } from '../errors.js';
import { AUDIT_COLUMNS, DEFAULT_AUDIT_LIMIT, auditEntryOf, auditValues, type AuditEntryInput, type AuditRow, type AuditStore } from '../audit.js';

export const createPostgresAudit = (pool: Pool): AuditStore => ({
  appendAudit: guard('appendAudit', async (entry: AuditEntryInput) => {
    await pool.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [entry.at, ...auditValues(entry)]);
  }),
  listAudit: guard('listAudit', async (since: Date, limit: number = DEFAULT_AUDIT_LIMIT, afterId = 0) => {
    const { rows } = await pool.query<AuditRow>(`SELECT id, ${AUDIT_COLUMNS} FROM audit_log WHERE at >= $1 AND id > $3 ORDER BY id LIMIT $2`, [
      since,
      limit,
      afterId,
    ]);
    return rows.map(auditEntryOf);
  }),
});
