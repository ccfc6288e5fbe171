/**
 * The one-off move of the reminder bookkeeping out of the plans written before the reminder book: each
 * plan's `reminders` go to the book, its consents lose `lapsedAt` (a lapse is derived now), the reports'
 * count of its timed states is put on record as those plans had them counted, and the plan is put back
 * without them — same version, same ETag, no revision: nothing a user wrote changes.
 *
 * Safe to run again, and to run while the service runs: each step is idempotent, the plan is put back only
 * if no one wrote it meanwhile (that plan is left for the next run), and until a plan is moved the check
 * reads its `reminders` as sent (`handledOf`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import type { Plan } from '../domain/plan.ts';
import { legacyTimedStatesOf } from '../reporting/events.ts';
import { keys } from './keys.ts';
import type { PlanStore } from './plan-store.ts';
import type { ReminderBook } from './reminder-book.ts';
import type { ReportStore } from './report-events.ts';

export interface MigrationResult {
  plansRead: number;
  plansMoved: number;
  recordsMoved: number;
  /** Written by someone while being moved: left as they are for the next run (the check's fallback covers them). */
  plansLeft: number;
}

/** Whether a plan still carries bookkeeping of the check from before the reminder book. */
export const carriesBookkeeping = (plan: Plan) =>
  plan.reminders !== undefined || plan.consents.some((consent) => consent.lapsedAt !== undefined);

export async function migrateReminders(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  plans: PlanStore;
  book: ReminderBook;
  reports: ReportStore;
  settings: DeadlineSettings;
  now: Date;
  onProgress?: (result: MigrationResult) => void;
}): Promise<MigrationResult> {
  const { client, tableName, plans, book, reports, now } = options;
  const result: MigrationResult = { plansRead: 0, plansMoved: 0, recordsMoved: 0, plansLeft: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    // A one-off pass over every plan: the one place a Scan is the right read.
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#kind = :plan',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':plan': 'plan' },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) {
      result.plansRead++;
      const plan = item.plan as Plan;
      if (!carriesBookkeeping(plan)) continue;
      const records = plan.reminders ?? [];
      await book.record(plan.planId, records);
      // The reports counted this plan's timed states through its write events; put that count on record,
      // unless the check has counted since (then it is on record already).
      if (!(await reports.countedTimedStates(plan.planId))) {
        const counted = legacyTimedStatesOf(plan);
        await reports.countTimedStates(plan.planId, undefined, counted, counted, now);
      }
      const { reminders: _, ...rest } = plan;
      const moved: Plan = {
        ...rest,
        consents: plan.consents.map(({ lapsedAt: __, ...consent }) => consent),
      };
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...item, ...keys.plan(plan.planId), plan: moved },
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': plan.version },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        result.plansLeft++;
        continue;
      }
      await plans.refreshDueEntry(moved, now, new Set(records.map((record) => record.id)));
      result.plansMoved++;
      result.recordsMoved += records.length;
    }
    options.onProgress?.(result);
    start = page.LastEvaluatedKey;
  } while (start);
  return result;
}
