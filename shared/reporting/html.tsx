/**
 * The report as a page an analyst reads: for each principal, the timeliness shares month by month as
 * charts (SVG, drawn here; the page has no script) with their figures in a table beside each chart, then
 * the whole period's tables. Every figure is a published cell — of the period's report or of each
 * month's own report — so suppression is exactly that of the CSV, JSON and xlsx.
 */
import type { ComponentChildren } from 'preact';
import { Generated, InlineStyle, ScrollRegion } from '../html/parts.tsx';
import { renderPage } from '../html/render.ts';
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

const decimal = new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });

/** A published value as text: `1 234`, `83,3 %`, `2,5`, `<5`, `..`, or `–` (nothing to measure). */
export function formatCell(cell: Cell, unit: ReportRow['unit']): string {
  if (cell === null) return '–';
  if (typeof cell === 'string') return cell;
  return unit === 'percent' ? `${decimal.format(cell)} %` : whole.format(cell);
}

const Td = ({ cell, unit }: { cell: Cell; unit: ReportRow['unit'] }) => (
  <td class={typeof cell === 'string' ? 'dolt' : undefined}>{formatCell(cell, unit)}</td>
);

const GroupHeadings = () => (
  <>
    {COLUMNS.map((column) => (
      <th scope="col">{HEADINGS[column]}</th>
    ))}
  </>
);

const Scrolling = ({ label, children }: { label: string; children: ComponentChildren }) => (
  <ScrollRegion class="scroll" label={label}>
    {children}
  </ScrollRegion>
);

function TimelinessFigures({ report, code, index }: { report: RegionalReport; code: string; index: number }) {
  const months = report.months ?? [];
  const shares = report.rows.filter((row) => row.principal === code && row.unit === 'percent');
  return (
    <>
      {shares.map((share, s) => {
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
        return (
          <figure class="chart">
            <figcaption>
              <h4>{title}</h4>
            </figcaption>
            <div class="pair">
              <Generated class="svg" markup={svg} />
              <Scrolling label={`${share.label}, tabell`}>
                <table>
                  <caption>{share.label}, per månad (procent)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Månad</th>
                      <GroupHeadings />
                    </tr>
                  </thead>
                  <tbody>
                    {monthRows.map(({ month, row }) => (
                      <tr>
                        <th scope="row">{monthName(month)}</th>
                        {COLUMNS.map((column) => (
                          <Td cell={row?.values[column] ?? null} unit="percent" />
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scrolling>
            </div>
          </figure>
        );
      })}
    </>
  );
}

function PeriodTables({ report, code }: { report: RegionalReport; code: string }) {
  const indicators = [...new Set(INDICATORS.map((indicator) => indicator.indicator))];
  return (
    <>
      {indicators.map((indicator) => {
        const rows = report.rows.filter((row) => row.principal === code && row.indicator === indicator);
        const name = indicatorName(indicator);
        return (
          <Scrolling label={`${name}, tabell`}>
            <table>
              <caption>{name}</caption>
              <thead>
                <tr>
                  <th scope="col">{HEADINGS.category}</th>
                  <th scope="col">{HEADINGS.unit}</th>
                  <GroupHeadings />
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <th scope="row">{categoryName(row.indicator, row.category)}</th>
                    <td>{UNITS[row.unit]}</td>
                    {COLUMNS.map((column) => (
                      <Td cell={row.values[column]} unit={row.unit} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </Scrolling>
        );
      })}
    </>
  );
}

/** The page, in Swedish. */
export function toHtml(report: RegionalReport): string {
  const { period } = report;
  const codes = [...new Set(report.rows.map((row) => row.principal))];
  const title = `SIP, regional uppföljning: ${PERIOD_TYPES[period.type]} ${period.from} – ${period.to}`;
  const page = renderPage(
    <html lang="sv">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <InlineStyle css={REPORT_STYLE} />
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          <p>
            Antal planer per huvudman och målgrupp (ålder den dag behovet uppmärksammades), andelar i procent
            och mediantider i dagar. En händelse räknas i den period den registrerades. Diagrammen visar varje
            månads andelar som månadens egen rapport visar dem; tabellen intill varje diagram har samma
            siffror.
          </p>
          <dl>
            <dt>&lt;5</dt>
            <dd>ett antal från 1 till 4 (dolt)</dd>
            <dt>..</dt>
            <dd>dolt så att inget litet antal kan räknas fram; visas inte i diagrammen</dd>
            <dt>–</dt>
            <dd>inget att mäta (inga fall)</dd>
          </dl>
          {report.unregisteredPrincipals > 0 && (
            <p>
              {report.unregisteredPrincipals} huvudman/huvudmän deltog men finns inte i rapportregistret och
              är inte med.
            </p>
          )}
          {codes.map((code, index) => {
            const kind = report.rows.find((row) => row.principal === code)?.principalKind ?? 'municipality';
            return (
              <section aria-labelledby={`h-${index}`}>
                <h2 id={`h-${index}`}>{principalTitle(code, kind)}</h2>
                <h3>Tidsgränser månad för månad</h3>
                <TimelinessFigures report={report} code={code} index={index} />
                <h3>Hela perioden</h3>
                <PeriodTables report={report} code={code} />
              </section>
            );
          })}
        </main>
      </body>
    </html>,
  );
  return `${page}\n`;
}
