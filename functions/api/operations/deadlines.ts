import { dueForOrganisation } from '../../../shared/application/deadlines.ts';
import { authorize, releasedToCaller, type Services, visiblePlan } from '../../../shared/application/kit.ts';
import { deadlinesOf, reminderRecipient, stateOf } from '../../../shared/domain/deadlines/deadlines.ts';
import { deliveriesOf } from '../../../shared/domain/deadlines/deliveries.ts';
import { toStockholmTimestamp } from '../../../shared/domain/time.ts';
import type { ApiRequest, ApiResponse } from '../../../shared/http/api.ts';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.ts';
import { parseQuery } from '../../../shared/http/query.ts';
import { DeadlinesQuery } from '../../../shared/http/routes.ts';

/**
 * GET /plans/{planId}/deadlines: each deadline, when it is due, its state at this moment, and the reminders
 * sent; and once the plan has ended, the notice to each participating organisation — who was told and when.
 * Both read from the reminder book beside the plan.
 */
export async function planDeadlines(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.read', services);
  // Deadlines are the plan's "who does what and when": shown only where the consent releases it.
  if (!releasedToCaller(request, plan).has('interventions'))
    return { status: 200, body: { items: [], notices: [] } };
  const recipient = reminderRecipient(plan);
  const records = [...(await services.book.handled(plan.planId)), ...(plan.reminders ?? [])];
  const items = deadlinesOf(plan, request.now, services.deadlineSettings).map((deadline) => ({
    key: deadline.key,
    kind: deadline.kind,
    dueAt: toStockholmTimestamp(deadline.dueAt),
    state: stateOf(deadline, request.now),
    stages: deadline.stages.map((stage) => ({ name: stage.name, at: toStockholmTimestamp(stage.at) })),
    reminders: records
      .filter((record) => record.deadlineKey === deadline.key)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
  }));
  const handed = new Map(records.map((record) => [record.id, record]));
  const notices = deliveriesOf(plan, request.now).flatMap((delivery) => {
    if (delivery.kind !== 'planEnded') return [];
    const record = handed.get(delivery.id);
    return [
      {
        organisationId: delivery.organisationId,
        outcome: delivery.outcome,
        dueAt: toStockholmTimestamp(delivery.at),
        ...(record && { queuedAt: record.queuedAt }),
        ...(record?.undeliverable && { undeliverable: true }),
      },
    ];
  });
  return {
    status: 200,
    body: {
      remindersGoTo: { role: recipient.role, organisationId: recipient.organisationId },
      items,
      notices,
    },
  };
}

/**
 * GET /deadlines: the deadlines in a state (default `overdue`) across the plans the caller's organisation
 * takes part in and may see, oldest first (the workspace's Att göra reads the same, `organisationDeadlines`
 * in the application layer).
 */
export async function organisationDeadlines(request: ApiRequest, services: Services): Promise<ApiResponse> {
  authorize(request, 'plan.list');
  const query = parseQuery(DeadlinesQuery, request.query);
  const state = query.state ?? 'overdue';
  const matches = (await dueForOrganisation(request, services))
    .filter((d) => d.state === state)
    .map(({ planId, status, key, kind, remindFrom, dueAt, state }) => ({
      planId,
      status,
      key,
      kind,
      remindFrom,
      dueAt,
      state,
    }));
  const order = (d: { dueAt: string; planId: string; key: string }) => `${d.dueAt}|${d.planId}|${d.key}`;
  const from = decodeCursor(query.cursor, (value) => /^\S+\|[0-9a-f-]{36}\|\S+$/.test(value));
  const rest = from ? matches.filter((d) => order(d) > from) : matches;
  const items = rest.slice(0, query.limit ?? 50);
  const last = items.at(-1);
  return {
    status: 200,
    body: { items, ...(rest.length > items.length && last && { nextCursor: encodeCursor(order(last)) }) },
  };
}
