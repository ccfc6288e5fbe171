/**
 * The report as files. CSV for a spreadsheet with Swedish settings — Swedish headings and values, UTF-8
 * with a byte-order mark (so Excel reads å, ä, ö), semicolons between fields and a decimal comma — and
 * JSON with the same rows under stable English keys. The xlsx and the HTML page are made by
 * `rich-formats.ts`, which is loaded only when one is asked for: its libraries would otherwise weigh on
 * every cold start of the functions that serve reports.
 */
import { pagePolicy } from '../http/security.ts';
import { REPORT_FORMATS, type ReportFormat } from './format-names.ts';
import { REPORT_STYLE } from './html-style.ts';
import { type Cell, COLUMNS, type RegionalReport } from './report.ts';
import { categoryName, HEADINGS, indicatorName, PERIOD_TYPES, PRINCIPAL_KINDS, UNITS } from './vocabulary.ts';

export { REPORT_FORMATS, type ReportFormat };

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};

/** The HTML page's policy: its one style, by hash; its charts are SVG in the page, and nothing runs. */
export const REPORT_PAGE_POLICY = pagePolicy({ styles: [REPORT_STYLE] });

/**
 * The file name of the bundled rich formats beside a function's own bundle. The functions' bundling builds
 * it (infra/bundling.ts); from source, `rich-formats.ts` itself is loaded.
 */
export const RICH_FORMATS_FILE = 'report-formats.mjs';

const BOM = '\uFEFF';
/** The columns of both formats, in order: the JSON's keys; the CSV's headings are their Swedish names. */
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

/** The CSV: Swedish headings and values, one row per principal, indicator and category. */
export function toCsv(report: RegionalReport): string {
  const { period } = report;
  const lines = report.rows.map((row) =>
    [
      PERIOD_TYPES[period.type],
      period.from,
      period.to,
      row.principal,
      PRINCIPAL_KINDS[row.principalKind],
      indicatorName(row.indicator),
      categoryName(row.indicator, row.category),
      UNITS[row.unit],
      ...COLUMNS.map((column) => csvCell(row.values[column])),
      row.label,
    ]
      .map(field)
      .join(';'),
  );
  // CRLF, as RFC 4180 and Excel have it.
  return `${BOM}${[HEADER.map((column) => HEADINGS[column]).join(';'), ...lines].join('\r\n')}\r\n`;
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

type RichFormats = typeof import('./rich-formats.ts');
let richFormats: Promise<RichFormats> | undefined;
/** The xlsx and HTML renderers, loaded on first use (a computed specifier, so no bundler inlines them). */
function loadRichFormats(): Promise<RichFormats> {
  const file = import.meta.url.endsWith('.ts') ? './rich-formats.ts' : `./${RICH_FORMATS_FILE}`;
  richFormats ??= import(new URL(file, import.meta.url).href) as Promise<RichFormats>;
  return richFormats;
}

/** The report in a format: text for CSV, JSON and HTML, bytes for the xlsx. */
export async function renderReport(
  report: RegionalReport,
  format: ReportFormat,
): Promise<string | Uint8Array> {
  switch (format) {
    case 'csv':
      return toCsv(report);
    case 'json':
      return toJson(report);
    case 'xlsx':
      return (await loadRichFormats()).toXlsx(report);
    case 'html':
      return (await loadRichFormats()).toHtml(report);
  }
}

/** A file name that says what is in it: `sip-regional-2026-01-01--2026-03-31[-1480].csv`. */
export const fileNameOf = (report: RegionalReport, format: ReportFormat, principal?: string) =>
  `sip-regional-${report.period.from}--${report.period.to}${principal ? `-${principal}` : ''}.${format}`;
