/**
 * deadlineReadGrowth: items the deadline check reads per due deadline, with the same 100 due plans among
 * 1,000 and then among 100,000 plans. Counted from what DynamoDB reports (Query ScannedCount, GetItem items).
 */
import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../infra/local/dynamodb-local.ts';
import { DEFAULT_DEADLINE_SETTINGS } from '../../shared/domain/deadlines/settings.ts';
import { CreatePlanRequest } from '../../shared/domain/plan.ts';
import { newPlan } from '../../shared/domain/plan-edits.ts';
import { addStockholmDays, toStockholmTimestamp } from '../../shared/domain/time.ts';
import { newId } from '../../shared/ids.ts';
import { identityReferences } from '../../shared/privacy/identity-reference.ts';
import { runDeadlineCheck } from '../../shared/reminders/check.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { keys } from '../../shared/store/keys.ts';
import { createPlanStore } from '../../shared/store/plan-store.ts';
import { createReminderBook } from '../../shared/store/reminder-book.ts';
import { createReportStore } from '../../shared/store/report-events.ts';
import { minimal } from '../support/scenarios.ts';

const DUE_PLANS = 100;

/** Counts the items each DynamoDB read touched. */
export function countReads(client: DynamoDBDocumentClient) {
  const counter = { items: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as { ScannedCount?: number; Item?: unknown };
      if (context.commandName === 'QueryCommand') counter.items += output.ScannedCount ?? 0;
      if (/^Get(Item)?Command$/.test(context.commandName ?? '') && output.Item) counter.items += 1;
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
  return counter;
}

async function measure(endpoint: string, totalPlans: number, now: Date): Promise<number> {
  const tableName = `bench-deadlines-${totalPlans}`;
  await ensureTable(endpoint, tableName);
  const client = createDocumentClient({ tableName, endpoint });
  // Plans are created here as the API creates them: with the person index, under a throwaway key.
  const plans = createPlanStore(
    client,
    tableName,
    DEFAULT_DEADLINE_SETTINGS,
    identityReferences(randomBytes(32)),
  );
  const actor = { userId: 'bench', organisationId: 'SE2321000131-E000000000001' };
  // The due plans: real plans whose discharge was reported four days ago, with no kallelse.
  const fourDaysAgo = toStockholmTimestamp(addStockholmDays(now, -4));
  for (let i = 0; i < DUE_PLANS; i++) {
    const plan = newPlan(
      CreatePlanRequest.parse({ ...minimal, initiation: { ...minimal.initiation, noticedAt: fourDaysAgo } }),
      newId(),
      { actor, now, newId: () => newId() },
    );
    plan.discharge = { readyForDischargeAt: fourDaysAgo };
    await plans.save({
      plan,
      revision: {
        planId: plan.planId,
        version: 1,
        action: 'create',
        at: plan.createdAt,
        by: actor,
        changes: [],
      },
    });
  }
  // The rest: plans with nothing due until next year, as entries in the same due-time index.
  const later = new Date(now.getTime() + 365 * 86_400_000);
  const rest = totalPlans - DUE_PLANS;
  const batches: Promise<unknown>[] = [];
  for (let i = 0; i < rest; i += 25) {
    const items = Array.from({ length: Math.min(25, rest - i) }, () => {
      const planId = newId();
      return {
        PutRequest: {
          Item: { ...keys.dueEntry(planId), ...keys.dueIndex(planId, later), kind: 'due', planId },
        },
      };
    });
    batches.push(client.send(new BatchWriteCommand({ RequestItems: { [tableName]: items } })));
    if (batches.length >= 16) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);

  const counter = countReads(client);
  const queue = { send: async () => {} };
  const result = await runDeadlineCheck({
    plans,
    book: createReminderBook(client, tableName),
    reports: createReportStore(client, tableName),
    queue,
    settings: DEFAULT_DEADLINE_SETTINGS,
    now,
  });
  if (result.plans !== DUE_PLANS) throw new Error(`expected ${DUE_PLANS} due plans, found ${result.plans}`);
  return counter.items / result.plans;
}

export async function deadlineReadGrowth(endpoint: string) {
  const now = new Date();
  const small = await measure(endpoint, 1_000, now);
  const large = await measure(endpoint, 100_000, now);
  return { ratio: large / small, readsPerDuePlan: { at1000: small, at100000: large } };
}
