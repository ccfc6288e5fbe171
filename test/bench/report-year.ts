/**
 * reportYearRatio: a year's report for a region of 10,000 plans — the region and its 49 municipalities,
 * 73,334 events — made as the HTTP route makes it, in every format, timed against the least any report of
 * that year must do: Query every event of the year's twelve partitions and nothing else (same DynamoDB
 * Local, same run, median of three each). The absolute times are set beside the HTTP API's 30 s
 * integration limit and the API function's timeout in docs/performance.md. The baseline reads as a report
 * reads, a month after the other; the ratio is what tallying, suppressing and rendering add. (Reading the
 * months side by side was tried: against DynamoDB Local on two cores it made a report about 1.8 times slower than the same run's reads one after the other.)
 *
 * The events are written straight into the table with the shapes plan writes give them (an initiation,
 * a kallelse after discharge, an establishment with its first meeting, a follow-up, a closure for half),
 * since 10,000 plans through the commands would take the bench longer than the measurement.
 */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../infra/local/dynamodb-local.ts';
import { newId } from '../../shared/ids.ts';
import type { ReportEvent, TargetGroup } from '../../shared/reporting/events.ts';
import { type ReportFormat, renderReport } from '../../shared/reporting/formats.ts';
import { parsePeriod } from '../../shared/reporting/period.ts';
import { principalRegister } from '../../shared/reporting/principals.ts';
import { produceRegionalReport } from '../../shared/reporting/produce.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { keys } from '../../shared/store/keys.ts';
import { createReportStore } from '../../shared/store/report-events.ts';

export const YEAR_PLANS = 10_000;
const MUNICIPALITIES = 49;
const REGION = 'SE2321000131';
const municipality = (n: number) => `SE21200018${String(n).padStart(2, '0')}`;
/** The region (14) and 49 municipalities (1401–1449), as Västra Götaland has them. */
const REGISTER = Object.fromEntries([
  [REGION, '14'],
  ...Array.from({ length: MUNICIPALITIES }, (_, n) => [
    municipality(n),
    `14${String(n + 1).padStart(2, '0')}`,
  ]),
]);
const GROUPS: TargetGroup[] = ['older', 'older', 'older', 'adults', 'adults', 'children', 'unknownAge'];
const stockOf = (group: TargetGroup, active: number) => [
  { group, active, lapsedConsent: 0, overdueFollowUp: 0 },
];

/** One plan's events, for each of its two principals. */
function planEvents(i: number): ReportEvent[] {
  const month = String((i % 12) + 1).padStart(2, '0');
  const day = String((i % 27) + 1).padStart(2, '0');
  const at = (hour: number) => `2026-${month}-${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const group = GROUPS[i % GROUPS.length] as TargetGroup;
  const discharge = i % 3 !== 2;
  return [REGION, municipality(i % MUNICIPALITIES)].flatMap((principal) => [
    {
      at: at(8),
      principal,
      group,
      initiated: discharge ? 'discharge' : 'ownRequest',
      stock: stockOf(group, 1),
    },
    ...(discharge ? [{ at: at(9), principal, group, kallelseAfterDischargeDays: i % 6 }] : []),
    {
      at: at(10),
      principal,
      group,
      established: discharge ? 'AU125' : 'AU124',
      firstMeetingDays: 5 + (i % 30),
    },
    {
      at: at(11),
      principal,
      group,
      ...(i % 4 === 0 ? { followUpsAfterPlannedDate: 1 } : { followUpsByPlannedDate: 1 }),
      ...(i % 2 === 0 && { ended: 'needsMet', stock: stockOf(group, -1) }),
    },
  ]) as ReportEvent[];
}

async function seedYear(endpoint: string, tableName: string): Promise<number> {
  const client = createDocumentClient({ tableName, endpoint });
  const pending: Promise<unknown>[] = [];
  let batch: Record<string, unknown>[] = [];
  let written = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const items = batch;
    pending.push(
      client.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
        }),
      ),
    );
    batch = [];
  };
  for (let i = 0; i < YEAR_PLANS; i++) {
    const planId = newId();
    for (const [version, event] of planEvents(i).entries()) {
      batch.push({
        ...keys.reportEvent(event.at.slice(0, 7), event.principal, event.at, planId, version + 1),
        kind: 'reportEvent',
        event,
      });
      written++;
      if (batch.length === 25) flush();
      if (pending.length >= 8) await Promise.all(pending.splice(0));
    }
  }
  flush();
  await Promise.all(pending);
  return written;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

export async function reportYearFigures(endpoint: string) {
  const tableName = 'bench-report-year';
  await ensureTable(endpoint, tableName);
  const events = await seedYear(endpoint, tableName);
  const client = createDocumentClient({ tableName, endpoint });
  const reports = createReportStore(client, tableName);
  const period = parsePeriod('2026-01-01', '2026-12-31');
  const register = principalRegister(REGISTER);

  /** The baseline: every event of the year's partitions read, month after month as a report reads them. */
  const bareRead = async () => {
    let items = 0;
    for (const month of period.months) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.reportMonthPartition(month), ':prefix': 'EVENT#' },
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
        items += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return items;
  };
  const report = (format: ReportFormat) => async () => {
    const made = await produceRegionalReport(reports, { period, register, byMonth: format === 'html' });
    const body = await renderReport(made, format);
    return {
      rows: made.rows.length,
      bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    };
  };
  // Once each first: the lazily loaded formats, and DynamoDB Local's own warm-up.
  await bareRead();
  await report('xlsx')();
  await report('html')();
  const runs = {
    read: [] as number[],
    json: [] as number[],
    csv: [] as number[],
    xlsx: [] as number[],
    html: [] as number[],
  };
  const bytes: Partial<Record<ReportFormat, number>> = {};
  let read = 0;
  for (let i = 0; i < 3; i++) {
    const r = await timed(bareRead);
    runs.read.push(r.ms);
    read = r.result;
    for (const format of ['json', 'csv', 'xlsx', 'html'] as const) {
      const t = await timed(report(format));
      runs[format].push(t.ms);
      bytes[format] = t.result.bytes;
    }
  }
  if (read !== events) throw new Error(`wrote ${events} events, read ${read}`);
  const ms = Object.fromEntries(
    Object.entries(runs).map(([name, values]) => [name, median(values)]),
  ) as Record<keyof typeof runs, number>;
  return {
    plans: YEAR_PLANS,
    principals: MUNICIPALITIES + 1,
    events,
    ms,
    bytes,
    /** The slowest format against the bare read of the same events. */
    ratio: Math.max(ms.json, ms.csv, ms.xlsx, ms.html) / ms.read,
  };
}
