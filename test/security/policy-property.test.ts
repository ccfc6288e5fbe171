/**
 * The access policy, property-based, over HTTP: fast-check picks (plan, caller, scopes, request, instant)
 * tuples over a finite set of seeded plans — every reachable status × consent state × role layout — and
 * each request's outcome must be the pure policy's decision, `decide(caller, action, now, accessOf(plan))`:
 * no request allowed that the policy denies, none denied that it allows, every denial a problem document
 * with 403 — or 404 when the decision conceals the plan. Lists must show exactly the plans the policy lets
 * the caller read.
 *
 * Writes the policy allows would change the plans the next cases are decided on, so they are sent so that
 * the handler refuses them after the policy: with a stale If-Match (412) or, with the right one, a body
 * that is not JSON (400). Either proves "allowed", because a denial answers 403/404 before either is read.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlinesOf } from '../../shared/domain/deadlines/deadlines.ts';
import { participatingOrganisationIds } from '../../shared/domain/participants.ts';
import type { Plan, PlanStatus } from '../../shared/domain/plan.ts';
import { ROUTES, type RouteKey } from '../../shared/http/routes.ts';
import { type Action, accessOf, type Caller, decide, SCOPES } from '../../shared/policy/policy.ts';
import { startTestApi } from '../support/api.ts';
import {
  CALLERS,
  type CallerName,
  EXPIRES_AT,
  INSTANTS,
  type InstantName,
  LAPSES_AT,
  SEEDED_AT,
  type SeededPlan,
  STATUSES,
  seedPolicyPlans,
} from '../support/policy-plans.ts';
import {
  type Api,
  describeResponse,
  Histogram,
  mapLimit,
  problemFault,
  type Response,
  report,
} from '../support/security.ts';

let currentNow = SEEDED_AT;
let api: Api;
let seeded: SeededPlan[];
beforeAll(async () => {
  api = await startTestApi({ clock: () => currentNow });
  seeded = await seedPolicyPlans(api, (now) => {
    currentNow = now;
  });
}, 600_000);
afterAll(() => api?.close());

/** The requests on one plan, by the route they go to. */
const PLAN_REQUESTS = {
  getPlan: 'GET /plans/{planId}',
  revisions: 'GET /plans/{planId}/revisions',
  document: 'GET /plans/{planId}/document',
  planDeadlines: 'GET /plans/{planId}/deadlines',
  audit: 'GET /plans/{planId}/audit',
  patch: 'PATCH /plans/{planId}',
  giveConsent: 'POST /plans/{planId}/consents',
  withdrawConsent: 'POST /plans/{planId}/consents/{consentId}/withdrawal',
  respond: 'POST /plans/{planId}/invitations/{invitationId}/responses',
  dischargeEvent: 'POST /plans/{planId}/discharge-events',
  restart: 'POST /plans/{planId}/restart',
  closure: 'POST /plans/{planId}/closure',
} as const satisfies Record<string, RouteKey>;
type PlanRequest = keyof typeof PLAN_REQUESTS;
/** The lists: every plan of the organisation, one individual's plans, and the organisation's deadlines. */
const LIST_REQUESTS = ['listPlans', 'listByPerson', 'organisationDeadlines'] as const;
type ListRequest = (typeof LIST_REQUESTS)[number];
type RequestName = PlanRequest | ListRequest;
const REQUEST_NAMES = [...(Object.keys(PLAN_REQUESTS) as PlanRequest[]), ...LIST_REQUESTS];

interface Case {
  plan: number;
  caller: CallerName;
  scopes: string[];
  request: RequestName;
  instant: InstantName;
  /** How a write the policy allows is refused afterwards, so that it changes nothing. */
  refusal: 'staleIfMatch' | 'malformedBody';
  /** The status filter of a list, if any. */
  status: PlanStatus | null;
  deadlineState: 'overdue' | 'due' | 'upcoming' | null;
}

interface Result {
  allowed: boolean;
  /** The HTTP status expected from the decision (for lists: of the first page). */
  expected: number;
  requests: number;
  /** List cases: how many plans' presence was checked. */
  listChecks: number;
  fault?: string;
}

