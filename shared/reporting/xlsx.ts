/**
 * The report as a spreadsheet (xlsx) an analyst opens with Swedish settings: typed cells — counts as
 * numbers, shares as percentages, medians as numbers of days, codes as text so that `0180` keeps its 0,
 * dates as dates — and the suppressed cells as text, marked (italic on grey) and right-aligned so that a
 * `<5` lines up with the numbers beside it and is never read as part of one. One sheet per table, after
 * a first sheet that says what the report is and what the marks mean; each with column widths and a
 * frozen header row.
 */
import writeXlsxFile, { type Sheet, type Cell as SheetCell } from 'write-excel-file/node';
import { INDICATORS } from './indicators.ts';
import { type Cell, COLUMNS, type RegionalReport, type ReportRow } from './report.ts';
import {
  categoryName,
  HEADINGS,
  INDICATOR_NAMES,
  indicatorName,
  PERIOD_TYPES,
  PRINCIPAL_KINDS,
  UNITS,
} from './vocabulary.ts';

/** How each unit is shown: counts whole (with the locale's thousands separator), shares in percent. */
const NUMBER_FORMATS: Record<ReportRow['unit'], string> = { count: '#,##0', percent: '0.0%', days: '0.0' };
/** The mark of a suppressed cell: distinct without colour alone (italic), about 9:1 contrast on its fill. */
export const SUPPRESSED_STYLE = {
  align: 'right',
  fontStyle: 'italic',
  textColor: '#404040',
  backgroundColor: '#EDEDED',
} as const;
const HEADER_STYLE = {
  fontWeight: 'bold',
  wrap: true,
  alignVertical: 'top',
  bottomBorderStyle: 'thin',
} as const;

const valueCell = (cell: Cell, unit: ReportRow['unit']): SheetCell => {
  if (cell === null) return null;
  if (typeof cell === 'string') return { value: cell, type: String, ...SUPPRESSED_STYLE };
  // A share is stored as the fraction it is (83.3 % is 0.833), so that Excel computes with it as a percentage.
  const value = unit === 'percent' ? Math.round(cell * 10) / 1000 : cell;
  return { value, type: Number, format: NUMBER_FORMATS[unit] };
};

const text = (value: string, style: object = {}): SheetCell => ({
  value,
  type: String,
  format: '@',
  ...style,
});

/** The sheets of the tables: one per indicator, every principal's rows under one header. */
function tableSheets(report: RegionalReport): Sheet<never>[] {
  const indicators = [...new Set(INDICATORS.map((indicator) => indicator.indicator))];
  const header = (['principal', 'principalKind', 'category', 'unit', ...COLUMNS, 'label'] as const).map(
    (column) => text(HEADINGS[column], HEADER_STYLE),
  );
  return indicators.map((indicator) => ({
    sheet: INDICATOR_NAMES[indicator] ?? indicator,
    data: [
      header,
      ...report.rows
        .filter((row) => row.indicator === indicator)
        .map((row) => [
          text(row.principal),
          text(PRINCIPAL_KINDS[row.principalKind]),
          text(categoryName(row.indicator, row.category)),
          text(UNITS[row.unit]),
          ...COLUMNS.map((column) => valueCell(row.values[column], row.unit)),
          text(row.label),
        ]),
    ],
    columns: [
      { width: 15 },
      { width: 16 },
      { width: 28 },
      { width: 9 },
      ...COLUMNS.map(() => ({ width: 13 })),
      { width: 70 },
    ],
    stickyRowsCount: 1,
  }));
}

const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);

/** The first sheet: which report this is, and how to read its marks. */
function aboutSheet(report: RegionalReport): Sheet<never> {
  const { period } = report;
  const date = (day: string): SheetCell => ({ value: dateOf(day), type: Date, format: 'yyyy-mm-dd' });
  const row = (label: string, value: SheetCell): SheetCell[] => [text(label, { fontWeight: 'bold' }), value];
  return {
    sheet: 'Om rapporten',
    data: [
      [text('SIP, regional uppföljning', HEADER_STYLE), text('', HEADER_STYLE)],
      row('Period', text(PERIOD_TYPES[period.type])),
      row('Från', date(period.from)),
      row('Till', date(period.to)),
      row('Huvudmän utanför registret', { value: report.unregisteredPrincipals, type: Number, format: '0' }),
      [],
      row('Tecken', text('Betydelse', { fontWeight: 'bold' })),
      row('<5', text('ett antal från 1 till 4 (dolt)')),
      row(
        '..',
        text(
          'dolt så att inget litet antal kan räknas fram; i en tabell där allt är dolt kan det vara vilket antal som helst',
        ),
      ),
      row('(tom)', text('inget att mäta: en andel eller mediantid utan fall')),
      [],
      row(
        'Flikar',
        text(
          `En flik per indikator: ${[...new Set(INDICATORS.map((i) => indicatorName(i.indicator)))].join(', ')}.`,
        ),
      ),
    ],
    columns: [{ width: 28 }, { width: 90 }],
    stickyRowsCount: 1,
  };
}

/** The xlsx file's bytes. */
export async function toXlsx(report: RegionalReport): Promise<Uint8Array> {
  const buffer = await writeXlsxFile([aboutSheet(report), ...tableSheets(report)], {
    fontFamily: 'Calibri',
    fontSize: 11,
  }).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
