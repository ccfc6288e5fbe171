/**
 * The due-time index: a companion of every plan write. The plan's next reminder moment is written into its
 * due entry in the same transaction, or the entry is deleted when nothing is left, so the index is never
 * behind the plan. A plan write does not read the reminder book, so its entry may name a moment already
 * handled; the check then reads the plan once and moves the entry on with what it handled (`handled`).
 */
import { nextDueAt } from '../domain/deadlines/deadlines.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import type { Plan } from '../domain/plan.ts';
import { keys } from './keys.ts';
import type { Companion, TransactItem } from './plan-store.ts';

/** The write that puts a plan's due entry in step with the plan. */
export function dueEntryWrite(
  plan: Plan,
  settings: DeadlineSettings,
  tableName: string,
  now: Date = new Date(plan.updatedAt),
  handled?: ReadonlySet<string>,
): TransactItem {
  const next = nextDueAt(plan, now, settings, handled);
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
