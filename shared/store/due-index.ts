/**
 * The due-time index: a companion of every plan write. The plan's next unsent reminder moment is written
 * into its due entry in the same transaction, or the entry is deleted when no reminder is left, so the
 * index is never out of step with the plan.
 */
import { nextDueAt } from '../domain/deadlines/deadlines.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import { keys } from './keys.ts';
import type { Companion } from './plan-store.ts';

export const dueIndexWrites =
  (settings: DeadlineSettings): Companion =>
  ({ plan }, tableName) => {
    const next = nextDueAt(plan, settings);
    if (!next) return [{ Delete: { TableName: tableName, Key: keys.dueEntry(plan.planId) } }];
    return [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.dueEntry(plan.planId),
            ...keys.dueIndex(plan.planId, next),
            kind: 'due',
            planId: plan.planId,
          },
        },
      },
    ];
  };
