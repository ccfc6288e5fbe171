/**
 * The scheduled export: the previous month's regional report, for every registered principal, as JSON,
 * CSV, xlsx and an HTML page. A month that is over never changes, so a retried or repeated run writes the
 * same figures again (the CSV and JSON the same bytes).
 */
import type { ReportStore } from '../store/report-events.ts';
import { CONTENT_TYPES, fileNameOf, REPORT_FORMATS, renderReport } from './formats.ts';
import { monthOf, monthPeriod, previousMonth } from './period.ts';
import type { PrincipalRegister } from './principals.ts';
import { produceRegionalReport } from './produce.ts';
import type { ReportSink } from './sinks.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The month a scheduled run exports: the one before the month it was scheduled in (EventBridge Scheduler
 * passes the scheduled time, so a retry hours later, or a redrive days later, exports the same month).
 * `month` names one explicitly, for a re-run by hand.
 */
export function monthToExport(event: { scheduledTime?: string; month?: string }, now: Date): string {
  if (event.month !== undefined) {
    if (!MONTH.test(event.month)) throw new Error('month must be YYYY-MM');
    return event.month;
  }
  const scheduled = event.scheduledTime ? new Date(event.scheduledTime) : now;
  if (Number.isNaN(scheduled.getTime())) throw new Error('scheduledTime must be an ISO 8601 instant');
  return previousMonth(monthOf(scheduled));
}

export async function exportMonth(options: {
  reports: ReportStore;
  register: PrincipalRegister;
  sink: ReportSink;
  month: string;
}): Promise<{ keys: string[]; rows: number; unregisteredPrincipals: number }> {
  const report = await produceRegionalReport(options.reports, {
    period: monthPeriod(options.month),
    register: options.register,
    byMonth: true,
  });
  const keys: string[] = [];
  for (const format of REPORT_FORMATS) {
    const key = `regional/${options.month.slice(0, 4)}/${fileNameOf(report, format)}`;
    await options.sink.put(key, await renderReport(report, format), CONTENT_TYPES[format]);
    keys.push(key);
  }
  return { keys, rows: report.rows.length, unregisteredPrincipals: report.unregisteredPrincipals };
}
