/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The formats an analyst opens — the xlsx and the HTML page — over a seeded world in DynamoDB Local: the
 * xlsx read back by another library (ExcelJS) and every cell compared with the world's own account; the
 * page's numbers against the JSON of the same period and of each month; its charts against its tables;
 * and the page checked by axe-core in Debian's Chromium and walked by keyboard.
 */
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../infra/local/dynamodb-local.ts';
import { CHART_GRID, CHART_SIZE } from '../../shared/reporting/charts.ts';
import type { ReportEvent } from '../../shared/reporting/events.ts';
import { renderReport, toJsonDocument } from '../../shared/reporting/formats.ts';
import { monthPeriod, parsePeriod } from '../../shared/reporting/period.ts';
import { principalRegister } from '../../shared/reporting/principals.ts';
import { produceRegionalReport } from '../../shared/reporting/produce.ts';
import { buildReport, isTimeliness, type RegionalReport } from '../../shared/reporting/report.ts';
import { addEvent, type Tally } from '../../shared/reporting/tally.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { SWEDISH_CATEGORIES, SWEDISH_HEADINGS, SWEDISH_INDICATORS } from './csv.ts';
import { type Expected, expectedFigures, GROUPS, trueValue } from './expected.ts';
import { buildWorld, type World } from './world.ts';

const tableName = process.env.TABLE_NAME ?? '';
const client = createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
const reports = createReportStore(client, tableName);
/** The world's principals under Stockholm's codes: every code begins with 0, as Stockholms län's do. */
const STOCKHOLM = { SE2321000131: '01', SE2120001801: '0180', SE2120001802: '0114', SE2120001803: '0115' };
const register = principalRegister(STOCKHOLM);
const ID_OF: Record<string, string> = Object.fromEntries(
  Object.entries(STOCKHOLM).map(([id, code]) => [code, id]),
);
const COLUMNS = [...GROUPS, 'total'] as const;
const QUARTER = ['2026-01-01', '2026-03-31'] as const;
const MONTHS = ['2026-01', '2026-02', '2026-03'];

let world: World;
let quarter: RegionalReport;
let expected: Map<string, Expected>;

beforeAll(async () => {
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? '', tableName);
  world = await buildWorld(client, tableName, 240);
  quarter = await produceRegionalReport(reports, {
    period: parsePeriod(...QUARTER),
    register,
    byMonth: true,
  });
  expected = expectedFigures(world.accounts, ...QUARTER);
}, 600_000);

const UNIT_NAMES: Record<string, string> = { antal: 'count', procent: 'percent', dagar: 'days' };

