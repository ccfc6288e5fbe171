/**
 * The plan operations: parse, ask the policy, call the domain, store, answer. No rule lives here.
 */

import { findByPersonalIdentity } from '../../../shared/application/find.ts';
import {
  actorOf,
  authorize,
  commit,
  enforce,
  planResponse,
  releasedToCaller,
  replayed,
  type Services,
  visiblePlan,
} from '../../../shared/application/kit.ts';
import { releasedRevision, releasedSummary } from '../../../shared/domain/information.ts';
import { CreatePlanRequest } from '../../../shared/domain/plan.ts';
import { planChanged, planCreated } from '../../../shared/domain/plan-change.ts';
import { newPlan, patchedPlan } from '../../../shared/domain/plan-edits.ts';
import { Id } from '../../../shared/domain/schema.ts';
import { parseOrThrow } from '../../../shared/domain/validation.ts';
import { type ApiRequest, type ApiResponse, readJsonBody, requireIfMatch } from '../../../shared/http/api.ts';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.ts';
import { parseQuery } from '../../../shared/http/query.ts';
import { ListPlansQuery, PageQuery, ROUTES } from '../../../shared/http/routes.ts';
import { decide, decideWrite, type PlanAccess, releasedTo } from '../../../shared/policy/policy.ts';
import type { Listed } from '../../../shared/store/memberships.ts';

const VERSION = /^\d{1,10}$/;

export async function createPlan(request: ApiRequest, services: Services): Promise<ApiResponse> {
  authorize(request, 'plan.create');
  const replay = await replayed(request, services);
  if (replay) return replay;
  const body = parseOrThrow(CreatePlanRequest, readJsonBody(request, ROUTES['POST /plans'].body.mediaTypes));
  const context = { actor: actorOf(request.caller), now: request.now, newId: () => services.newId() };
  const plan = newPlan(body, services.newId(request.now.getTime()), context);
  enforce(request, decideWrite(request.caller, request.now, { kind: 'create', next: plan }));
  const change = planCreated(
    plan,
    Object.keys(body).map((key) => `/${key}`),
  );
  return commit(
    request,
    services,
    [change],
    planResponse(request, 201, plan, { location: `/plans/${plan.planId}` }),
  );
}

export async function getPlan(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const plan = await visiblePlan(request, 'plan.read', services);
  return planResponse(request, 200, plan);
}

export async function patchPlan(request: ApiRequest, services: Services): Promise<ApiResponse> {
  const current = await visiblePlan(request, 'plan.update', services);
  requireIfMatch(request, current.version);
  const patch = readJsonBody(request, ROUTES['PATCH /plans/{planId}'].body.mediaTypes);
  const context = { actor: actorOf(request.caller), now: request.now, newId: () => services.newId() };
  const patched = patchedPlan(current, patch, context);
  enforce(
    request,
    decideWrite(request.caller, request.now, { kind: 'patch', previous: current, next: patched }),
  );
  const change = planChanged(current, patched, 'patch', context);
  if (!change) return planResponse(request, 200, current);
  return commit(request, services, [change], planResponse(request, 200, change.plan));
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
  // What the caller reads of a listed plan; `visible` has checked its access facts are there.
  const releasedOf = (listed: Listed) =>
    releasedTo(listed.access as PlanAccess, request.caller.organisationId, request.now);
  // An item shows what the plan would: the fields from parts the caller's consent does not release are left out.
  const shown = (listed: Listed) => releasedSummary(listed.summary, releasedOf(listed));

  if (query.personalIdentity !== undefined) {
    const found = await findByPersonalIdentity(request, services, query.personalIdentity, query.status);
    return {
      status: 200,
      body: {
        items: found.slice(0, limit).map(({ summary, released }) => releasedSummary(summary, released)),
      },
    };
  }

  // Pages of 100 memberships, filtered: plans hidden by the policy (consent ended) cost a read, never a query each.
  const items: Partial<Listed['summary']>[] = [];
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
      items.push(shown(listed));
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
  const released = releasedToCaller(request, plan);
  return {
    status: 200,
    body: {
      items: page.items.map((revision) => releasedRevision(revision, released)),
      ...(page.last !== undefined && { nextCursor: encodeCursor(page.last) }),
    },
  };
}
