/**
 * The audit log is complete: 1,000 mixed requests — reads, writes, lists, bad input, the wrong
 * organisation, a missing scope, allowed and refused — each leave exactly one entry, with every field the
 * log promises and an outcome that agrees with the answer. Each request carries its own user id, so that
 * entries map 1:1 to requests; problem answers also name their request id, which must be the entry's.
 * And a write's entry is stored with the write, in one transaction: a refused write leaves its entry and
 * no change; of concurrent writes on one version, exactly one changes the plan.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRequest } from '../../infra/local/auth.ts';
import { AuditEntry, type AuditOutcome } from '../../shared/audit/entry.ts';
import { matchRoute } from '../../shared/http/route-match.ts';
import { ROUTES } from '../../shared/http/routes.ts';
import { OTHER_ORG, startTestApi } from '../support/api.ts';
import { establishment, planDriver } from '../support/process.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';
import {
  type Api,
  describeResponse,
  Histogram,
  mapLimit,
  type Response,
  report,
} from '../support/security.ts';

let api: Api;
let driver: ReturnType<typeof planDriver>;
/** Established, led by the convener: read, listed and written by the requests. */
let established: string;
/** Initiated, no consent: home care takes part but may not see it. */
let initiated: string;
/** Closed: read-only. */
let closed: string;
/** Established and never written by the run: refusals of its body meet a current If-Match every time. */
let quiet: string;
let quietEtag: string;
/** The established plan's newest ETag the run has seen: its writes send it, and race one another (412). */
let latest = '"1"';
beforeAll(async () => {
  // The entries' times are checked against the wall clock of each request: the API lives on it too.
  api = await startTestApi({ clock: () => new Date() });
  driver = planDriver(api);
  established = await driver.planAt('established');
  quiet = await driver.planAt('established');
  quietEtag = (await api.call('GET', `/plans/${quiet}`)).headers.get('etag') ?? '';
  latest = (await api.call('GET', `/plans/${established}`)).headers.get('etag') ?? '';
  initiated = await driver.planAt('initiated');
  closed = await driver.planAt('initiated');
  await driver.expectOk(closed, '/closure', {
    reason: 'noNewNeedsExpected',
    informed: [],
    whereToTurn: 'VC.',
  });
}, 120_000);
afterAll(() => api?.close());

/** One kind of request, and what its entry must say. */
interface Kind {
  name: string;
  method: string;
  path: () => string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string> | (() => Record<string, string>);
  token?: Partial<TokenRequest>;
  /** The statuses it may end with. */
  statuses: number[];
  /** The plan the entry must name: the path's (when it is a well-formed id), or the one created. */
  planId?: 'path' | 'created';
  /** Whether the request gets as far as reading the plan (or the individual), so its entry names the individual. */
  individual: boolean;
  /** Whether the plan named in the path exists (a 404 then conceals it: `denied`; otherwise `rejected`). */
  planExists?: boolean;
}