describe('the xlsx, read back with ExcelJS', () => {
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(((await renderReport(quarter, 'xlsx')) as Uint8Array).slice().buffer);
  });

  it('has a first sheet about the report, then one sheet per table, each with a frozen header and widths', () => {
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Om rapporten',
      ...Object.keys(SWEDISH_INDICATORS),
    ]);
    const about = workbook.getWorksheet('Om rapporten');
    expect(about?.getCell('B3').value).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(about?.getCell('B4').value).toEqual(new Date('2026-03-31T00:00:00Z'));
    expect(about?.getCell('B2').value).toBe('kvartal');
    expect(about?.getCell('B5').value).toBe(1); // the unregistered private provider
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      for (let c = 1; c <= sheet.columnCount; c++)
        expect(sheet.getColumn(c).width, sheet.name).toBeGreaterThan(8);
    }
  });

  it('has every cell of every table as the world’s own account gives it, typed and marked', () => {
    const tally = { shown: 0, small: 0, hidden: 0, shares: 0, medians: 0, empty: 0 };
    for (const sheet of workbook.worksheets.slice(1)) {
      const indicator = SWEDISH_INDICATORS[sheet.name] as string;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header.map((h) => SWEDISH_HEADINGS[h as string])).toEqual([
        'principal',
        'principalKind',
        'category',
        'unit',
        ...COLUMNS,
        'label',
      ]);
      expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
      const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2)).map((row) => ({
        row,
        code: row.getCell(1).value as string,
        category: SWEDISH_CATEGORIES[indicator]?.[row.getCell(3).value as string] as string,
        unit: UNIT_NAMES[row.getCell(4).value as string] as string,
      }));
      // A table is an indicator's count rows for one principal (each end-of-period row a table of its own).
      const tableOf = (r: (typeof rows)[number]) =>
        `${r.code}|${indicator === 'endOfPeriod' ? r.category : ''}`;
      const withheld = new Set(
        rows
          .filter((r) => r.unit === 'count')
          .map(tableOf)
          .filter((t) =>
            rows
              .filter((r) => r.unit === 'count' && tableOf(r) === t)
              .every((r) => COLUMNS.every((_, c) => r.row.getCell(5 + c).value === '..')),
          ),
      );
      for (const { row, code, category, unit } of rows) {
        expect(category, `${sheet.name}: ${row.getCell(3).value}`).toBeDefined();
        // Codes are text: Stockholm's 0180 keeps its 0.
        expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
        expect(row.getCell(1).numFmt).toBe('@');
        expect(Object.values(STOCKHOLM)).toContain(code);
        const categories =
          category === 'total'
            ? rows.filter((r) => r.code === code && r.category !== 'total').map((r) => r.category)
            : [category];
        for (const [c, column] of COLUMNS.entries()) {
          const cell = row.getCell(5 + c);
          const truth = trueValue(expected.get(ID_OF[code] ?? ''), { indicator, categories, unit, column });
          const where = `${sheet.name} ${code} ${category} ${column}`;
          if (typeof cell.value === 'number') {
            if (unit === 'count') {
              expect(cell.value, where).toBe(truth);
              expect(cell.numFmt).toBe('#,##0');
              if ((truth ?? 0) > 0) tally.shown++;
            } else if (unit === 'percent') {
              expect(cell.value, where).toBeCloseTo((truth ?? Number.NaN) / 100, 12);
              expect(cell.numFmt).toBe('0.0%');
              tally.shares++;
            } else {
              expect(cell.value, where).toBe(truth);
              expect(cell.numFmt).toBe('0.0');
              tally.medians++;
            }
          } else if (cell.value === '<5' || cell.value === '..') {
            expect(cell.type).toBe(ExcelJS.ValueType.String);
            expect(cell.alignment?.horizontal, where).toBe('right');
            expect(cell.font?.italic, where).toBe(true);
            expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
            if (cell.value === '<5') {
              tally.small++;
              expect(unit).toBe('count');
              expect(truth, where).toBeGreaterThanOrEqual(1);
              expect(truth, where).toBeLessThanOrEqual(4);
            } else {
              tally.hidden++;
              if (unit === 'count') {
                const t = truth ?? 0;
                expect(t === 0 || t >= 5 || withheld.has(tableOf({ row, code, category, unit })), where).toBe(
                  true,
                );
              } else expect(truth, where).not.toBeNull();
            }
          } else {
            tally.empty++;
            expect(cell.value ?? null, where).toBeNull();
            expect(unit, where).not.toBe('count');
            expect(truth, where).toBeNull();
          }
        }
      }
    }
    // The comparison means something only if the file shows figures of every kind, and suppresses some.
    expect(tally.shown).toBeGreaterThan(80);
    expect(tally.small).toBeGreaterThan(20);
    expect(tally.hidden).toBeGreaterThan(5);
    expect(tally.shares).toBeGreaterThan(5);
    expect(tally.medians).toBeGreaterThan(5);
    expect(tally.empty).toBeGreaterThan(0);
  });
});

/** A cell of the page as the JSON has it: a number, `<5`, `..`, or null (`–`). */
const parseCell = (text: string): number | string | null => {
  const t = text.trim();
  if (t === '–') return null;
  if (t === '<5' || t === '..') return t;
  return Number(
    t
      .replace(/[\s\u00a0]/g, '')
      .replace('%', '')
      .replace(',', '.'),
  );
};

