/**
 * The application layer: the steps every way in — the API's operations and the workspace's pages — takes
 * to act on a plan. Find the plan the caller may act on, ask the policy, cut the plan to what the caller's
 * consent releases, and write a change — with the request's audit entry and its idempotency record — in one
 * transaction. No rule lives here: the rules are the domain's and the policy's.
 */
import { createHash } from 'node:crypto';
import type { DeadlineSettings } from '../domain/deadlines/settings.ts';
import {
  ForbiddenError,
  IdempotencyKeyReusedError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../domain/errors.ts';
import { type InformationCategory, releasedView } from '../domain/information.ts';
import type { Plan, PlanView } from '../domain/plan.ts';
import type { PlanChange } from '../domain/plan-change.ts';
import { Id } from '../domain/schema.ts';
import { type ApiRequest, type ApiResponse, planEtag } from '../http/api.ts';
import { type Action, accessOf, type Caller, type Decision, decide, releasedTo } from '../policy/policy.ts';
import type { IdentityReference } from '../privacy/identity-reference.ts';
import type { PrincipalRegister } from '../reporting/principals.ts';
import type { AuditLog } from '../store/audit-log.ts';
// Types only: a value import would bring the DynamoDB client into the reports' lazily loaded module too.
import type { IdempotencyStore, KeyScope } from '../store/idempotency.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { ReminderBook } from '../store/reminder-book.ts';
import type { ReportStore } from '../store/report-events.ts';
import type { SessionStore } from '../store/sessions.ts';

export interface Services {
  plans: PlanStore;
  idempotency: IdempotencyStore;
  /** The reporting record, and the register that names the principals in exports. */
  reports: ReportStore;
  /** The reminder book: what the deadline check handled of each plan, kept beside it. */
  book: ReminderBook;
  reportRegister: PrincipalRegister;
  audit: AuditLog;
  /** The workspace's sessions (the API has none: its callers bring a token). */
  sessions: SessionStore;
  identityReference: IdentityReference;
  deadlineSettings: DeadlineSettings;
  newId: (now?: number) => string;
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

/** Acts on the policy's decision: 404 for a concealed plan, 403 (typed by its rule, if any) otherwise. */
export function enforce(request: ApiRequest, decision: Decision, plan?: Plan): void {
  if (decision.allowed) return;
  request.audit.denied();
  if (decision.conceal && plan) throw new NotFoundError(`no plan ${plan.planId} that you can see`);
  throw new ForbiddenError(decision.reason, decision.rule, decision.pointer);
}

export const actorOf = (caller: Caller) => ({
  userId: caller.userId,
  organisationId: caller.organisationId,
  ...(caller.unitId && { unitId: caller.unitId }),
});

/** The categories of information the caller reads of `plan` now (see `releasedTo` in the policy). */
export const releasedToCaller = (request: ApiRequest, plan: Plan) =>
  releasedTo(accessOf(plan), request.caller.organisationId, request.now);

/** The plan as the caller may read it: what its consent releases, and no more (`information.ts`). */
export const callerView = (
  request: ApiRequest,
  plan: Plan,
  released: ReadonlySet<InformationCategory> = releasedToCaller(request, plan),
) => releasedView(plan, released, request.caller.organisationId) as PlanView;

/** The ETag of `version` of a plan as the caller reads it (`planEtag`: the version and the view's cut). */
const callerEtag = (request: ApiRequest, version: number, released: ReadonlySet<InformationCategory>) =>
  planEtag(version, { released, organisationId: request.caller.organisationId });

/** The ETag of the plan as the caller reads it now: what a plan answer carries, and a form sends back. */
export const planEtagFor = (request: ApiRequest, plan: Plan) =>
  callerEtag(request, plan.version, releasedToCaller(request, plan));

/** A plan answer: the caller's view of it, with the ETag of that view. */
export function planResponse(
  request: ApiRequest,
  status: number,
  plan: Plan,
  headers: Record<string, string> = {},
): ApiResponse {
  const released = releasedToCaller(request, plan);
  return {
    status,
    headers: { etag: callerEtag(request, plan.version, released), ...headers },
    body: callerView(request, plan, released),
  };
}

/** The header's value is an sf-string (`"…"`) in the draft; a bare token is taken too. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key, scoped to its caller; undefined when the request has none. */
function keyScopeOf(request: ApiRequest): KeyScope | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  const key = /^".*"$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  if (!KEY.test(key) || key.includes('"') || key.includes('\\')) {
    throw new ValidationError([
      { parameter: 'Idempotency-Key', detail: 'a quoted string of 1 to 255 visible ASCII characters' },
    ]);
  }
  return { organisationId: request.caller.organisationId, userId: request.caller.userId, key };
}

/** A request's fingerprint: what the key promises will be the same on a retry (operation, path, body). */
const fingerprintOf = (request: ApiRequest) =>
  createHash('sha256')
    .update(`${request.operationId}\u0000${request.path}\u0000`)
    .update(request.body ?? new Uint8Array())
    .digest('hex');

/**
 * The first answer to this request, when it is a retry under the same Idempotency-Key: a retry writes
 * nothing and gets what the first try got. The same key with another request is refused (422). A plan in
 * the answer is shown only while the caller may still read it.
 */
export async function replayed(request: ApiRequest, services: Services): Promise<ApiResponse | undefined> {
  const scope = keyScopeOf(request);
  if (!scope) return undefined;
  const record = await services.idempotency.find(scope, request.now);
  if (!record) return undefined;
  if (record.fingerprint !== fingerprintOf(request)) {
    throw new IdempotencyKeyReusedError(
      'this Idempotency-Key was used for another request in the last 24 hours; use a new key for a new request',
    );
  }
  let body = record.answer.body;
  const headers: Record<string, string> = { ...record.answer.headers, 'idempotent-replayed': 'true' };
  const answered = body as Partial<Plan> | undefined;
  if (answered?.planId) {
    const plan = await services.plans.get(answered.planId);
    if (!plan) throw new NotFoundError(`no plan ${answered.planId} that you can see`);
    authorize(request, 'plan.read', plan);
    // The first answer, as far as the caller may still read it: a consent may have narrowed since — and
    // its ETag names the view given now.
    const released = releasedToCaller(request, plan);
    body = releasedView(body as object, released, request.caller.organisationId);
    if (answered.version !== undefined) headers.etag = callerEtag(request, answered.version, released);
  }
  return { status: record.answer.status, headers, body };
}

/**
 * Writes the changes, the request's audit entry and, when the request has an Idempotency-Key, the record
 * of `answer` — all in one transaction — and returns `answer`. A write that loses to a retry of itself
 * under the same key (both tries in flight at once) answers as the winner did.
 */
export async function commit(
  request: ApiRequest,
  services: Services,
  changes: PlanChange[],
  answer: ApiResponse,
): Promise<ApiResponse> {
  const [first] = changes;
  if (!first) return answer;
  request.audit.concerns({
    planId: first.plan.planId,
    individualRef: services.identityReference(first.plan.individual.personalIdentity),
  });
  const scope = keyScopeOf(request);
  const also = [services.audit.write(request.audit.entry(answer.status))];
  if (scope) {
    const stored = { status: answer.status, headers: answer.headers ?? {}, body: answer.body };
    also.push(services.idempotency.recordWrite(scope, fingerprintOf(request), stored, request.now));
  }
  try {
    await services.plans.saveAll(changes, also);
  } catch (error) {
    const replay = error instanceof PreconditionFailedError ? await replayed(request, services) : undefined;
    if (replay) return replay;
    throw error;
  }
  request.audit.recorded = true;
  return answer;
}
