/**
 * The plan operations: parse, ask the policy, call the domain, store, answer. No rule lives here.
 */

import type { DeadlineSettings } from '../../../shared/domain/deadlines/settings.ts';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.ts';
import { CreatePlanRequest, type Plan, type Revision } from '../../../shared/domain/plan.ts';
import { editPlan, newPlan } from '../../../shared/domain/plan-edits.ts';
import { Id } from '../../../shared/domain/schema.ts';
import { parseOrThrow } from '../../../shared/domain/validation.ts';
import {
  type ApiRequest,
  type ApiResponse,
  etagOf,
  readJsonBody,
  requireIfMatch,
} from '../../../shared/http/api.ts';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.ts';
import { parseQuery } from '../../../shared/http/query.ts';
import { ListPlansQuery, PageQuery, ROUTES } from '../../../shared/http/routes.ts';
import {
  type Action,
  type Caller,
  type Decision,
  decide,
  decideResult,
} from '../../../shared/policy/policy.ts';
import type { PlanStore } from '../../../shared/store/plan-store.ts';

export interface Services {
  plans: PlanStore;
  deadlineSettings: DeadlineSettings;
  newId: (now?: number) => string;
}

const VERSION = /^\d{1,10}$/;

export async function createPlan(request: ApiRequest, { plans, newId }: Services): Promise<ApiResponse> {
  authorize(request.caller, 'plan.create');
  const body = parseOrThrow(CreatePlanRequest, readJsonBody(request, ROUTES['POST /plans'].body.mediaTypes));
  const context = { actor: actorOf(request.caller), now: request.now, newId: () => newId() };
  const plan = newPlan(body, newId(request.now.getTime()), context);
  enforce(decideResult(request.caller, plan));
  await plans.save({
    plan,
    revision: revisionOf(
      plan,
      'create',
      Object.keys(body).map((key) => `/${key}`),
    ),
  });
  return planResponse(201, plan, { location: `/plans/${plan.planId}` });
}

export async function getPlan(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.read', services);
  return planResponse(200, plan);
}

export async function patchPlan(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const current = await visiblePlan(request, 'plan.update', services);
  requireIfMatch(request, current.version);
  const patch = readJsonBody(request, ROUTES['PATCH /plans/{planId}'].body.mediaTypes);
  const { plan, changes } = editPlan(current, patch, {
    actor: actorOf(request.caller),
    now: request.now,
    newId: () => services.newId(),
  });
  if (changes.length === 0) return planResponse(200, current);
  enforce(decideResult(request.caller, plan));
  await services.plans.save({ plan, previous: current, revision: revisionOf(plan, 'patch', changes) });
  return planResponse(200, plan);
}

export async function listPlans(request: ApiRequest, { plans }: Services): Promise<ApiResponse> {
  authorize(request.caller, 'plan.list');
  const query = parseQuery(ListPlansQuery, request.query);
  const page = await plans.listForOrganisation(request.caller.organisationId, {
    status: query.status,
    limit: query.limit ?? 20,
    after: decodeCursor(query.cursor, (value) => Id.safeParse(value).success),
  });
  return {
    status: 200,
    body: { items: page.items, ...(page.last && { nextCursor: encodeCursor(page.last) }) },
  };
}

export async function listRevisions(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.read', services);
  const query = parseQuery(PageQuery, request.query);
  const after = decodeCursor(query.cursor, (value) => VERSION.test(value));
  const page = await services.plans.revisions(plan.planId, {
    limit: query.limit ?? 50,
    after: after === undefined ? undefined : Number(after),
  });
  return {
    status: 200,
    body: { items: page.items, ...(page.last !== undefined && { nextCursor: encodeCursor(page.last) }) },
  };
}

/** The plan named in the path, if it exists and the caller may act on it; otherwise 404 (or 403 for a missing scope). */
export async function visiblePlan(request: ApiRequest, action: Action, { plans }: Services): Promise<Plan> {
  authorize(request.caller, action);
  const planId = request.pathParameters.planId ?? '';
  const plan = Id.safeParse(planId).success ? await plans.get(planId) : undefined;
  if (!plan) throw new NotFoundError(`no plan ${planId} that you can see`);
  authorize(request.caller, action, plan);
  return plan;
}

export function authorize(caller: Caller, action: Action, plan?: Plan): void {
  enforce(decide(caller, action, plan), plan);
}

function enforce(decision: Decision, plan?: Plan): void {
  if (decision.allowed) return;
  if (decision.conceal && plan) throw new NotFoundError(`no plan ${plan.planId} that you can see`);
  throw new ForbiddenError(decision.reason);
}

export const actorOf = (caller: Caller) => ({
  userId: caller.userId,
  organisationId: caller.organisationId,
  ...(caller.unitId && { unitId: caller.unitId }),
});

export function revisionOf(plan: Plan, action: string, changes: string[]): Revision {
  return {
    planId: plan.planId,
    version: plan.version,
    action,
    at: plan.updatedAt,
    by: plan.updatedBy,
    changes,
  };
}

export function planResponse(status: number, plan: Plan, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { etag: etagOf(plan.version), ...headers }, body: plan };
}
