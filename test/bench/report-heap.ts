/**
 * One export in a fresh process, for reportHeapGrowth: prints the peak of the heap while it runs, and the
 * heap just before it (after a full collection), in bytes, as JSON. Run with --expose-gc.
 * Arguments: <DynamoDB endpoint> <table> <YYYY-MM>.
 */
import { monthPeriod } from '../../shared/reporting/period.ts';
import { principalRegister } from '../../shared/reporting/principals.ts';
import { produceRegionalReport } from '../../shared/reporting/produce.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createReportStore } from '../../shared/store/report-events.ts';

// As in report-reads.ts; not imported from there, which would load the seeding code into this heap too.
const BENCH_REGISTER = { SE2321000131: '14', SE2120001801: '1480' };
const [endpoint = '', tableName = '', month = ''] = process.argv.slice(2);
const reports = createReportStore(createDocumentClient({ tableName, endpoint }), tableName);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
gc();
const before = process.memoryUsage().heapUsed;
let peak = before;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
};
const timer = setInterval(sample, 1);
const report = await produceRegionalReport(reports, {
  period: monthPeriod(month),
  register: principalRegister(BENCH_REGISTER),
  onProgress: sample,
});
sample();
clearInterval(timer);
process.stdout.write(JSON.stringify({ before, peak, rows: report.rows.length }));
