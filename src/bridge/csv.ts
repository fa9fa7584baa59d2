/** CSV for the bridge's downloads (the audit log, a send's recipients): RFC 4180, safe to open in a spreadsheet. */

import { E164Schema } from '../domain/phone.js';

/** A phone number in E.164, written as it is: digits after a `+` are data no spreadsheet runs. */
export interface CsvPhone {
  readonly phone: string;
}

export type CsvValue = string | number | undefined | CsvPhone;

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (a user
 * named `=HYPERLINK(...)`) gets a leading apostrophe, as OWASP advises for CSV exports.
 */
export const csvCell = (value: CsvValue): string => {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && E164Schema.safeParse(value.phone).success) return value.phone;
  const text = typeof value === 'object' ? value.phone : value;
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** A header line and a line per row, CRLF line ends (a spreadsheet's and RFC 4180's). */
export const toCsv = (columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string =>
  [columns.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n') + '\r\n';
