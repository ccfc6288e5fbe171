import { deadlinesOf, deliveriesOf } from '../domain/deadlines/deadlines.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { ReminderMessage } from './message.ts';

/**
 * Whether a reminder still has a reason to go, read from the plan as it is now: an SMS held overnight for a
 * kallelse sent in the evening, or for a plan closed since, is dropped instead of sent at 08:00.
 */
export function stillDue(plans: PlanStore, settings: DeadlineSettings) {
  return async (message: ReminderMessage): Promise<boolean> => {
    const plan = await plans.get(message.planId);
    if (!plan) return false;
    const key = message.reminderId.slice(0, message.reminderId.lastIndexOf('/'));
    const deadline = [...deadlinesOf(plan, settings), ...deliveriesOf(plan)].find((d) => d.key === key);
    return deadline !== undefined && !deadline.met;
  };
}
