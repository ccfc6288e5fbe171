/**
 * The report as a page an analyst reads: for each principal, the timeliness shares month by month as
 * charts (SVG, drawn here; the page has no script) with their figures in a table beside each chart, then
 * the whole period's tables. Every figure is a published cell — of the period's report or of each
 * month's own report — so suppression is exactly that of the CSV, JSON and xlsx.
 */
import { lineChartSvg } from './charts.ts';
import { REPORT_STYLE } from './html-style.ts';
import { INDICATORS } from './indicators.ts';
import { type Cell, COLUMNS, type RegionalReport, type ReportRow } from './report.ts';
import {
  categoryName,
  HEADINGS,
  indicatorName,
  monthName,
  PERIOD_TYPES,
  principalTitle,
  UNITS,
} from './vocabulary.ts';

const escapeHtml = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const decimal = new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });

/** A published value as text: `1 234`, `83,3 %`, `2,5`, `<5`, `..`, or `–` (nothing to measure). */
export function formatCell(cell: Cell, unit: ReportRow['unit']): string {
  if (cell === null) return '–';
  if (typeof cell === 'string') return cell;
  return unit === 'percent' ? `${decimal.format(cell)} %` : whole.format(cell);
}

const td = (cell: Cell, unit: ReportRow['unit']) =>
  `<td${typeof cell === 'string' ? ' class="dolt"' : ''}>${escapeHtml(formatCell(cell, unit))}</td>`;

const groupHeadings = COLUMNS.map((column) => `<th scope="col">${escapeHtml(HEADINGS[column])}</th>`).join(
  '',
);

/** A wide table in a region that scrolls, and can be scrolled by keyboard. */
const scrolling = (label: string, table: string) =>
  `<div class="scroll" role="region" aria-label="${escapeHtml(label)}" tabindex="0">${table}</div>`;

function timelinessFigures(report: RegionalReport, code: string, index: number): string {
  const months = report.months ?? [];
  const shares = report.rows.filter((row) => row.principal === code && row.unit === 'percent');
  return shares
    .map((share, s) => {
      const title = `${indicatorName(share.indicator)}: ${categoryName(share.indicator, share.category)}`;
      const monthRows = months.map((m) => ({
        month: m.month,
        row: m.rows.find(
          (r) => r.principal === code && r.indicator === share.indicator && r.category === share.category,
        ),
      }));
      const plotted = (row: ReportRow | undefined, column: (typeof COLUMNS)[number]) => {
        const cell = row?.values[column] ?? null;
        return typeof cell === 'number' ? cell : null;
      };
      const totals = monthRows.map(
        ({ month, row }) => `${monthName(month)} ${formatCell(row?.values.total ?? null, 'percent')}`,
      );
      const label = `Linjediagram: ${share.label}, per månad och målgrupp. Totalt: ${totals.join('; ')}. Alla värden finns i tabellen intill.`;
      const svg = lineChartSvg({
        id: `p${index}s${s}`,
        label,
        months: monthRows.map(({ month }) => monthName(month)),
        series: COLUMNS.map((column) => ({
          name: HEADINGS[column],
          values: monthRows.map(({ row }) => plotted(row, column)),
        })),
      });
      const body = monthRows
        .map(
          ({ month, row }) =>
            `<tr><th scope="row">${escapeHtml(monthName(month))}</th>${COLUMNS.map((column) => td(row?.values[column] ?? null, 'percent')).join('')}</tr>`,
        )
        .join('');
      const table = `<table><caption>${escapeHtml(share.label)}, per månad (procent)</caption><thead><tr><th scope="col">Månad</th>${groupHeadings}</tr></thead><tbody>${body}</tbody></table>`;
      return `<figure class="chart"><figcaption><h4>${escapeHtml(title)}</h4></figcaption><div class="pair"><div class="svg">${svg}</div>${scrolling(`${share.label}, tabell`, table)}</div></figure>`;
    })
    .join('');
}

function periodTables(report: RegionalReport, code: string): string {
  const indicators = [...new Set(INDICATORS.map((indicator) => indicator.indicator))];
  return indicators
    .map((indicator) => {
      const rows = report.rows.filter((row) => row.principal === code && row.indicator === indicator);
      const body = rows
        .map(
          (row) =>
            `<tr><th scope="row">${escapeHtml(categoryName(row.indicator, row.category))}</th><td>${escapeHtml(UNITS[row.unit])}</td>${COLUMNS.map((column) => td(row.values[column], row.unit)).join('')}</tr>`,
        )
        .join('');
      const name = indicatorName(indicator);
      const table = `<table><caption>${escapeHtml(name)}</caption><thead><tr><th scope="col">${escapeHtml(HEADINGS.category)}</th><th scope="col">${escapeHtml(HEADINGS.unit)}</th>${groupHeadings}</tr></thead><tbody>${body}</tbody></table>`;
      return scrolling(`${name}, tabell`, table);
    })
    .join('');
}

/** The page, in Swedish. */
export function toHtml(report: RegionalReport): string {
  const { period } = report;
  const codes = [...new Set(report.rows.map((row) => row.principal))];
  const title = `SIP, regional uppföljning: ${PERIOD_TYPES[period.type]} ${period.from} – ${period.to}`;
  const sections = codes
    .map((code, index) => {
      const kind = report.rows.find((row) => row.principal === code)?.principalKind ?? 'municipality';
      const heading = principalTitle(code, kind);
      return `<section aria-labelledby="h-${index}"><h2 id="h-${index}">${escapeHtml(heading)}</h2><h3>Tidsgränser månad för månad</h3>${timelinessFigures(report, code, index)}<h3>Hela perioden</h3>${periodTables(report, code)}</section>`;
    })
    .join('');
  const unregistered =
    report.unregisteredPrincipals > 0
      ? `<p>${report.unregisteredPrincipals} huvudman/huvudmän deltog men finns inte i rapportregistret och är inte med.</p>`
      : '';
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${REPORT_STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
<p>Antal planer per huvudman och målgrupp (ålder den dag behovet uppmärksammades), andelar i procent och mediantider i dagar. En händelse räknas i den period den registrerades. Diagrammen visar varje månads andelar som månadens egen rapport visar dem; tabellen intill varje diagram har samma siffror.</p>
<dl><dt>&lt;5</dt><dd>ett antal från 1 till 4 (dolt)</dd><dt>..</dt><dd>dolt så att inget litet antal kan räknas fram; visas inte i diagrammen</dd><dt>–</dt><dd>inget att mäta (inga fall)</dd></dl>
${unregistered}${sections}</main></body></html>
`;
}