interface PageFacts {
  sections: {
    heading: string;
    charts: {
      title: string;
      label: string;
      table: { month: string; cells: string[] }[];
      points: { series: number; index: number; y: number }[];
    }[];
    tables: { caption: string; rows: { category: string; unit: string; cells: string[] }[] }[];
  }[];
}

async function pageFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => ({
    sections: [...document.querySelectorAll('section')].map((section) => ({
      heading: section.querySelector('h2')?.textContent ?? '',
      charts: [...section.querySelectorAll('figure')].map((figure) => ({
        title: figure.querySelector('h4')?.textContent ?? '',
        label: figure.querySelector('svg')?.getAttribute('aria-label') ?? '',
        table: [...figure.querySelectorAll('tbody tr')].map((tr) => ({
          month: tr.querySelector('th')?.textContent ?? '',
          cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
        })),
        points: [...figure.querySelectorAll('svg [ecmeta_ssr_type="chart"][ecmeta_data_index]')].map((p) => ({
          series: Number(p.getAttribute('ecmeta_series_index')),
          index: Number(p.getAttribute('ecmeta_data_index')),
          y: Number(/matrix\(([^)]*)\)/.exec(p.getAttribute('transform') ?? '')?.[1]?.split(',')[5]),
        })),
      })),
      tables: [...section.querySelectorAll(':scope > .scroll table')].map((table) => ({
        caption: table.querySelector('caption')?.textContent ?? '',
        rows: [...table.querySelectorAll('tbody tr')].map((tr) => {
          const [unit, ...cells] = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
          return { category: tr.querySelector('th')?.textContent ?? '', unit: unit ?? '', cells };
        }),
      })),
    })),
  }));
}

const MONTH_NAMES: Record<string, string> = {
  'januari 2026': '2026-01',
  'februari 2026': '2026-02',
  'mars 2026': '2026-03',
};

