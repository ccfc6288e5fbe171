/**
 * Report periods: whole Stockholm calendar months, from one to twelve, named by what they are (a month, a
 * quarter, a year). Events are partitioned by month, so a period of whole months is read by whole
 * partitions; twelve months bound what one request may read.
 */
import { ValidationError } from '../domain/errors.ts';
import { addCalendarDays, daysInMonth, startOfStockholmDay, toStockholmDate } from '../domain/time.ts';

export const MAX_PERIOD_MONTHS = 12;

export interface Period {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD`. */
  to: string;
  type: 'month' | 'quarter' | 'year' | 'months';
  /** `YYYY-MM`, in order. */
  months: string[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM` of the month before. */
export function previousMonth(month: string): string {
  const [year = 0, m = 1] = month.split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

export function nextMonth(month: string): string {
  const [year = 0, m = 1] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** The Stockholm month (`YYYY-MM`) of an instant. */
export const monthOf = (instant: Date) => toStockholmDate(instant).slice(0, 7);

/** When a Stockholm month begins. */
export const startOfMonth = (month: string) => startOfStockholmDay(`${month}-01`);

/** The last day of a month, `YYYY-MM-DD`. */
const lastDayOf = (month: string) => {
  const [year = 0, m = 1] = month.split('-').map(Number);
  return `${month}-${String(daysInMonth(year, m)).padStart(2, '0')}`;
};

/** The period of one month. */
export function monthPeriod(month: string): Period {
  return { from: `${month}-01`, to: lastDayOf(month), type: 'month', months: [month] };
}

/**
 * A period from query or command-line values. Each problem names its parameter: `from` must be the first
 * day of a month, `to` the last day of one, not before `from`, at most twelve months later.
 */
export function parsePeriod(from: string, to: string): Period {
  const issues: { parameter: string; detail: string }[] = [];
  const valid = (value: string) => {
    const match = DATE.exec(value);
    return match !== null && addCalendarDays(value, 0) === value;
  };
  if (!valid(from)) issues.push({ parameter: 'from', detail: 'expected a date, YYYY-MM-DD' });
  else if (!from.endsWith('-01'))
    issues.push({ parameter: 'from', detail: 'a period starts on the first day of a month' });
  if (!valid(to)) issues.push({ parameter: 'to', detail: 'expected a date, YYYY-MM-DD' });
  else if (lastDayOf(to.slice(0, 7)) !== to) {
    issues.push({ parameter: 'to', detail: 'a period ends on the last day of a month' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  if (to < from) throw new ValidationError([{ parameter: 'to', detail: 'the period ends before it starts' }]);
  const months = [from.slice(0, 7)];
  while ((months.at(-1) as string) < to.slice(0, 7)) months.push(nextMonth(months.at(-1) as string));
  if (months.length > MAX_PERIOD_MONTHS) {
    throw new ValidationError([
      {
        parameter: 'to',
        detail: `a period is at most ${MAX_PERIOD_MONTHS} months; ask for one year at a time`,
      },
    ]);
  }
  return { from, to, type: typeOf(months), months };
}

function typeOf(months: string[]): Period['type'] {
  const first = Number(months[0]?.slice(5, 7));
  if (months.length === 1) return 'month';
  if (months.length === 3 && first % 3 === 1) return 'quarter';
  if (months.length === 12 && first === 1) return 'year';
  return 'months';
}