const caseArbitrary = (plans: number): fc.Arbitrary<Case> =>
  fc.record({
    plan: fc.nat({ max: plans - 1 }),
    caller: fc.constantFrom(...(Object.keys(CALLERS) as CallerName[])),
    // Any subset of the scopes, but mostly tokens that carry what the request needs, to reach the plan.
    scopes: fc.oneof(
      fc.subarray<string>([...SCOPES]),
      fc.constant<string[]>(['sip.read', 'sip.write']),
      fc.constant<string[]>([...SCOPES]),
    ),
    request: fc.constantFrom(...REQUEST_NAMES),
    // Mostly the millisecond before, at and after the expiry of the `expiring` consents.
    instant: fc.oneof(
      { arbitrary: fc.constantFrom<InstantName>('msBefore', 'atExpiry', 'msAfter'), weight: 3 },
      { arbitrary: fc.constantFrom<InstantName>('weekBefore', 'twoMonthsAfter'), weight: 1 },
    ),
    refusal: fc.constantFrom('staleIfMatch', 'malformedBody'),
    status: fc.option(fc.constantFrom(...STATUSES), { freq: 2 }),
    deadlineState: fc.option(fc.constantFrom('overdue', 'due', 'upcoming'), { freq: 4 }),
  });

const callerOf = (c: Case): Caller => ({
  userId: `policy-${c.caller}`,
  organisationId: CALLERS[c.caller],
  scopes: new Set(c.scopes),
});
const tokenOf = (c: Case) => ({
  as: { organisationId: CALLERS[c.caller], userId: `policy-${c.caller}`, scopes: c.scopes },
});

/** A stand-in id for a path parameter the plan has no record for (the policy decides before it is looked up). */
const NO_RECORD = '00000000-0000-4000-8000-000000000000';

function pathOf(route: RouteKey, plan: SeededPlan): string {
  return (route.split(' ')[1] ?? '')
    .replace('{planId}', plan.planId)
    .replace('{consentId}', plan.consentId ?? NO_RECORD)
    .replace('{invitationId}', plan.invitationId ?? NO_RECORD);
}

function describeCase(c: Case, plan: SeededPlan): string {
  return (
    `${c.request} on plan ${c.plan} (${plan.status}/${plan.consent}/${plan.layout}, ${plan.planId}) ` +
    `as ${c.caller} [${c.scopes.join(' ') || 'no scopes'}] at ${c.instant} (${new Date(INSTANTS[c.instant]).toISOString()})`
  );
}

async function runPlanCase(c: Case, request: PlanRequest): Promise<Result> {
  const plan = seeded[c.plan] as SeededPlan;
  const route = PLAN_REQUESTS[request];
  const [method = 'GET'] = route.split(' ');
  const action = ROUTES[route].action as Action;
  const decision = decide(callerOf(c), action, new Date(INSTANTS[c.instant]), accessOf(plan.plan));
  const write = method !== 'GET';
  const stale = c.refusal === 'staleIfMatch';
  const res = await api.call(method, pathOf(route, plan), {
    ...tokenOf(c),
    ...(write && {
      headers: {
        'if-match': stale ? '"0"' : `"${plan.plan.version}"`,
        'content-type': 'application/json',
      },
      rawBody: stale ? '{}' : '{"not json',
    }),
  });
  const expected = decision.allowed ? (write ? (stale ? 412 : 400) : 200) : decision.conceal ? 404 : 403;
  let fault: string | undefined;
  if (res.status !== expected) fault = `expected ${expected}, got ${describeResponse(res)}`;
  else if (!decision.allowed || write) fault = problemFault(res, expected);
  else fault = readFault(request, res, plan);
  if (fault && !decision.allowed) fault += ` (policy: ${decision.reason})`;
  return {
    allowed: decision.allowed,
    expected,
    requests: 1,
    listChecks: 0,
    ...(fault && { fault: `${describeCase(c, plan)}: ${method} ${pathOf(route, plan)} → ${fault}` }),
  };
}

/** An allowed read must answer with the plan's own data. */
function readFault(request: PlanRequest, res: Response, plan: SeededPlan): string | undefined {
  if (request === 'getPlan' && res.json?.planId !== plan.planId) return 'another plan in the body';
  if (request === 'revisions' && res.json?.items?.some((r: { planId: string }) => r.planId !== plan.planId))
    return "another plan's revision";
  if (request === 'audit' && res.json?.items?.some((e: { planId?: string }) => e.planId !== plan.planId))
    return "another plan's audit entry";
  if (request === 'document' && !res.headers.get('content-type')?.startsWith('text/html')) return 'not HTML';
  return undefined;
}

/** Pages through a list; returns the ids of what it listed and the responses' statuses. */
async function listAll(path: string, c: Case, key: (item: { planId: string; key?: string }) => string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let requests = 0;
  let first: Response | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const res = await api.call('GET', `${path}${cursor ? `${separator}cursor=${cursor}` : ''}`, tokenOf(c));
    requests++;
    first ??= res;
    if (res.status !== 200) return { ids, requests, res };
    ids.push(...res.json.items.map(key));
    cursor = res.json.nextCursor;
  } while (cursor && requests < 50);
  return { ids, requests, res: first as Response };
}