describe('the HTML page', () => {
  let browser: Browser;
  let page: Page;
  let facts: PageFacts;
  let html: string;
  beforeAll(async () => {
    html = (await renderReport(quarter, 'html')) as string;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent(html);
    facts = await pageFacts(page);
  }, 60_000);
  afterAll(() => browser?.close());

  const json = () => toJsonDocument(quarter).rows as unknown as Record<string, unknown>[];

  it('shows the period’s tables with the JSON’s numbers, for every principal', () => {
    expect(facts.sections.map((s) => s.heading)).toEqual([
      'Region 01',
      'Kommun 0114',
      'Kommun 0115',
      'Kommun 0180',
    ]);
    let compared = 0;
    for (const section of facts.sections) {
      const code = section.heading.split(' ')[1];
      const rows = section.tables.flatMap((table) =>
        table.rows.map((row) => {
          const indicator = SWEDISH_INDICATORS[table.caption] as string;
          return { indicator, category: SWEDISH_CATEGORIES[indicator]?.[row.category], cells: row.cells };
        }),
      );
      const theirs = json().filter((r) => r.principal === code);
      expect(rows.map((r) => `${r.indicator}:${r.category}`)).toEqual(
        theirs.map((r) => `${r.indicator}:${r.category}`),
      );
      for (const [i, row] of rows.entries()) {
        expect(row.cells.map(parseCell), `${code} ${row.indicator}:${row.category}`).toEqual(
          COLUMNS.map((column) => theirs[i]?.[column]),
        );
        compared++;
      }
    }
    expect(compared).toBe(4 * 28);
  });

  it('charts each timeliness share month by month, with the numbers of each month’s own JSON beside it', async () => {
    const monthly = new Map<string, Record<string, unknown>[]>();
    for (const month of MONTHS) {
      const report = await produceRegionalReport(reports, { period: monthPeriod(month), register });
      monthly.set(month, toJsonDocument(report).rows as unknown as Record<string, unknown>[]);
    }
    let numbers = 0;
    for (const section of facts.sections) {
      const code = section.heading.split(' ')[1];
      expect(section.charts.map((c) => c.title)).toEqual([
        'Möte efter behov: andel inom 21 dagar',
        'Kallelse efter utskrivningsklar: andel inom 3 dagar',
        'Uppföljningar: andel senast planerat datum',
      ]);
      for (const chart of section.charts) {
        const [indicatorName, categoryName] = chart.title.split(': ') as [string, string];
        const indicator = SWEDISH_INDICATORS[indicatorName] as string;
        const category = SWEDISH_CATEGORIES[indicator]?.[categoryName];
        expect(chart.table.map((r) => MONTH_NAMES[r.month])).toEqual(MONTHS);
        for (const [m, row] of chart.table.entries()) {
          const theirs = monthly
            .get(MONTHS[m] as string)
            ?.find((r) => r.principal === code && r.indicator === indicator && r.category === category);
          expect(row.cells.map(parseCell), `${code} ${chart.title} ${row.month}`).toEqual(
            COLUMNS.map((column) => theirs?.[column]),
          );
          numbers += row.cells.map(parseCell).filter((v) => typeof v === 'number').length;
        }
      }
    }
    // The world's months are small: most monthly shares are hidden, some shown.
    expect(numbers).toBeGreaterThan(0);
  });

  it('hides from the charts and their tables every monthly share the month’s report hides', () => {
    // The world's own account of each month: a hidden cell hides a share that exists.
    let hidden = 0;
    for (const section of facts.sections) {
      const code = section.heading.split(' ')[1] as string;
      for (const chart of section.charts) {
        const indicator = SWEDISH_INDICATORS[chart.title.split(': ')[0] as string] as string;
        for (const [m, row] of chart.table.entries()) {
          const month = MONTHS[m] as string;
          const truth = expectedFigures(world.accounts, `${month}-01`, monthPeriod(month).to).get(
            ID_OF[code] ?? '',
          );
          for (const [c, column] of COLUMNS.entries()) {
            const value = trueValue(truth, { indicator, categories: [], unit: 'percent', column });
            const cell = parseCell(row.cells[c] ?? '');
            if (cell === '..') {
              hidden++;
              expect(value).not.toBeNull();
              expect(chart.points.some((p) => p.index === m && p.series === c)).toBe(false);
            } else if (cell === null) expect(value).toBeNull();
            else expect(cell).toBe(value);
          }
        }
      }
    }
    expect(hidden).toBeGreaterThan(10);
  });

  it('has no script, and no accessibility violation that axe-core finds (WCAG 2.1 A and AA)', async () => {
    expect(html).not.toMatch(/<script/i);
    const violations = await axeViolations(page);
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });

  it('can be read by keyboard: Tab reaches every table that may need scrolling, in order', async () => {
    await page.setContent(html);
    const regions = await page.locator('.scroll').count();
    expect(regions).toBe(4 * (3 + 7));
    const reached: string[] = [];
    for (let i = 0; i < regions; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''));
    }
    const labels = await page
      .locator('.scroll')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(reached).toEqual(labels);
  });
});

/**
 * A quarter with months large enough for the charts to show many points and hide some, made from events
 * through the same tally and report code an export uses (no store: the charts are what is tested here).
 * Per month and group: how many measured cases fall within each limit and beyond it.
 */
const CASES: Record<string, Record<string, [number, number]>> = {
  '2026-01': { older: [20, 6], adults: [8, 5], children: [3, 0], unknownAge: [0, 0] },
  '2026-02': { older: [23, 7], adults: [8, 2], children: [0, 0], unknownAge: [0, 0] },
  '2026-03': { older: [26, 8], adults: [8, 5], children: [0, 0], unknownAge: [6, 6] },
};

