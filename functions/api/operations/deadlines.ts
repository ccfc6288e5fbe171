import { deadlinesOf, reminderRecipient, stateOf } from '../../../shared/domain/deadlines/deadlines.ts';
import { toStockholmTimestamp } from '../../../shared/domain/time.ts';
import type { ApiRequest, ApiResponse } from '../../../shared/http/api.ts';
import { type Services, visiblePlan } from './plans.ts';

/** GET /plans/{planId}/deadlines: each deadline, when it is due, its state at this moment, and the reminders sent. */
export async function planDeadlines(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.read', services);
  const recipient = reminderRecipient(plan);
  const items = deadlinesOf(plan, services.deadlineSettings).map((deadline) => ({
    key: deadline.key,
    kind: deadline.kind,
    dueAt: toStockholmTimestamp(deadline.dueAt),
    state: stateOf(deadline, request.now),
    stages: deadline.stages.map((stage) => ({ name: stage.name, at: toStockholmTimestamp(stage.at) })),
    reminders: (plan.reminders ?? []).filter((reminder) => reminder.deadlineKey === deadline.key),
  }));
  return {
    status: 200,
    body: { remindersGoTo: { role: recipient.role, organisationId: recipient.organisationId }, items },
  };
}
