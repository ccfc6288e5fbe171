/**
 * reportReadPerEvent and reportHeapGrowth: the export of one month whose events are the same, with the
 * table at 1× (that month's plans only) and at 100× (99 times as many events in the months around it).
 *
 * - Items read per exported event: what DynamoDB reports (Query ScannedCount, GetItem items) ÷ the
 *   month's events. The months before are closed first, as the deadline check closes them in AWS, so the
 *   export reads one closing item and its own month's partition.
 * - Peak heap: each export in a fresh process (`report-heap.ts`), median of three, 100× ÷ 1×.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../infra/local/dynamodb-local.ts';
import { runCommand } from '../../shared/domain/commands/index.ts';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { CreatePlanRequest } from '../../shared/domain/plan.ts';
import { newPlan, nextVersion } from '../../shared/domain/plan-edits.ts';
import { fromStockholmLocal, toStockholmTimestamp } from '../../shared/domain/time.ts';
import { newId } from '../../shared/ids.ts';
import { identityReferences } from '../../shared/privacy/identity-reference.ts';
import { closeReportingMonths } from '../../shared/reporting/balance.ts';
import { type ReportEvent, reportEventsOf } from '../../shared/reporting/events.ts';
import { monthPeriod } from '../../shared/reporting/period.ts';
import { principalRegister } from '../../shared/reporting/principals.ts';
import { produceRegionalReport } from '../../shared/reporting/produce.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { keys } from '../../shared/store/keys.ts';
import { createPlanStore } from '../../shared/store/plan-store.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { elsa } from '../support/scenarios.ts';
import { countReads } from './deadline-reads.ts';

/** The register of both the export here and the one in `report-heap.ts`. */
export const BENCH_REGISTER = { SE2321000131: '14', SE2120001801: '1480' };
/** The exported month, and the months around it that the growth goes into. */
const MONTH = '2026-03';
const OUTSIDE = [
  '2025-03',
  '2025-06',
  '2025-09',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-04',
  '2026-05',
  '2026-08',
];
const PLANS = 300;
const GROWTH = 100;

const actor = { userId: 'bench', organisationId: 'SE2321000131-E000000000001' };

/** The month's plans, written as the API writes them: 300 opened, half of them closed. Returns its events. */
async function seedMonth(endpoint: string, tableName: string): Promise<ReportEvent[]> {
  const plans = createPlanStore(
    createDocumentClient({ tableName, endpoint }),
    tableName,
    DEFAULT_DEADLINE_SETTINGS,
    identityReferences(randomBytes(32)),
  );
  const events: ReportEvent[] = [];
  for (let i = 0; i < PLANS; i++) {
    const at = fromStockholmLocal(2026, 3, 1 + (i % 28), 9, i % 60);
    const context = { actor, now: at, newId: () => newId() };
    const noticedAt = toStockholmTimestamp(at);
    const plan = newPlan(
      CreatePlanRequest.parse({ ...elsa, initiation: { ...elsa.initiation, noticedAt } }),
      newId(),
      context,
    );
    const revision = (p: typeof plan, action: string) => ({
      planId: p.planId,
      version: p.version,
      action,
      at: p.updatedAt,
      by: actor,
      changes: [],
    });
    await plans.save({ plan, revision: revision(plan, 'create') });
    events.push(...reportEventsOf(undefined, plan));
    if (i % 2 === 0) {
      const later = { ...context, now: new Date(at.getTime() + 3_600_000) };
      const input = { reason: 'needsMet', informed: [], whereToTurn: 'Ring.' };
      const closed = nextVersion(plan, runCommand('close', plan, input, later).plan, later).plan;
      await plans.save({ plan: closed, previous: plan, revision: revision(closed, 'close') });
      events.push(...reportEventsOf(plan, closed));
    }
  }
  return events;
}

/** 99 copies of the month's events, spread over the months around it: the table at 100×. */
async function grow(endpoint: string, tableName: string, events: ReportEvent[]) {
  const client = createDocumentClient({ tableName, endpoint });
  const pending: Promise<unknown>[] = [];
  let batch: Record<string, unknown>[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    pending.push(
      client.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: batch.map((Item) => ({ PutRequest: { Item } })) },
        }),
      ),
    );
    batch = [];
  };
  for (let copy = 1; copy < GROWTH; copy++) {
    const month = OUTSIDE[copy % OUTSIDE.length] as string;
    const planId = newId();
    for (const [n, event] of events.entries()) {
      const at = `${month}${event.at.slice(7)}`;
      batch.push({
        ...keys.reportEvent(month, event.principal, at, planId, copy * 10_000 + n),
        kind: 'reportEvent',
        event: { ...event, at },
      });
      if (batch.length === 25) flush();
      if (pending.length >= 16) await Promise.all(pending.splice(0));
    }
  }
  flush();
  await Promise.all(pending);
}

async function measure(endpoint: string, tableName: string) {
  const client = createDocumentClient({ tableName, endpoint });
  const reports = createReportStore(client, tableName);
  // In AWS the deadline check has closed the months before within the hour after each ended.
  await closeReportingMonths(reports, fromStockholmLocal(2026, 3, 1, 2));
  const counter = countReads(client);
  let exported = 0;
  await produceRegionalReport(reports, {
    period: monthPeriod(MONTH),
    register: principalRegister(BENCH_REGISTER),
    onProgress: ({ events }) => {
      exported = events;
    },
  });
  const heap = [0, 1, 2].map(() => {
    const output = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        fileURLToPath(new URL('./report-heap.ts', import.meta.url)),
        endpoint,
        tableName,
        MONTH,
      ],
      { env: { PATH: process.env.PATH, AWS_REGION: 'eu-north-1' } },
    );
    return JSON.parse(output.toString()) as { before: number; peak: number };
  });
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
  return {
    readsPerEvent: counter.items / exported,
    items: counter.items,
    events: exported,
    peakHeap: median(heap.map((h) => h.peak)),
    exportHeap: median(heap.map((h) => h.peak - h.before)),
  };
}

export async function reportExportFigures(endpoint: string) {
  const small = 'bench-report-1x';
  const large = 'bench-report-100x';
  await ensureTable(endpoint, small);
  await ensureTable(endpoint, large);
  await seedMonth(endpoint, small);
  const events = await seedMonth(endpoint, large);
  await grow(endpoint, large, events);
  const at1 = await measure(endpoint, small);
  const at100 = await measure(endpoint, large);
  if (at1.events !== at100.events)
    throw new Error(`the month has ${at1.events} events at 1×, ${at100.events} at 100×`);
  return {
    at1,
    at100,
    heapRatio: at100.peakHeap / at1.peakHeap,
    tableEvents: { at1: events.length, at100: events.length * GROWTH },
  };
}
