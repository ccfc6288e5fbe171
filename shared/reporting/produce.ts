/**
 * Producing a regional report: the opening states, then the period's events a page at a time into a
 * running tally (memory follows the number of principals, not of events), then the rows. The same code
 * serves the HTTP route, the monthly export to S3 and `npm run report`.
 */
import { ValidationError } from '../domain/errors.ts';
import type { ReportStore } from '../store/report-events.ts';
import { openingBalance } from './balance.ts';
import { monthPeriod, type Period } from './period.ts';
import type { PrincipalRegister } from './principals.ts';
import { buildReport, isTimeliness, type MonthlyShares, type RegionalReport } from './report.ts';
import { addEvent, type Tally, tallyFrom } from './tally.ts';

export interface ReportProgress {
  month: string;
  monthsDone: number;
  months: number;
  events: number;
}

export async function produceRegionalReport(
  reports: ReportStore,
  request: {
    period: Period;
    register: PrincipalRegister;
    /** One principal's code; every registered principal's rows without it. */
    principal?: string | undefined;
    onProgress?: (progress: ReportProgress) => void;
    /** Also each month's timeliness shares, as that month's own report has them (for the charts). */
    byMonth?: boolean;
  },
): Promise<RegionalReport> {
  const { period, register, principal, onProgress, byMonth = false } = request;
  const principalId = principal === undefined ? undefined : register.principalOf(principal);
  if (principal !== undefined && !principalId) {
    throw new ValidationError([
      { parameter: 'principal', detail: 'no principal with this code in the report register' },
    ]);
  }
  const tally = tallyFrom(await openingBalance(reports, period.months[0] as string), principalId);
  const codes = principal === undefined ? register.codes() : [principal];
  const months: MonthlyShares[] = [];
  let events = 0;
  for (const [index, month] of period.months.entries()) {
    // A month's own tally, from the same reads: its flows are all a share needs (no opening states).
    const monthTally: Tally | undefined = byMonth ? new Map() : undefined;
    for await (const page of reports.events(month, principalId)) {
      for (const event of page) {
        addEvent(tally, event);
        if (monthTally) addEvent(monthTally, event);
      }
      events += page.length;
      onProgress?.({ month, monthsDone: index, months: period.months.length, events });
    }
    if (monthTally) {
      const rows = buildReport(monthPeriod(month), monthTally, register, codes).rows.filter(isTimeliness);
      months.push({ month, rows });
    }
    onProgress?.({ month, monthsDone: index + 1, months: period.months.length, events });
  }
  const report = buildReport(period, tally, register, codes);
  return byMonth ? { ...report, months } : report;
}
