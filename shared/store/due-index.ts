/**
 * The due-time index: a companion of every plan write. The plan's next reminder moment is written into its
 * due entry in the same transaction, or the entry is deleted when nothing is left, so the index is never
 * behind the plan. A plan write does not read the reminder book, so its entry may name a moment already
 * handled; the check then reads the plan once and moves the entry on with what it handled (`handled`).
 */
import { nextDueAt } from '../domain/deadlines/deadlines.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import type { Plan } from '../domain/plan.ts';
import { timedStatesOf } from '../reporting/events.ts';
import { keys } from './keys.ts';
import type { Companion, TransactItem } from './plan-store.ts';

/** The write that puts a plan's due entry in step with the plan. */
export function dueEntryWrite(
  plan: Plan,
  settings: DeadlineSettings,
  tableName: string,
  now: Date = new Date(plan.updatedAt),
  handled?: ReadonlySet<string>,
  /** Due at `now` whatever the reminders say. */
  dueNow = false,
): TransactItem {
  const reminders = nextDueAt(plan, now, settings, handled);
  const next = dueNow && (!reminders || reminders > now) ? now : reminders;
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

/**
 * The due entry of a plan write. A write that changes what the reports count by the clock (a consent
 * renewed after it lapsed, an overdue follow-up recorded, the plan ended or moved between principals while
 * one of those holds) makes the plan due at once, so that the check counts the change on its next run.
 */
export const dueIndexWrites =
  (settings: DeadlineSettings): Companion =>
  ({ plan, previous }, tableName) => {
    const at = new Date(plan.updatedAt);
    const timed = (p: Plan) => {
      const states = timedStatesOf(p, at, settings);
      return states.lapsedConsent + states.overdueFollowUp > 0;
    };
    const recount = previous !== undefined && (timed(previous) || timed(plan));
    return [dueEntryWrite(plan, settings, tableName, at, undefined, recount)];
  };
