/**
 * The deadlines of every plan the caller's organisation takes part in and may see, with their state now,
 * oldest first: what `GET /deadlines` pages through and what the workspace's Att göra shows. The memberships
 * say which plans; the plans themselves say their deadlines, under the lead times in force now (a list item
 * holds no copy that could go stale).
 */
import {
  type DeadlineState,
  deadlinesOf,
  reminderRecipient,
  stateOf,
} from '../domain/deadlines/deadlines.ts';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import type { Plan } from '../domain/plan.ts';
import type { ApiRequest } from '../http/api.ts';
import { decide, releasedTo } from '../policy/policy.ts';
import type { Services } from './kit.ts';

export interface DueItem {
  planId: string;
  status: string;
  key: string;
  kind: string;
  remindFrom: string;
  dueAt: string;
  state: DeadlineState;
  /** Whose deadline it is: the organisation its reminders go to (the lead responsible, or the convener). */
  responsible: string;
  /** The individual's name, as every reader of the plan sees it: to tell the plans apart on a page. */
  name: string;
}

/** One plan's deadlines with their state at `now`, and whose they are. */
export function dueItemsOf(plan: Plan, now: Date, settings: DeadlineSettings): DueItem[] {
  const responsible = reminderRecipient(plan).organisationId;
  return deadlinesOf(plan, now, settings).map((deadline) => ({
    planId: plan.planId,
    status: plan.status,
    key: deadline.key,
    kind: deadline.kind,
    remindFrom: (deadline.stages[0]?.at ?? deadline.dueAt).toISOString(),
    dueAt: deadline.dueAt.toISOString(),
    state: stateOf(deadline, now),
    responsible,
    name: plan.individual.name,
  }));
}

export async function dueForOrganisation(request: ApiRequest, services: Services): Promise<DueItem[]> {
  const visible: string[] = [];
  let after: string | undefined;
  do {
    const page = await services.plans.listForOrganisation(request.caller.organisationId, {
      limit: 100,
      after,
    });
    for (const { summary, access } of page.items) {
      // The same decision as reading the plan, and the same category as its deadlines there.
      if (
        access &&
        decide(request.caller, 'plan.read', request.now, access).allowed &&
        releasedTo(access, request.caller.organisationId, request.now).has('interventions')
      )
        visible.push(summary.planId);
    }
    after = page.last;
  } while (after);
  const items = (await services.plans.getMany(visible)).flatMap((plan) =>
    dueItemsOf(plan, request.now, services.deadlineSettings),
  );
  const order = (d: DueItem) => `${d.dueAt}|${d.planId}|${d.key}`;
  return items.sort((a, b) => order(a).localeCompare(order(b)));
}
