/**
 * The regional report as rows: for each principal, every indicator by target group, with disclosure
 * control applied. Pure: the same tally, period and register always give the same rows.
 */
import { TARGET_GROUPS, type TargetGroup } from './events.ts';
import { type CountFamily, INDICATORS, type Measure } from './indicators.ts';
import type { Period } from './period.ts';
import { kindOfCode, type PrincipalKind, type PrincipalRegister } from './principals.ts';
import { type CellStatus, suppress, withTotals } from './suppression.ts';
import { type PrincipalTally, type Tally, zeroCounts } from './tally.ts';

/** A published value: a number, `<5` (a count of 1–4), `..` (hidden), or `null` (nothing to measure). */
export type Cell = number | '<5' | '..' | null;
export const COLUMNS = [...TARGET_GROUPS, 'total'] as const;
export type Column = (typeof COLUMNS)[number];

export interface ReportRow {
  /** The principal's regionkod or kommunkod. */
  principal: string;
  principalKind: PrincipalKind;
  indicator: string;
  category: string;
  unit: 'count' | 'percent' | 'days';
  values: Record<Column, Cell>;
  /** What the row counts, in Swedish. */
  label: string;
}

export interface RegionalReport {
  period: Period;
  rows: ReportRow[];
  /** Principals with events in the period that the register does not name: left out, so that it can be completed. */
  unregisteredPrincipals: number;
  /**
   * Month by month, the timeliness shares (the rows in percent) exactly as each month's own report shows
   * them: for the charts of the HTML page. Only when asked for.
   */
  months?: MonthlyShares[];
}

export interface MonthlyShares {
  /** `YYYY-MM`. */
  month: string;
  rows: ReportRow[];
}

/** The rows the timeliness charts show: the shares within the limits. */
export const isTimeliness = (row: ReportRow) => row.unit === 'percent';

const EMPTY: PrincipalTally = {
  counts: new Map(),
  days: new Map(),
  stock: Object.fromEntries(
    TARGET_GROUPS.map((g) => [g, { active: 0, lapsedConsent: 0, overdueFollowUp: 0 }]),
  ) as PrincipalTally['stock'],
};

/**
 * The report of a period. `codes` are the principals to report (by code, in order); every one gets its rows,
 * with zeros where nothing happened.
 */
export function buildReport(
  period: Period,
  tally: Tally,
  register: PrincipalRegister,
  codes: string[],
): RegionalReport {
  const rows = codes.flatMap((code) => {
    const id = register.principalOf(code);
    return principalRows(code, (id && tally.get(id)) || EMPTY);
  });
  const unregistered = [...tally.keys()].filter((id) => register.codeOf(id) === undefined).length;
  return { period, rows, unregisteredPrincipals: unregistered };
}

interface Published {
  values: number[];
  status: CellStatus[];
}

function principalRows(code: string, tally: PrincipalTally): ReportRow[] {
  const rows: ReportRow[] = [];
  // The published count rows, for the measures that depend on them: `<indicator>:<category>`.
  const published = new Map<string, Published>();
  const base = { principal: code, principalKind: kindOfCode(code) };
  for (const indicator of INDICATORS) {
    if (indicator.kind === 'counts') {
      for (const row of countRows(indicator, tally)) {
        published.set(`${indicator.indicator}:${row.category}`, row);
        rows.push({
          ...base,
          indicator: indicator.indicator,
          category: row.category,
          unit: 'count',
          values: cellsOf(row.values, (value, i) => {
            const status = row.status[i];
            return status === 'primary' ? '<5' : status === 'shown' ? value : '..';
          }),
          label: row.label,
        });
      }
    } else {
      rows.push({
        ...base,
        ...measureRow(
          indicator,
          tally,
          published.get(`${indicator.base.indicator}:${indicator.base.category}`),
        ),
      });
    }
  }
  return rows;
}

const cellsOf = (values: number[], cell: (value: number, index: number) => Cell): Record<Column, Cell> =>
  Object.fromEntries(COLUMNS.map((column, i) => [column, cell(values[i] ?? 0, i)])) as Record<Column, Cell>;

/** A count table with its totals, suppressed as a whole. */
function countRows(family: CountFamily, tally: PrincipalTally) {
  const interior = family.categories.map((category) => {
    const counts =
      'tally' in family.source
        ? (tally.counts.get(`${family.source.tally}:${category}`) ?? zeroCounts())
        : Object.fromEntries(
            TARGET_GROUPS.map((g) => [g, tally.stock[g][(family.source as { stock: 'active' }).stock]]),
          );
    return TARGET_GROUPS.map((group) => counts[group] ?? 0);
  });
  const table = withTotals(interior);
  const status = suppress(table);
  return table.values.map((values, r) => {
    const category = family.categories[r] ?? 'total';
    const categoryLabel = family.categoryLabels[category];
    return {
      category,
      values,
      status: status[r] as CellStatus[],
      label: categoryLabel ? `${family.label}, ${categoryLabel}` : `${family.label}, totalt`,
    };
  });
}

/**
 * A share or a median, per column. Shown only when the count it is about is shown and not 0, and neither its
 * part within nor its part beyond the limit is a count of 1–4, which the value and the count would
 * otherwise give away; the total's only when every group's is shown.
 */
function measureRow(measure: Measure, tally: PrincipalTally, about: Published | undefined) {
  const within = tally.counts.get(`${measure.tally}:within`) ?? zeroCounts();
  const later = tally.counts.get(`${measure.tally}:later`) ?? zeroCounts();
  const histograms = tally.days.get(measure.tally);
  const values = cellsOf([], (_, i): Cell => {
    const groups: readonly TargetGroup[] =
      i < TARGET_GROUPS.length ? [TARGET_GROUPS[i] as TargetGroup] : TARGET_GROUPS;
    const inTime = groups.reduce((sum, g) => sum + within[g], 0);
    const late = groups.reduce((sum, g) => sum + later[g], 0);
    const n = inTime + late;
    if (n === 0) return null;
    if (about?.status[i] !== 'shown' || about.values[i] !== n) return '..';
    // A median narrows its parts as a share does (five values: the middle one tells 1–2 from 3–4 beyond).
    const small = (count: number) => count >= 1 && count <= 4;
    if (small(inTime) || small(late)) return '..';
    if (measure.kind === 'median') return median(groups.map((g) => histograms?.get(g)));
    return Math.round((inTime * 1000) / n) / 10;
  });
  // The total's share with the shown groups' shares would give away the hidden groups' parts: hide it too.
  const groupHidden = TARGET_GROUPS.some((group) => values[group] === '..');
  if (groupHidden && values.total !== null) values.total = '..';
  return {
    indicator: measure.indicator,
    category: measure.category,
    unit: measure.kind === 'share' ? ('percent' as const) : ('days' as const),
    values,
    label: measure.label,
  };
}

/** The median of the day counts in the histograms (the mean of the two middle values for an even count). */
function median(histograms: (Map<number, number> | undefined)[]): number | null {
  const merged = new Map<number, number>();
  for (const histogram of histograms) {
    for (const [days, count] of histogram ?? []) merged.set(days, (merged.get(days) ?? 0) + count);
  }
  const n = [...merged.values()].reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const sorted = [...merged].sort(([a], [b]) => a - b);
  const nth = (k: number) => {
    let seen = 0;
    for (const [days, count] of sorted) {
      seen += count;
      if (seen > k) return days;
    }
    return sorted.at(-1)?.[0] ?? 0;
  };
  return n % 2 === 1 ? nth((n - 1) / 2) : (nth(n / 2 - 1) + nth(n / 2)) / 2;
}