async function runListCase(c: Case, request: ListRequest): Promise<Result> {
  const plan = seeded[c.plan] as SeededPlan;
  const now = new Date(INSTANTS[c.instant]);
  const caller = callerOf(c);
  const decision = decide(caller, 'plan.list', now);
  const readable = (p: SeededPlan) => decide(caller, 'plan.read', now, accessOf(p.plan)).allowed;
  const status = c.status ? `&status=${c.status}` : '';
  let expectedIds: string[];
  let listed: Awaited<ReturnType<typeof listAll>>;
  let checks: number;
  if (request === 'listPlans') {
    const candidates = seeded.filter((p) => !c.status || p.status === c.status);
    expectedIds = candidates.filter(readable).map((p) => p.planId);
    checks = candidates.length;
    listed = await listAll(`/plans?limit=100${status}`, c, (item) => item.planId);
  } else if (request === 'listByPerson') {
    const candidates = !c.status || plan.status === c.status ? [plan] : [];
    expectedIds = candidates.filter(readable).map((p) => p.planId);
    checks = 1;
    listed = await listAll(
      `/plans?personalIdentity=${encodeURIComponent(plan.personalIdentity)}${status}`,
      c,
      (item) => item.planId,
    );
  } else {
    const state = c.deadlineState ?? 'overdue';
    expectedIds = seeded.filter(readable).flatMap((p) => deadlinesIn(p.plan, state, now));
    checks = seeded.length;
    listed = await listAll(
      `/deadlines?limit=100${c.deadlineState ? `&state=${c.deadlineState}` : ''}`,
      c,
      (item) => `${item.planId}|${item.key}`,
    );
  }
  const expected = decision.allowed ? 200 : 403;
  let fault: string | undefined;
  if (listed.res.status !== expected) fault = `expected ${expected}, got ${describeResponse(listed.res)}`;
  else if (!decision.allowed) fault = problemFault(listed.res, 403);
  else {
    const shown = new Set(listed.ids);
    const wanted = new Set(expectedIds);
    const leaked = listed.ids.filter((id) => !wanted.has(id));
    const hidden = expectedIds.filter((id) => !shown.has(id));
    if (leaked.length > 0 || hidden.length > 0 || shown.size !== listed.ids.length) {
      fault = `listed ${leaked.length} the policy denies (${leaked.slice(0, 3).join(', ')}), hid ${hidden.length} it allows (${hidden.slice(0, 3).join(', ')}), ${listed.ids.length - shown.size} twice`;
    }
  }
  return {
    allowed: decision.allowed,
    expected,
    requests: listed.requests,
    listChecks: decision.allowed ? checks : 0,
    ...(fault && { fault: `${describeCase(c, plan)} status=${c.status} state=${c.deadlineState}: ${fault}` }),
  };
}

/** The open deadlines of a plan in `state` at `now`, as `planId|key` (GET /deadlines's rule). */
function deadlinesIn(plan: Plan, state: string, now: Date): string[] {
  return deadlinesOf(plan, now)
    .filter((d) => !d.met)
    .filter((d) => {
      const current =
        d.dueAt.getTime() <= now.getTime()
          ? 'overdue'
          : (d.stages[0]?.at ?? d.dueAt).getTime() <= now.getTime()
            ? 'due'
            : 'upcoming';
      return current === state;
    })
    .map((d) => `${plan.planId}|${d.key}`);
}

const runCase = (c: Case) =>
  (LIST_REQUESTS as readonly string[]).includes(c.request)
    ? runListCase(c, c.request as ListRequest)
    : runPlanCase(c, c.request as PlanRequest);

/** The caller's role in a plan and the state of the consents naming it, for the coverage figures. */
function roleOf(plan: Plan, org: string): string {
  if (plan.convener.organisationId === org) return 'convener';
  if (plan.content?.leadResponsible?.organisationId === org) return 'lead';
  if (plan.invitations.some((i) => i.invitees.some((invitee) => invitee.organisationId === org)))
    return 'invitee';
  return participatingOrganisationIds(plan).has(org) ? 'participant' : 'non-participant';
}
function consentStateOf(plan: Plan, org: string): string {
  const sharing = plan.consents.filter((consent) => consent.kind === 'informationSharing');
  const latest = sharing.filter((consent) => consent.recipients.includes(org)).at(-1);
  if (!latest) return sharing.length > 0 ? 'namedOther' : 'none';
  if (latest.withdrawnAt) return 'withdrawn';
  if (Date.parse(latest.expiresAt) === Date.parse(LAPSES_AT)) return 'lapsed';
  const expires = Date.parse(latest.expiresAt);
  const expiry = Date.parse(EXPIRES_AT);
  // An ended plan is not checked for deadlines: its consent expired without being marked lapsed.
  return expires === expiry ? 'expiring' : expires < expiry ? 'expired' : 'active';
}