/** Writes that get past If-Match send the newest ETag seen; refusals before it send any. */
const current = () => ({ 'if-match': latest });
const stale = { 'if-match': '"1"' };
const KINDS: Kind[] = [
  {
    name: 'read plan',
    method: 'GET',
    path: () => `/plans/${established}`,
    statuses: [200],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'read revisions',
    method: 'GET',
    path: () => `/plans/${established}/revisions?limit=5`,
    statuses: [200],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'read document',
    method: 'GET',
    path: () => `/plans/${established}/document`,
    statuses: [200],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'read deadlines',
    method: 'GET',
    path: () => `/plans/${established}/deadlines`,
    statuses: [200],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'read audit log',
    method: 'GET',
    path: () => `/plans/${established}/audit?limit=5`,
    statuses: [200],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  { name: 'list plans', method: 'GET', path: () => '/plans?limit=5', statuses: [200], individual: false },
  {
    name: 'find by person',
    method: 'GET',
    path: () => '/plans?personalIdentity=194203152386',
    statuses: [200],
    individual: true,
  },
  {
    name: 'list deadlines',
    method: 'GET',
    path: () => '/deadlines?state=upcoming',
    statuses: [200],
    individual: false,
  },
  // Writes that go through (or lose a race to another one: 412); each changes the plan.
  {
    name: 'patch',
    method: 'PATCH',
    path: () => `/plans/${established}`,
    // The lead responsible's own named person: the part of an established plan its organisation edits.
    body: {
      content: {
        leadResponsible: {
          ...elsa.content.leadResponsible,
          person: { name: 'Anna Andersson', email: 'anna@example.se' },
        },
      },
    },
    headers: current,
    statuses: [200, 412],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'command',
    method: 'POST',
    path: () => `/plans/${established}/discharge-events`,
    body: { event: 'admitted', at: '2026-11-20T10:00:00+01:00' },
    headers: current,
    statuses: [200, 412],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'create',
    method: 'POST',
    path: () => '/plans',
    body: elsa,
    statuses: [201],
    planId: 'created',
    individual: true,
  },
  // Refused for what was asked.
  {
    name: 'stale If-Match',
    method: 'PATCH',
    path: () => `/plans/${established}`,
    body: { longTermGoal: 'x' },
    headers: { 'if-match': '"0"' },
    statuses: [412],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'no If-Match',
    method: 'PATCH',
    path: () => `/plans/${established}`,
    body: { longTermGoal: 'x' },
    statuses: [428],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'malformed JSON',
    method: 'PATCH',
    path: () => `/plans/${quiet}`,
    rawBody: '{"longTermGoal":',
    headers: () => ({ 'if-match': quietEtag }),
    statuses: [400],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'wrong media type',
    method: 'PATCH',
    path: () => `/plans/${quiet}`,
    rawBody: 'longTermGoal=x',
    headers: () => ({ 'if-match': quietEtag, 'content-type': 'text/plain' }),
    statuses: [415],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'invalid create',
    method: 'POST',
    path: () => '/plans',
    body: { individual: 42 },
    statuses: [400],
    individual: false,
  },
  { name: 'bad query', method: 'GET', path: () => '/plans?limit=0', statuses: [400], individual: false },
  {
    name: 'rule of the process',
    method: 'POST',
    path: () => `/plans/${established}/establishment`,
    body: establishment(),
    headers: current,
    statuses: [409, 412],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'no such plan',
    method: 'GET',
    path: () => `/plans/${randomUUID()}`,
    statuses: [404],
    planId: 'path',
    individual: false,
    planExists: false,
  },
  {
    name: 'not a plan id',
    method: 'GET',
    path: () => '/plans/not-a-plan-id',
    statuses: [404],
    individual: false,
    planExists: false,
  },
  // Refused by the policy.
  {
    name: 'other organisation',
    method: 'GET',
    path: () => `/plans/${established}`,
    token: { organisationId: OTHER_ORG },
    statuses: [404],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'no consent names it',
    method: 'GET',
    path: () => `/plans/${initiated}/revisions`,
    token: { organisationId: HEMTJANST },
    statuses: [404],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'other organisation writes',
    method: 'POST',
    path: () => `/plans/${established}/closure`,
    body: {},
    headers: stale,
    token: { organisationId: OTHER_ORG },
    statuses: [404],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'missing scope',
    method: 'GET',
    path: () => `/plans/${established}`,
    token: { scopes: ['report.read'] },
    statuses: [403],
    planId: 'path',
    individual: false,
    planExists: true,
  },
  {
    name: 'missing scope to write',
    method: 'PATCH',
    path: () => `/plans/${established}`,
    body: {},
    headers: stale,
    token: { scopes: ['sip.read'] },
    statuses: [403],
    planId: 'path',
    individual: false,
    planExists: true,
  },
  {
    name: 'missing scope to list',
    method: 'GET',
    path: () => '/deadlines',
    token: { scopes: [] },
    statuses: [403],
    individual: false,
  },
  {
    name: 'read-only plan',
    method: 'POST',
    path: () => `/plans/${closed}/consents`,
    body: {},
    headers: stale,
    statuses: [403],
    planId: 'path',
    individual: true,
    planExists: true,
  },
  {
    name: 'audit log, not the keeper',
    method: 'GET',
    path: () => `/plans/${established}/audit`,
    token: { organisationId: GERIATRIK },
    statuses: [403],
    planId: 'path',
    individual: true,
    planExists: true,
  },
];

interface Sent {
  n: number;
  kind: Kind;
  token: TokenRequest;
  path: string;
  res: Response;
  sentAt: number;
  answeredAt: number;
}

const userOf = (n: number) => `audit-u-${n}`;

function outcomeFor(kind: Kind, status: number): AuditOutcome {
  if (status >= 500) return 'failed';
  if (status < 400) return 'allowed';
  if (status === 403) return 'denied';
  if (status === 404 && kind.planExists) return 'denied';
  return 'rejected';
}

/** What is wrong with the entries of one request, if anything. */
function entryFault(sent: Sent, entries: AuditEntry[]): string | undefined {
  const { kind, res, token } = sent;
  if (entries.length !== 1) return `${entries.length} entries`;
  const entry = entries[0] as AuditEntry;
  const parsed = AuditEntry.safeParse(entry);
  if (!parsed.success) return `not a valid entry: ${parsed.error.message}`;
  if (!kind.statuses.includes(res.status)) return `answered ${describeResponse(res)}`;
  const match = matchRoute(kind.method, sent.path.split('?')[0] ?? '');
  const operationId = match && 'routeKey' in match ? ROUTES[match.routeKey].operationId : undefined;
  const planId =
    kind.planId === 'path'
      ? sent.path.split('/')[2]?.split('?')[0]
      : kind.planId === 'created'
        ? res.json?.planId
        : undefined;
  const expected: Partial<AuditEntry> = {
    userId: token.userId,
    organisationId: token.organisationId,
    unitId: token.unitId,
    action: operationId,
    planId,
    outcome: outcomeFor(kind, res.status),
    status: res.status,
  };
  for (const [field, value] of Object.entries(expected)) {
    const actual = entry[field as keyof AuditEntry];
    if (actual !== value) return `${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`;
  }
  if (kind.individual !== (entry.individualRef !== undefined))
    return `individualRef ${entry.individualRef ? 'present' : 'missing'}`;
  if (entry.individualRef !== undefined && !/^[\w-]{43}$/.test(entry.individualRef))
    return `individualRef ${entry.individualRef} is not a reference`;
  if (res.status >= 400 && res.json?.requestId !== entry.requestId)
    return `requestId ${entry.requestId}, the answer says ${res.json?.requestId}`;
  if (!entry.requestId) return 'no requestId';
  const at = Date.parse(entry.at);
  if (!(at >= sent.sentAt - 5 && at <= sent.answeredAt + 5))
    return `at ${entry.at} is not between the request (${new Date(sent.sentAt).toISOString()}) and its answer`;
  return undefined;
}

describe('the audit log', () => {
  it('holds exactly one complete entry for each of 1,000 mixed requests', async () => {
    const started = performance.now();
    const seed = Number(process.env.FC_SEED) || Math.floor(Math.random() * 2 ** 31);
    const kinds = fc.sample(fc.constantFrom(...KINDS), { numRuns: 1000, seed });
    const sent = await mapLimit(kinds, 8, async (kind, n): Promise<Sent> => {
      const token: TokenRequest = {
        organisationId: VARDCENTRAL,
        scopes: ['sip.read', 'sip.write'],
        ...kind.token,
        userId: userOf(n),
        // Half the callers act for a unit: the entry names it, the others' entries name none.
        ...(n % 2 === 0 && { unitId: `unit-${n % 7}` }),
      };
      const path = kind.path();
      const sentAt = Date.now();
      const res = await api.call(kind.method, path, {
        as: token,
        ...(kind.body !== undefined && { body: kind.body }),
        ...(kind.rawBody !== undefined && { rawBody: kind.rawBody }),
        ...(kind.headers && {
          headers: typeof kind.headers === 'function' ? kind.headers() : kind.headers,
        }),
      });
      // The newest version wins: answers of concurrent requests arrive in any order.
      const version = (tag: string | null) => Number(/^"(\d+)\./.exec(tag ?? '')?.[1] ?? -1);
      const etag = res.headers.get('etag');
      if (path.startsWith(`/plans/${established}`) && version(etag) > version(latest))
        latest = etag ?? latest;
      return { n, kind, token, path, res, sentAt, answeredAt: Date.now() };
    });

    const all = await api.auditEntries();
    const byUser = new Map<string, AuditEntry[]>();
    for (const entry of all) byUser.set(entry.userId, [...(byUser.get(entry.userId) ?? []), entry]);
    const faults = sent.flatMap((s) => {
      const fault = entryFault(s, byUser.get(s.token.userId ?? '') ?? []);
      return fault ? [`#${s.n} ${s.kind.name}: ${s.kind.method} ${s.path} → ${s.res.status}: ${fault}`] : [];
    });
    const mine = all.filter((entry) => entry.userId.startsWith('audit-u-'));
    const requestIds = new Set(mine.map((entry) => entry.requestId));
    // Every plan here is Elsa's: one individual, one reference, whichever request named her.
    const references = new Set(mine.flatMap((entry) => (entry.individualRef ? [entry.individualRef] : [])));

    const statuses = new Histogram();
    const outcomes = new Histogram();
    for (const s of sent) statuses.add(s.res.status);
    for (const entry of mine) outcomes.add(entry.outcome);
    report('audit-completeness', {
      seed,
      requests: sent.length,
      entries: mine.length,
      'requests with exactly one entry': sent.filter(
        (s) => (byUser.get(s.token.userId ?? '') ?? []).length === 1,
      ).length,
      'distinct request ids': requestIds.size,
      'problem answers matched by requestId': sent.filter((s) => s.res.status >= 400).length,
      faults: faults.length,
      seconds: ((performance.now() - started) / 1000).toFixed(1),
    });
    report('audit-completeness mix', { statuses: statuses.toString(), outcomes: outcomes.toString() });
    expect(faults, faults.slice(0, 30).join('\n')).toEqual([]);
    expect(mine).toHaveLength(1000);
    expect(requestIds.size).toBe(1000);
    expect(references.size).toBe(1);
    expect(statuses.get(500)).toBe(0);
  }, 180_000);

  it('stores a refused write’s entry and no change: 412 leaves one `rejected` entry and the plan as it was', async () => {
    const before = await api.call('GET', `/plans/${established}`);
    const revisionsBefore = (await api.call('GET', `/plans/${established}/revisions?limit=100`)).json.items;
    const items = await api.itemCount();
    const res = await api.call('PATCH', `/plans/${established}`, {
      body: { longTermGoal: 'Ändrat utan att ha läst' },
      headers: { 'if-match': `"${before.json.version - 1}"` },
      as: { organisationId: VARDCENTRAL, userId: 'stale-writer' },
    });
    expect(res.status).toBe(412);
    const entries = (await api.auditEntries()).filter((e) => e.userId === 'stale-writer');
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'patchPlan',
        planId: established,
        outcome: 'rejected',
        status: 412,
        requestId: res.json.requestId,
      }),
    ]);
    expect(await api.itemCount()).toBe(items);
    expect((await api.call('GET', `/plans/${established}`)).json).toEqual(before.json);
    expect((await api.call('GET', `/plans/${established}/revisions?limit=100`)).json.items).toEqual(
      revisionsBefore,
    );
  });

  it('of eight concurrent writes on one version, one changes the plan with its entry; seven leave `rejected` entries only', async () => {
    const before = await api.call('GET', `/plans/${established}`);
    const etag = before.headers.get('etag') ?? '';
    const lead = before.json.content.leadResponsible;
    const revisionsBefore = (await api.call('GET', `/plans/${established}/revisions?limit=100`)).json.items
      .length;
    const writers = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
    const answers = await Promise.all(
      writers.map((userId, i) =>
        api.call('PATCH', `/plans/${established}`, {
          // The lead responsible's own named person: a part its organisation may change by an edit.
          body: {
            content: { leadResponsible: { ...lead, person: { ...lead.person, title: `Titel ${i}` } } },
          },
          headers: { 'if-match': etag },
          as: { organisationId: VARDCENTRAL, userId },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    const winner = writers[answers.findIndex((a) => a.status === 200)];
    const entries = (await api.auditEntries()).filter((e) => e.userId.startsWith('racer-'));
    expect(entries).toHaveLength(8);
    expect(entries.filter((e) => e.outcome === 'allowed').map((e) => e.userId)).toEqual([winner]);
    expect(entries.filter((e) => e.outcome === 'rejected' && e.status === 412)).toHaveLength(7);
    const revisions = (await api.call('GET', `/plans/${established}/revisions?limit=100`)).json.items;
    expect(revisions).toHaveLength(revisionsBefore + 1);
    expect(revisions.at(-1).by.userId).toBe(winner);
    report('audit-atomicity', {
      'concurrent writers': writers.length,
      won: statuses.filter((s) => s === 200).length,
      '412': statuses.filter((s) => s === 412).length,
      entries: entries.length,
      'revisions added': revisions.length - revisionsBefore,
    });
  });
});