function syntheticQuarter(): RegionalReport {
  const total: Tally = new Map();
  const months = Object.entries(CASES).map(([month, groups]) => {
    const tally: Tally = new Map();
    for (const [group, [within, late]] of Object.entries(groups)) {
      for (let i = 0; i < within + late; i++) {
        const inTime = i < within;
        const event: ReportEvent = {
          at: `${month}-10T09:00:00Z`,
          principal: 'SE2120001801',
          group: group as ReportEvent['group'],
          established: 'AU125',
          firstMeetingDays: inTime ? 14 : 30,
          kallelseAfterDischargeDays: inTime ? 2 : 6,
          ...(inTime ? { followUpsByPlannedDate: 1 } : { followUpsAfterPlannedDate: 1 }),
        };
        addEvent(tally, event);
        addEvent(total, event);
      }
    }
    return {
      month,
      rows: buildReport(monthPeriod(month), tally, register, ['0180']).rows.filter(isTimeliness),
    };
  });
  return { ...buildReport(parsePeriod(...QUARTER), total, register, ['0180']), months };
}

/** The true share of a month and column of the synthetic quarter, worked out from CASES alone. */
function syntheticShare(month: string, column: string): number | null {
  const groups = Object.entries(CASES[month] ?? {}).filter(
    ([group]) => column === 'total' || group === column,
  );
  const within = groups.reduce((sum, [, [w]]) => sum + w, 0);
  const n = groups.reduce((sum, [, [w, l]]) => sum + w + l, 0);
  return n === 0 ? null : Math.round((within * 1000) / n) / 10;
}

describe('the charts of a quarter with larger months', () => {
  let browser: Browser;
  let facts: PageFacts;
  beforeAll(async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.setContent((await renderReport(syntheticQuarter(), 'html')) as string);
    facts = await pageFacts(page);
  }, 60_000);
  afterAll(() => browser?.close());

  it('plot exactly the numbers their tables show: no hidden month is a point, and every point is its number', () => {
    const { height } = CHART_SIZE;
    const bottom = height - CHART_GRID.bottom;
    const plotHeight = bottom - CHART_GRID.top;
    let points = 0;
    let gaps = 0;
    for (const section of facts.sections) {
      for (const chart of section.charts) {
        const shown = chart.table
          .flatMap((row, index) =>
            row.cells
              .map(parseCell)
              .flatMap((value, series) => (typeof value === 'number' ? [{ series, index, value }] : [])),
          )
          .sort((a, b) => a.series - b.series || a.index - b.index);
        gaps += chart.table.length * COLUMNS.length - shown.length;
        const plotted = [...chart.points].sort((a, b) => a.series - b.series || a.index - b.index);
        expect(plotted.map(({ series, index }) => ({ series, index }))).toEqual(
          shown.map(({ series, index }) => ({ series, index })),
        );
        for (const [i, point] of plotted.entries()) {
          expect(((bottom - point.y) / plotHeight) * 100).toBeCloseTo(shown[i]?.value ?? Number.NaN, 1);
          points++;
        }
        // The text alternative names only what the table shows.
        for (const number of chart.label.match(/\d+,\d/g) ?? []) {
          expect(shown.map((s) => String(s.value).replace('.', ','))).toContain(number);
        }
      }
    }
    expect(points).toBeGreaterThan(10);
    expect(gaps).toBeGreaterThan(10);
  });

  it('show every share that is shown as it truly is, and hide the rest from the chart and the table alike', () => {
    let hidden = 0;
    for (const chart of facts.sections[0]?.charts ?? []) {
      for (const [m, row] of chart.table.entries()) {
        const month = Object.keys(CASES)[m] as string;
        for (const [c, column] of COLUMNS.entries()) {
          const cell = parseCell(row.cells[c] ?? '');
          const truth = syntheticShare(month, column);
          if (cell === '..') {
            hidden++;
            expect(truth).not.toBeNull();
            expect(chart.points.some((p) => p.index === m && p.series === c)).toBe(false);
          } else expect(cell, `${chart.title} ${month} ${column}`).toBe(truth);
        }
      }
    }
    expect(hidden).toBeGreaterThan(5);
  });
});
