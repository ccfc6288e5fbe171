import { deadlinesOf } from '../domain/deadlines/deadlines.ts';
import { deliveriesOf } from '../domain/deadlines/deliveries.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import { accessOf, decide } from '../policy/policy.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { ReminderMessage } from './message.ts';

/**
 * Whether a message still has a reason to go, read from the plan as it is now: an SMS held overnight for a
 * kallelse sent in the evening, a kallelse whose meeting has passed, or anything of a plan closed since, is
 * dropped instead of sent. And it goes only where the plan may be seen — the same policy as a read — so a
 * kallelse to a unit whose consent was withdrawn meanwhile never leaves.
 *
 * The one exception is the notice that the plan has ended: never moot (a plan ends once), and it goes to
 * every participating organisation whatever its consent, because the law wants everyone involved to learn
 * that the plan no longer applies. It says nothing but that, the date and a link, and the link opens only
 * for whoever may still read the plan.
 */
export function stillDue(plans: PlanStore, settings: DeadlineSettings) {
  return async (message: ReminderMessage, now: Date): Promise<boolean> => {
    const plan = await plans.get(message.planId);
    if (!plan) return false;
    switch (message.about.type) {
      case 'planEnded':
        return deliveriesOf(plan, now).some((d) => d.id === message.reminderId);
      case 'kallelse': {
        const delivery = deliveriesOf(plan, now).find((d) => d.id === message.reminderId);
        if (delivery === undefined || delivery.moot) return false;
        break;
      }
      case 'deadline': {
        const key = message.reminderId.slice(0, message.reminderId.lastIndexOf('/'));
        const deadline = deadlinesOf(plan, now, settings).find((d) => d.key === key);
        if (deadline === undefined || deadline.met) return false;
        break;
      }
    }
    const recipient = {
      userId: 'reminders',
      organisationId: message.recipient.organisationId,
      scopes: new Set(['sip.read']),
    };
    return decide(recipient, 'plan.read', now, accessOf(plan)).allowed;
  };
}
