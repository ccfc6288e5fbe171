/**
 * Regional exports over a seeded world of several hundred plans in DynamoDB Local: the figures match what
 * the world itself knows it did, a closed month's export never changes, and nothing personal gets out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../infra/local/dynamodb-local.ts';
import { closeReportingMonths } from '../../shared/reporting/balance.ts';
import { toCsv, toJson } from '../../shared/reporting/formats.ts';
import { parsePeriod } from '../../shared/reporting/period.ts';
import { principalRegister } from '../../shared/reporting/principals.ts';
import { produceRegionalReport } from '../../shared/reporting/produce.ts';
import { type CellStatus, withTotals } from '../../shared/reporting/suppression.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { countReads } from '../bench/deadline-reads.ts';
import { canDiffer } from './attacker.ts';
import { readCsv } from './csv.ts';
import { expectedFigures, GROUPS, medianOf } from './expected.ts';
import { buildWorld, REGISTER, type World } from './world.ts';

const tableName = process.env.TABLE_NAME ?? '';
const client = createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
const reports = createReportStore(client, tableName);
const register = principalRegister(REGISTER);
const CODES = Object.fromEntries(Object.entries(REGISTER).map(([root, code]) => [code, root]));

let world: World;
const exported: string[] = [];

beforeAll(async () => {
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? '', tableName);
  world = await buildWorld(client, tableName, 320);
}, 600_000);

async function exportOf(from: string, to: string, principal?: string) {
  const report = await produceRegionalReport(reports, { period: parsePeriod(from, to), register, principal });
  const csv = toCsv(report);
  const json = toJson(report);
  exported.push(csv, json);
  return { report, csv, json };
}

const asNumber = (cell: string) => Number(cell.replace(',', '.'));

describe('a quarter’s export over several hundred plans', () => {
  it('shows, for every principal, indicator and target group, the counts the world knows it made', async () => {
    const { csv } = await exportOf('2026-01-01', '2026-03-31');
    const { rows } = readCsv(csv);
    const expected = expectedFigures(world.accounts, '2026-01-01', '2026-03-31');
    let shown = 0;
    let small = 0;
    let hidden = 0;
    // A table withheld whole (every cell `..`) may hide any count, a small one too.
    const familyOf = (row: Record<string, string>) =>
      `${row.principal}|${row.indicator}${row.indicator === 'endOfPeriod' ? `|${row.category}` : ''}`;
    const withheld = new Set(
      [...rows.values()]
        .filter((row) => row.unit === 'count')
        .map(familyOf)
        .filter((family) =>
          [...rows.values()]
            .filter((row) => familyOf(row) === family)
            .every((row) => [...GROUPS, 'total'].every((column) => row[column] === '..')),
        ),
    );
    for (const row of rows.values()) {
      if (row.unit !== 'count') continue;
      const figures = expected.get(CODES[row.principal as string] ?? '');
      const interior = (category: string) =>
        figures?.counts.get(`${row.indicator}:${category}`) ?? {
          children: 0,
          adults: 0,
          older: 0,
          unknownAge: 0,
        };
      // A total row adds up its family's categories; any other row is its own category.
      const categories =
        row.category === 'total'
          ? [...rows.values()]
              .filter(
                (r) =>
                  r.principal === row.principal && r.indicator === row.indicator && r.category !== 'total',
              )
              .map((r) => r.category as string)
          : [row.category as string];
      for (const column of [...GROUPS, 'total'] as const) {
        const groups = column === 'total' ? GROUPS : [column];
        const want = categories.reduce(
          (sum, category) => sum + groups.reduce((s, g) => s + interior(category)[g], 0),
          0,
        );
        const cell = row[column] as string;
        const where = `${row.principal} ${row.indicator}/${row.category} ${column}`;
        if (cell === '<5') {
          small++;
          expect(want, where).toBeGreaterThanOrEqual(1);
          expect(want, where).toBeLessThanOrEqual(4);
        } else if (cell === '..') {
          hidden++;
          expect(want === 0 || want >= 5 || withheld.has(familyOf(row)), where).toBe(true);
        } else {
          if (want > 0) shown++;
          expect(asNumber(cell), where).toBe(want);
        }
      }
    }
    // The comparison means something only if the export shows figures, and suppresses some.
    expect(shown).toBeGreaterThan(150);
    expect(rows.size).toBe(4 * 28);
    expect(small).toBeGreaterThan(50);
    expect(hidden).toBeGreaterThan(5);
  });

  it('shows each share and median as the world’s own day counts give it, wherever it shows one', async () => {
    const { csv } = await exportOf('2026-01-01', '2026-03-31');
    const { rows } = readCsv(csv);
    const expected = expectedFigures(world.accounts, '2026-01-01', '2026-03-31');
    const limits: Record<string, number> = { meetingAfterNeed: 21, kallelseAfterDischarge: 3, followUps: 0 };
    let checked = 0;
    for (const row of rows.values()) {
      if (row.unit === 'count') continue;
      const days = expected.get(CODES[row.principal as string] ?? '')?.days.get(row.indicator as string);
      for (const column of [...GROUPS, 'total'] as const) {
        const values = (column === 'total' ? GROUPS : [column]).flatMap((g) => days?.[g] ?? []);
        const cell = row[column] as string;
        if (cell === '' || cell === '..') {
          expect(cell === '' ? values.length === 0 : values.length > 0).toBe(true);
          continue;
        }
        checked++;
        if (row.unit === 'days') expect(asNumber(cell)).toBe(medianOf(values));
        else {
          const within = values.filter((v) => v <= (limits[row.indicator as string] ?? 0)).length;
          expect(asNumber(cell)).toBe(Math.round((within * 1000) / values.length) / 10);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('gives one principal the same rows as the whole region’s export does, reading only its own events', async () => {
    const all = readCsv((await exportOf('2026-01-01', '2026-03-31')).csv).rows;
    const one = readCsv((await exportOf('2026-01-01', '2026-03-31', '1481')).csv).rows;
    expect(one.size).toBe(28);
    for (const [key, row] of one) expect(row).toEqual(all.get(key));
  });

  it('leaves out a principal the register does not name, and says so', async () => {
    const { json } = await exportOf('2026-01-01', '2026-03-31');
    expect(JSON.parse(json).unregisteredPrincipals).toBe(1);
    expect(json).not.toContain('SE5560000001');
  });

  it('counts each month and the quarter alike: the months’ flows add up to the quarter’s', async () => {
    const quarter = await exportOf('2026-01-01', '2026-03-31');
    const months = await Promise.all(
      [
        ['2026-01-01', '2026-01-31'],
        ['2026-02-01', '2026-02-28'],
        ['2026-03-01', '2026-03-31'],
      ].map(([from, to]) => exportOf(from as string, to as string)),
    );
    const expected = expectedFigures(world.accounts, '2026-01-01', '2026-03-31');
    const perMonth = months.map((_, i) =>
      expectedFigures(
        world.accounts,
        ['2026-01-01', '2026-02-01', '2026-03-01'][i] as string,
        ['2026-01-31', '2026-02-28', '2026-03-31'][i] as string,
      ),
    );
    // The world's account agrees with itself; the exports of each month were checked against it above.
    const region = (figures: typeof expected) =>
      figures.get('SE2321000131')?.counts.get('initiated:discharge')?.adults ?? 0;
    expect(perMonth.reduce((sum, figures) => sum + region(figures), 0)).toBe(region(expected));
    // And the end-of-period states of the quarter are those at the end of March.
    const states = (csv: string) =>
      [...readCsv(csv).rows.values()]
        .filter((r) => r.indicator === 'endOfPeriod')
        .map((r) => JSON.stringify({ ...r, period: '', from: '', to: '' }));
    expect(states(quarter.csv)).toEqual(states((months[2] as { csv: string }).csv));
  });
});

describe('a closed month', () => {
  it('exports byte for byte the same before and after later edits of the same plans', async () => {
    const before = await exportOf('2026-01-01', '2026-01-31');
    const quarterBefore = await exportOf('2026-01-01', '2026-03-31');
    await world.edit(new Date('2026-05-11T10:00:00+02:00'));
    await closeReportingMonths(reports, new Date('2026-06-01T08:00:00+02:00'));
    const after = await exportOf('2026-01-01', '2026-01-31');
    expect(after.csv).toBe(before.csv);
    expect(after.json).toBe(before.json);
    expect((await exportOf('2026-01-01', '2026-03-31')).csv).toBe(quarterBefore.csv);
    // The later edits did count, in their own month.
    const may = readCsv((await exportOf('2026-05-01', '2026-05-31')).csv).rows;
    expect(may.get('14|closed|total')?.total).not.toBe('0');
  });
});

describe('what an export reads', () => {
  it('once the months before are closed: one closing item, and one item per exported event', async () => {
    await closeReportingMonths(reports, new Date('2026-06-01T08:00:00+02:00'));
    const counting = createDocumentClient({ tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
    const counter = countReads(counting);
    let events = 0;
    await produceRegionalReport(createReportStore(counting, tableName), {
      period: parsePeriod('2026-02-01', '2026-03-31'),
      register,
      onProgress: (progress) => {
        events = progress.events;
      },
    });
    expect(events).toBeGreaterThan(300);
    expect(counter.items).toBe(events + 1);
  });
});

describe('what an export may contain', () => {
  it('has nothing that looks like a personal identity number, in any export made here', () => {
    expect(exported.length).toBeGreaterThan(10);
    for (const file of exported) expect(file).not.toMatch(/\d{6,8}[-+]?\d{4}/);
  });

  it('leaves no suppressed cell of the quarter’s export that its row and column totals give away', async () => {
    const { rows } = readCsv((await exportOf('2026-01-01', '2026-03-31')).csv);
    const expected = expectedFigures(world.accounts, '2026-01-01', '2026-03-31');
    const families = new Map<string, Record<string, string>[]>();
    for (const row of rows.values()) {
      if (row.unit !== 'count') continue;
      // The end-of-period rows are three tables of one row each; the others one table per indicator.
      const family = `${row.principal}|${row.indicator}${row.indicator === 'endOfPeriod' ? `|${row.category}` : ''}`;
      families.set(family, [...(families.get(family) ?? []), row]);
    }
    let attacked = 0;
    for (const [family, members] of families) {
      const figures = expected.get(CODES[family.split('|')[0] as string] ?? '');
      const interior = members
        .filter((row) => row.category !== 'total')
        .map((row) => GROUPS.map((g) => figures?.counts.get(`${row.indicator}:${row.category}`)?.[g] ?? 0));
      const table = withTotals(interior);
      const whole = members.every((row) => [...GROUPS, 'total'].every((column) => row[column] === '..'));
      const status = members.map((row) =>
        [...GROUPS, 'total'].map(
          (column): CellStatus =>
            row[column] === '<5'
              ? 'primary'
              : row[column] === '..'
                ? whole
                  ? 'withheld'
                  : 'secondary'
                : 'shown',
        ),
      );
      for (const [r, row] of status.entries()) {
        for (const [c, cell] of row.entries()) {
          if (cell === 'shown') continue;
          attacked++;
          expect(canDiffer(table.values, status, table.hasTotalRow, r, c), `${family} (${r},${c})`).toBe(
            true,
          );
        }
      }
    }
    expect(attacked).toBeGreaterThan(50);
  });

  it('gives away no part of 1–4 through a share or a median, nor a hidden group’s part through the total’s', async () => {
    const { csv } = await exportOf('2026-01-01', '2026-03-31');
    const expected = expectedFigures(world.accounts, '2026-01-01', '2026-03-31');
    const limits: Record<string, number> = { meetingAfterNeed: 21, kallelseAfterDischarge: 3, followUps: 0 };
    let shown = 0;
    for (const row of readCsv(csv).rows.values()) {
      if (row.unit === 'count') continue;
      const days = expected.get(CODES[row.principal as string] ?? '')?.days.get(row.indicator as string);
      if (GROUPS.some((g) => row[g] === '..')) expect(['..', '']).toContain(row.total);
      for (const column of [...GROUPS, 'total'] as const) {
        if (row[column] === '..' || row[column] === '') continue;
        shown++;
        const values = (column === 'total' ? GROUPS : [column]).flatMap((g) => days?.[g] ?? []);
        const within = values.filter((v) => v <= (limits[row.indicator as string] ?? 0)).length;
        for (const part of [within, values.length - within]) expect(part === 0 || part >= 5).toBe(true);
      }
    }
    expect(shown).toBeGreaterThan(10);
  });

  it('shows no count from 1 to 4 in any export made here', () => {
    for (const file of exported.filter((f) => f.startsWith('\uFEFF'))) {
      for (const row of readCsv(file).rows.values()) {
        if (row.unit !== 'count') continue;
        for (const column of [...GROUPS, 'total']) expect(['1', '2', '3', '4']).not.toContain(row[column]);
      }
    }
  });
});
