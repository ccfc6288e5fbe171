/**
 * The plan operations: parse, ask the policy, call the domain, store, answer. No rule lives here.
 */

import type { DeadlineSettings } from '../../../shared/domain/deadlines/settings.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors.ts';
import { CreatePlanRequest, type Plan, type Revision } from '../../../shared/domain/plan.ts';
import { editPlan, newPlan } from '../../../shared/domain/plan-edits.ts';
import { Id } from '../../../shared/domain/schema.ts';
import { toStockholmDate } from '../../../shared/domain/time.ts';
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
  accessOf,
  type Caller,
  type Decision,
  decide,
  decideResult,
} from '../../../shared/policy/policy.ts';
import { type IdentityReference, identityFromQuery } from '../../../shared/privacy/identity-reference.ts';
import type { PrincipalRegister } from '../../../shared/reporting/principals.ts';
import type { AuditLog } from '../../../shared/store/audit-log.ts';
import type { Listed } from '../../../shared/store/memberships.ts';
import type { PlanStore, PlanWrite } from '../../../shared/store/plan-store.ts';
import type { ReminderBook } from '../../../shared/store/reminder-book.ts';
import type { ReportStore } from '../../../shared/store/report-events.ts';

export interface Services {
  plans: PlanStore;
  /** The reporting record, and the register that names the principals in exports. */
  reports: ReportStore;
  /** The reminder book: what the deadline check handled of each plan, kept beside it. */
  book: ReminderBook;
  reportRegister: PrincipalRegister;
  audit: AuditLog;
  identityReference: IdentityReference;
  deadlineSettings: DeadlineSettings;
  newId: (now?: number) => string;
}

const VERSION = /^\d{1,10}$/;

export async function createPlan(request: ApiRequest, services: Services): Promise<ApiResponse> {
  authorize(request, 'plan.create');
  const body = parseOrThrow(CreatePlanRequest, readJsonBody(request, ROUTES['POST /plans'].body.mediaTypes));
  const context = { actor: actorOf(request.caller), now: request.now, newId: () => services.newId() };
  const plan = newPlan(body, services.newId(request.now.getTime()), context);
  enforce(request, decideResult(request.caller, request.now, plan));
  await saveAudited(request, services, 201, [
    {
      plan,
      revision: revisionOf(
        plan,
        'create',
        Object.keys(body).map((key) => `/${key}`),
      ),
    },
  ]);
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
  enforce(request, decideResult(request.caller, request.now, plan, current));
  await saveAudited(request, services, 200, [
    { plan, previous: current, revision: revisionOf(plan, 'patch', changes) },
  ]);
  return planResponse(200, plan);
}

/**
 * GET /plans: the plans the caller's organisation takes part in and may see now, newest first — or, with
 * `personalIdentity`, those of one individual. Memberships the policy does not allow are skipped, so a
 * page can need more than one read; the cursor continues after the last membership read.
 */
export async function listPlans(request: ApiRequest, services: Services): Promise<ApiResponse> {
  authorize(request, 'plan.list');
  const query = parseQuery(ListPlansQuery, request.query);
  const limit = query.limit ?? 20;
  const visible = (listed: Listed) =>
    (!query.status || listed.summary.status === query.status) &&
    decide(request.caller, 'plan.read', request.now, listed.access ?? null).allowed;

  if (query.personalIdentity !== undefined) {
    const parsed = identityFromQuery(query.personalIdentity, toStockholmDate(request.now));
    if ('problem' in parsed)
      throw new ValidationError([{ parameter: 'personalIdentity', detail: parsed.problem }]);
    const individualRef = services.identityReference(parsed.identity);
    request.audit.concerns({ individualRef });
    const ids = await services.plans.planIdsOf(individualRef);
    const listed = await services.plans.listedFor(request.caller.organisationId, ids);
    return {
      status: 200,
      body: {
        items: listed
          .filter(visible)
          .slice(0, limit)
          .map((l) => l.summary),
      },
    };
  }

  // Pages of 100 memberships, filtered: plans hidden by the policy (consent ended) cost a read, never a query each.
  const items: Listed['summary'][] = [];
  let after = decodeCursor(query.cursor, (value) => Id.safeParse(value).success);
  let next: string | undefined;
  pages: do {
    const page = await services.plans.listForOrganisation(request.caller.organisationId, {
      status: query.status,
      limit: 100,
      after,
    });
    for (const [index, listed] of page.items.entries()) {
      if (!visible(listed)) continue;
      items.push(listed.summary);
      if (items.length === limit) {
        const more = index < page.items.length - 1 || page.last !== undefined;
        next = more ? listed.summary.planId : undefined;
        break pages;
      }
    }
    after = page.last;
  } while (after);
  return { status: 200, body: { items, ...(next && { nextCursor: encodeCursor(next) }) } };
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

/**
 * The plan named in the path, if it exists and the caller may act on it; otherwise 404 — the same for a
 * plan the caller may not see as for one that does not exist — or 403 when the caller sees it but may not
 * do this (or lacks the scope).
 */
export async function visiblePlan(request: ApiRequest, action: Action, services: Services): Promise<Plan> {
  const planId = request.pathParameters.planId ?? '';
  // Only a well-formed id reaches the audit log's keys (and the table's).
  const valid = Id.safeParse(planId).success;
  if (valid) request.audit.concerns({ planId });
  authorize(request, action);
  const plan = valid ? await services.plans.get(planId) : undefined;
  if (!plan) throw new NotFoundError(`no plan ${planId} that you can see`);
  request.audit.concerns({ individualRef: services.identityReference(plan.individual.personalIdentity) });
  authorize(request, action, plan);
  return plan;
}

export function authorize(request: ApiRequest, action: Action, plan?: Plan): void {
  enforce(request, decide(request.caller, action, request.now, plan && accessOf(plan)), plan);
}

export function enforce(request: ApiRequest, decision: Decision, plan?: Plan): void {
  if (decision.allowed) return;
  request.audit.denied();
  if (decision.conceal && plan) throw new NotFoundError(`no plan ${plan.planId} that you can see`);
  throw new ForbiddenError(decision.reason);
}

/**
 * Stores plan writes with the request's audit entry in the same transaction: the change and the record of
 * who made it are stored together or not at all.
 */
export async function saveAudited(
  request: ApiRequest,
  services: Services,
  status: number,
  writes: PlanWrite[],
): Promise<void> {
  const [first] = writes;
  if (first) {
    request.audit.concerns({
      planId: first.plan.planId,
      individualRef: services.identityReference(first.plan.individual.personalIdentity),
    });
  }
  await services.plans.saveAll(writes, [services.audit.write(request.audit.entry(status))]);
  request.audit.recorded = true;
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