describe('the access policy over HTTP', () => {
  it('decides every request as the pure policy does: 0 allowed it denies, 0 denied it allows', async () => {
    const started = performance.now();
    const batches = Number(process.env.POLICY_BATCHES) || 100;
    const batchSize = 100;
    const seed = Number(process.env.FC_SEED) || Math.floor(Math.random() * 2 ** 31);
    const faults: string[] = [];
    const decisions = new Histogram();
    const statuses = new Histogram();
    const coverage = { role: new Histogram(), consent: new Histogram(), request: new Histogram() };
    let cases = 0;
    let requests = 0;
    let listChecks = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArbitrary(seeded.length), { minLength: batchSize, maxLength: batchSize }),
        async (batch) => {
          // The clock is the API's, for all requests in flight: one instant at a time.
          for (const instant of Object.keys(INSTANTS) as InstantName[]) {
            const group = batch.filter((c) => c.instant === instant);
            currentNow = new Date(INSTANTS[instant]);
            const results = await mapLimit(group, 8, runCase);
            results.forEach((result, i) => {
              const c = group[i] as Case;
              const plan = (seeded[c.plan] as SeededPlan).plan;
              cases++;
              requests += result.requests;
              listChecks += result.listChecks;
              decisions.add(result.allowed ? 'allowed' : 'denied');
              statuses.add(result.expected);
              coverage.role.add(roleOf(plan, CALLERS[c.caller]));
              coverage.consent.add(consentStateOf(plan, CALLERS[c.caller]));
              coverage.request.add(c.request);
              if (result.fault) faults.push(result.fault);
            });
          }
          // Mismatches are gathered over the whole run and asserted below, so that the figures count all.
          return true;
        },
      ),
      { numRuns: batches, seed, endOnFailure: true },
    );

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    report('policy-property', {
      seed,
      plans: seeded.length,
      cases,
      requests,
      allowed: decisions.get('allowed'),
      denied: decisions.get('denied'),
      'denied 403': statuses.get(403),
      'denied 404': statuses.get(404),
      'list presence checks': listChecks,
      mismatches: faults.length,
      seconds,
    });
    report('policy-property coverage', {
      roles: coverage.role.toString(),
      'consent states': coverage.consent.toString(),
      'expected statuses': statuses.toString(),
    });
    report('policy-property requests', { kinds: coverage.request.toString() });
    expect(cases).toBeGreaterThanOrEqual(10_000);
    expect(faults, `${faults.length} mismatches (seed ${seed}):\n${faults.slice(0, 30).join('\n')}`).toEqual(
      [],
    );
  }, 900_000);

  it('turns at the expiry’s very millisecond: allowed 1 ms before, denied at it and after', async () => {
    const plan = seeded.find(
      (p) => p.consent === 'expiring' && p.layout === 'otherLeads' && p.status === 'established',
    ) as SeededPlan;
    const read = async (org: string, at: number) => {
      currentNow = new Date(at);
      return (await api.call('GET', `/plans/${plan.planId}`, { as: { organisationId: org } })).status;
    };
    const close = async (org: string, at: number) => {
      currentNow = new Date(at);
      return (
        await api.call('POST', `/plans/${plan.planId}/closure`, {
          as: { organisationId: org },
          headers: { 'if-match': '"0"' },
          body: {},
        })
      ).status;
    };
    const patch = async (org: string, at: number) => {
      currentNow = new Date(at);
      return (
        await api.call('PATCH', `/plans/${plan.planId}`, {
          as: { organisationId: org },
          headers: { 'if-match': '"0"' },
          body: {},
        })
      ).status;
    };
    const { msBefore, atExpiry, msAfter } = INSTANTS;
    // Geriatrics takes part under the consent: it sees the plan until the expiry's millisecond.
    expect([await read(CALLERS.geriatrics, msBefore), await read(CALLERS.geriatrics, atExpiry)]).toEqual([
      200, 404,
    ]);
    expect(await read(CALLERS.geriatrics, msAfter)).toBe(404);
    // Home care leads: after the consent that named it ended, it may read and close (412: allowed, stale
    // ETag), but not change the plan.
    expect([await read(CALLERS.homeCare, atExpiry), await close(CALLERS.homeCare, atExpiry)]).toEqual([
      200, 412,
    ]);
    expect([await patch(CALLERS.homeCare, msBefore), await patch(CALLERS.homeCare, atExpiry)]).toEqual([
      412, 403,
    ]);
    // The convener keeps the plan regardless of consent.
    expect(await read(CALLERS.convener, msAfter)).toBe(200);
  });
});
