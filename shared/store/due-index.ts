/**
 * The due-time index: a companion of every plan write. The plan's next unsent reminder moment is written
 * into its due entry in the same transaction, or the entry is deleted when no reminder is left, so the
 * index is never out of step with the plan.
 */
import { nextDueAt } from '../domain/deadlines/deadlines.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import type { Plan } from '../domain/plan.ts';
import { keys } from './keys.ts';
import type { Companion, TransactItem } from './plan-store.ts';

/** The write that puts a plan's due entry in step with the plan. */
export function dueEntryWrite(plan: Plan, settings: DeadlineSettings, tableName: string): TransactItem {
  const next = nextDueAt(plan, settings);
  if (!next) return { Delete: { TableName: tableName, Key: keys.dueEntry(plan.planId) } };
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.dueEntry(plan.planId),
        ...keys.dueIndex(plan.planId, next),
        kind: 'due',
        planId: plan.planId,
      },
    },
  };
}

export const dueIndexWrites =
  (settings: DeadlineSettings): Companion =>
  ({ plan }, tableName) => [dueEntryWrite(plan, settings, tableName)];
