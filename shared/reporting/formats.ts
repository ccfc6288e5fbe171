/**
 * The report as files. CSV for a spreadsheet with Swedish settings — UTF-8 with a byte-order mark (so
 * Excel reads å, ä, ö), semicolons between fields and a decimal comma — and JSON with the same rows.
 * Nothing depends on when the file is made: the same period gives the same bytes.
 */
import { type Cell, COLUMNS, type RegionalReport } from './report.ts';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json';
export type ReportFormat = 'csv' | 'json';

const BOM = '\uFEFF';
/** The columns of both formats, in order; documented in the README. */
export const HEADER = [
  'period',
  'from',
  'to',
  'principal',
  'principalKind',
  'indicator',
  'category',
  'unit',
  ...COLUMNS,
  'label',
] as const;

const field = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvCell = (cell: Cell) =>
  cell === null ? '' : typeof cell === 'number' ? String(cell).replace('.', ',') : cell;

export function toCsv(report: RegionalReport): string {
  const { period } = report;
  const lines = report.rows.map((row) =>
    [
      period.type,
      period.from,
      period.to,
      row.principal,
      row.principalKind,
      row.indicator,
      row.category,
      row.unit,
      ...COLUMNS.map((column) => csvCell(row.values[column])),
      row.label,
    ]
      .map(field)
      .join(';'),
  );
  // CRLF, as RFC 4180 and Excel have it.
  return `${BOM}${[HEADER.join(';'), ...lines].join('\r\n')}\r\n`;
}

/** The JSON document: the period, how many principals were left out, and the rows with the CSV's columns. */
export function toJsonDocument(report: RegionalReport) {
  const { period } = report;
  return {
    period: { type: period.type, from: period.from, to: period.to },
    unregisteredPrincipals: report.unregisteredPrincipals,
    rows: report.rows.map((row) => ({
      principal: row.principal,
      principalKind: row.principalKind,
      indicator: row.indicator,
      category: row.category,
      unit: row.unit,
      ...row.values,
      label: row.label,
    })),
  };
}

export const toJson = (report: RegionalReport) => `${JSON.stringify(toJsonDocument(report), null, 1)}\n`;

export const render = (report: RegionalReport, format: ReportFormat) =>
  format === 'csv' ? toCsv(report) : toJson(report);

/** A file name that says what is in it: `sip-regional-2026-01-01--2026-03-31[-1480].csv`. */
export const fileNameOf = (report: RegionalReport, format: ReportFormat, principal?: string) =>
  `sip-regional-${report.period.from}--${report.period.to}${principal ? `-${principal}` : ''}.${format}`;
