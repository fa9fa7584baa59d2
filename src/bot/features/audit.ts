import { auditCsv, totalsOf } from '../../bridge/audit-report.js';
import { UsageError } from '../../errors.js';
import type { AuditEntry } from '../../store/audit.js';
import type { OutgoingFile } from '../../teams/types.js';
import type { Feature } from '../actions/action.js';
import type { Command } from '../commands/command.js';
import type { BotDeps } from '../deps.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_DAYS = 366;
/** Entries shown on the card; the CSV has them all. */
const CARD_ROWS = 15;
/**
 * A Teams message is limited to about 100 KB, card and attachments together, so the CSV goes
 * along as a data: URL only while it is small.
 */
export const MAX_ATTACHED_CSV_BYTES = 40 * 1024;

const when = (at: Date): string =>
  at.toLocaleString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });

const daysArg = (arg: string | undefined): number => {
  if (arg === undefined) return 7;
  const days = Number(arg);
  if (!/^\d+$/.test(arg) || days < 1 || days > MAX_DAYS) throw new UsageError('How many days?', `Type audit, or audit <days> with 1 to ${MAX_DAYS} days.`);
  return days;
};

const csvFile = (entries: readonly AuditEntry[], now: Date, days: number): OutgoingFile | undefined => {
  const csv = Buffer.from(auditCsv(entries), 'utf8');
  if (csv.length > MAX_ATTACHED_CSV_BYTES) return undefined;
  return { name: `audit-${now.toISOString().slice(0, 10)}-${days}d.csv`, contentType: 'text/csv', contentUrl: `data:text/csv;base64,${csv.toString('base64')}` };
};

/** `audit [days]`: the audit log of the last days as a card, with every entry in a CSV (admins). */
export const createAuditFeature = (deps: BotDeps, now: () => Date = () => new Date()): Feature => {
  const audit: Command = {
    words: ['audit'],
    usage: 'audit [days]',
    summary: 'Who sent and changed what in the last days (7 unless given), with a CSV (admins, personal chat)',
    role: 'admin',
    scopes: ['personal'],
    async run(c) {
      const days = daysArg(c.args[0]);
      const at = now();
      const since = new Date(at.getTime() - days * DAY_MS);
      const { entries, cut } = await deps.audit.since(since);
      const totals = totalsOf(entries);
      const download = entries.length > 0 ? deps.audit.downloadLink(since, at) : undefined;
      // Teams may drop a data: file it cannot show: attached only when there is no link to offer.
      const file = entries.length > 0 && !download ? csvFile(entries, at, days) : undefined;
      const sinceText = `${when(since)} UTC`;
      const card = deps.cards.render('audit', {
        title: `Audit: the last ${days} day${days === 1 ? '' : 's'}`,
        summary:
          entries.length === 0
            ? `Nothing was sent or changed since ${sinceText}.`
            : `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} since ${sinceText}.${
                download ? ' Download the CSV (the link works for an hour) for every entry.' : file ? ' The attached CSV has every entry.' : ''
              }`,
        totals: [
          ...totals.spent.map((s) => ({ title: 'Spent', value: `${s.amount} ${s.currency}`.trim() })),
          ...totals.actions.map((a) => ({ title: a.action, value: a.recipients > 0 ? `${a.count} (${a.recipients} recipients)` : String(a.count) })),
        ],
        rows: entries
          .slice(-CARD_ROWS)
          .reverse()
          .map((e) => ({
            at: when(e.at),
            who: e.userName || e.userId,
            action: e.action,
            recipients: String(e.recipients),
            price: e.price === undefined ? '' : `${e.price} ${e.currency ?? ''}`.trim(),
          })),
        note: [
          cut ? `More entries than the card can sum up: these are the first ${entries.length.toLocaleString('en')}; the download has them all.` : '',
          entries.length > 0 && !file && !download
            ? `Too many entries to attach as a CSV in Teams; ask for fewer days (e.g. audit ${Math.max(1, Math.floor(days / 4))}), or set PUBLIC_URL and AUDIT_LINK_SECRET for a download link.`
            : '',
        ]
          .filter(Boolean)
          .join(' '),
        ...(download ? { download } : {}),
      });
      await c.turn.send({ card, ...(file ? { files: [file] } : {}) });
    },
  };
  return { commands: [audit], actions: [] };
};
