/**
 * Every route of the API × every kind of bad credential: no token, a token signed with another key, an
 * expired one, one from another issuer, one for another audience — all 401 before any function runs; a
 * token without the scope the route needs — 403; a caller of an organisation that takes no part in the
 * plan — 404 on plan routes (as for a plan that does not exist), only its own plans in lists. Never a 2xx
 * with another organisation's data, and never a change to the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRequest } from '../../infra/local/auth.ts';
import {
  isPublic,
  ROUTE_KEYS,
  ROUTES,
  type RouteDeclaration,
  type RouteKey,
} from '../../shared/http/routes.ts';
import { ACTIONS, type Action, SCOPES } from '../../shared/policy/policy.ts';
import { ORG, OTHER_ORG, startTestApi } from '../support/api.ts';
import { planDriver } from '../support/process.ts';
import { elsa, minimal } from '../support/scenarios.ts';
import {
  type Api,
  describeResponse,
  Histogram,
  problemFault,
  type Response,
  report,
} from '../support/security.ts';
import { resignedWithAnotherKey } from '../support/tokens.ts';

let api: Api;
let planId: string;
let consentId: string;
let invitationId: string;
let ownPlanId: string;
beforeAll(async () => {
  api = await startTestApi();
  const driver = planDriver(api);
  planId = await driver.planAt('invited');
  const plan = (await api.call('GET', `/plans/${planId}`)).json;
  consentId = plan.consents[0].id;
  invitationId = plan.invitations[0].id;
  // The other organisation has a plan of its own, so that "only its own" is something to check.
  const own = await api.call('POST', '/plans', {
    body: {
      ...minimal,
      initiation: {
        ...minimal.initiation,
        noticedBy: { ...minimal.initiation.noticedBy, organisationId: OTHER_ORG, name: 'Annan vårdgivare' },
      },
    },
    as: { organisationId: OTHER_ORG, userId: 'outsider' },
  });
  if (own.status !== 201) throw new Error(`own plan: ${own.status} ${own.text}`);
  ownPlanId = own.json.planId;
});
afterAll(() => api?.close());

type Credential =
  | 'no token'
  | 'bad signature'
  | 'tampered claims'
  | 'unsigned (alg none)'
  | 'not a JWT'
  | 'Basic scheme'
  | 'expired'
  | 'wrong issuer'
  | 'wrong audience'
  | 'unusable claims'
  | 'missing scope'
  | 'other organisation'
  | 'valid (control)';

/** The credentials API Gateway must refuse (401) before the function runs — and the one the function refuses. */
const UNAUTHENTICATED: Credential[] = [
  'no token',
  'bad signature',
  'tampered claims',
  'unsigned (alg none)',
  'not a JWT',
  'Basic scheme',
  'expired',
  'wrong issuer',
  'wrong audience',
  'unusable claims',
];
const CREDENTIALS: Credential[] = [
  ...UNAUTHENTICATED,
  'missing scope',
  'other organisation',
  'valid (control)',
];

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The request options that carry `credential` for a route whose action needs `scope`. */
async function credentialOptions(credential: Credential, action: Action) {
  const user: TokenRequest = { organisationId: ORG, userId: 'matrix-user', scopes: [...SCOPES] };
  const bearer = (token: string) => ({ as: null, headers: { authorization: `Bearer ${token}` } });
  switch (credential) {
    case 'no token':
      return { as: null };
    case 'bad signature':
      return bearer(await resignedWithAnotherKey(await api.token(user)));
    case 'tampered claims': {
      // A genuine token whose payload is swapped for one naming another organisation.
      const [header, payload, signature] = (await api.token(user)).split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      return bearer(`${header}.${base64url({ ...claims, org_id: OTHER_ORG })}.${signature}`);
    }
    case 'unsigned (alg none)': {
      const [, payload] = (await api.token(user)).split('.');
      return bearer(`${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`);
    }
    case 'not a JWT':
      return bearer('not-a-token');
    case 'Basic scheme':
      return {
        as: null,
        headers: { authorization: `Basic ${Buffer.from('user:password').toString('base64')}` },
      };
    case 'expired':
      return { as: { ...user, expiresIn: -300 } };
    case 'wrong issuer':
      return { as: { ...user, issuer: 'https://idp.example.org/another-issuer' } };
    case 'wrong audience':
      return { as: { ...user, audience: 'another-api' } };
    case 'unusable claims':
      // Signed by the right key, but its organisation claim is no organisation id.
      return { as: { ...user, organisationId: 'not an organisation id!' } };
    case 'missing scope':
      return { as: { ...user, scopes: SCOPES.filter((scope) => scope !== ACTIONS[action]) } };
    case 'other organisation':
      return { as: { ...user, organisationId: OTHER_ORG, userId: 'outsider' } };
    case 'valid (control)':
      return { as: user };
  }
}

/** The routes under test: every route with an action (the docs routes are public), with a real plan's ids. */
const PROTECTED = ROUTE_KEYS.filter((key) => !isPublic(key));

interface Cell {
  route: RouteKey;
  variant: string;
  credential: Credential;
  res: Response;
  fault?: string | undefined;
}

function requestOf(route: RouteKey, variant: string) {
  const [method = 'GET', template = ''] = route.split(' ');
  let path = template
    .replace('{planId}', planId)
    .replace('{consentId}', consentId)
    .replace('{invitationId}', invitationId);
  if (variant === 'personalIdentity') path += '?personalIdentity=194203152386';
  if (route === REPORT) path += '?from=2026-01-01&to=2026-12-31';
  const write = method !== 'GET';
  return {
    method,
    path,
    // Writes carry a stale ETag, so that even a request let through by mistake would change nothing.
    ...(write && {
      headers: { 'if-match': '"0"' },
      body: route === 'POST /plans' ? elsa : {},
    }),
  };
}

/** Personal data and content of Elsa's plan that no refused caller may see. */
const SECRETS = [elsa.individual.name, '19420315', '194203152386', 'Storgatan', elsa.longTermGoal];

const isList = (route: RouteKey) => route === 'GET /plans' || route === 'GET /deadlines';
/** Counts of a principal's SIP work, not any plan: another organisation of the region reads them too. */
const REPORT: RouteKey = 'GET /reports/regional';

function faultOf(
  route: RouteKey,
  variant: string,
  credential: Credential,
  res: Response,
): string | undefined {
  const planRoute = route.includes('{planId}');
  const listRoute = isList(route);
  const write = !route.startsWith('GET ');
  if (credential !== 'valid (control)') {
    const secret = SECRETS.find((s) => res.text.includes(s));
    if (secret) return `the response shows "${secret}"`;
  }
  if (UNAUTHENTICATED.includes(credential)) return problemFault(res, 401);
  if (credential === 'missing scope') return problemFault(res, 403);
  if (credential === 'other organisation') {
    if (planRoute) return problemFault(res, 404);
    if (route === 'POST /plans') return problemFault(res, 403);
    if (res.status !== 200) return `status ${res.status}`;
    if (route === REPORT) {
      // The region's reader gets counts by principal: no plan, no id, nothing of any plan's content.
      return /planId|[0-9a-f]{8}-[0-9a-f]{4}-/.test(res.text) ? 'the report names a plan' : undefined;
    }
    const foreign = (res.json.items as { planId: string }[]).filter((item) => item.planId !== ownPlanId);
    if (foreign.length > 0) return `lists ${foreign.length} items of plans it takes no part in`;
    // Its own plan is listed: the list is the caller's, not an empty answer to everything.
    if (
      route === 'GET /plans' &&
      !variant &&
      !res.json.items.some((item: { planId: string }) => item.planId === ownPlanId)
    )
      return 'its own plan is missing';
    return undefined;
  }
  // The control: the same request with a good token reaches the plan (writes stop at the stale ETag).
  if (route === 'POST /plans') return res.status === 201 ? undefined : `status ${res.status}`;
  if (write) return problemFault(res, 412);
  if (listRoute || planRoute || route === REPORT)
    return res.status === 200 ? undefined : `status ${res.status}`;
  return undefined;
}

describe('every route × every kind of credential', () => {
  it('refuses every bad credential, leaks nothing to another organisation, and changes nothing', async () => {
    const started = performance.now();
    const cells: Cell[] = [];
    const before = (await api.call('GET', `/plans/${planId}`)).json;
    const itemsBefore = await api.itemCount();
    const rows = PROTECTED.flatMap((route): { route: RouteKey; variant: string }[] =>
      route === 'GET /plans'
        ? [
            { route, variant: '' },
            { route, variant: 'personalIdentity' },
          ]
        : [{ route, variant: '' }],
    );
    // The controls go last: POST /plans creates a plan with a good token.
    for (const credential of CREDENTIALS) {
      for (const { route, variant } of rows) {
        const request = requestOf(route, variant);
        const options = await credentialOptions(
          credential,
          (ROUTES[route] as RouteDeclaration).action as Action,
        );
        const res = await api.call(request.method, request.path, {
          ...('body' in request && { body: request.body }),
          ...options,
          headers: {
            ...('headers' in request && request.headers),
            ...('headers' in options && options.headers),
          },
        });
        cells.push({ route, variant, credential, res, fault: faultOf(route, variant, credential, res) });
      }
      if (credential === 'other organisation') {
        // Nothing above changed the plan or wrote anything but audit entries (which live in their own table).
        expect((await api.call('GET', `/plans/${planId}`)).json).toEqual(before);
        expect(await api.itemCount()).toBe(itemsBefore);
      }
    }

    // The matrix, printed: one line per route, the statuses by credential.
    const header = ['route', ...CREDENTIALS];
    console.log(
      [
        header.join(' | '),
        ...rows.map(({ route, variant }) =>
          [
            `${route}${variant ? ` ?${variant}` : ''}`,
            ...CREDENTIALS.map(
              (credential) =>
                cells.find((c) => c.route === route && c.variant === variant && c.credential === credential)
                  ?.res.status,
            ),
          ].join(' | '),
        ),
      ].join('\n'),
    );
    const statuses = new Histogram();
    for (const cell of cells) statuses.add(`${cell.credential} ${cell.res.status}`);
    const faults = cells.filter((c) => c.fault);
    const refused = cells.filter((c) => c.credential !== 'valid (control)');
    // Another organisation's 200s that are its own: its lists, and the report counts it may read.
    const ownLists = refused.filter(
      (c) => c.credential === 'other organisation' && (isList(c.route) || c.route === REPORT),
    );
    // A leak: a 2xx to a refused credential (but another organisation's own lists), or data it may not see.
    const leaks = refused.filter(
      (c) => (c.res.status < 300 && !ownLists.includes(c)) || /shows|lists \d+ items/.test(c.fault ?? ''),
    );
    report('credentials-matrix', {
      routes: PROTECTED.length,
      rows: rows.length,
      credentials: CREDENTIALS.length,
      requests: cells.length,
      'refused requests': refused.length,
      401: cells.filter((c) => c.res.status === 401).length,
      403: cells.filter((c) => c.credential !== 'valid (control)' && c.res.status === 403).length,
      404: cells.filter((c) => c.res.status === 404).length,
      'own-only lists': ownLists.length,
      leaks: leaks.length,
      faults: faults.length,
      seconds: ((performance.now() - started) / 1000).toFixed(1),
    });
    report('credentials-matrix statuses', { byCredential: statuses.toString() });
    expect(leaks).toEqual([]);
    expect(
      faults.map(
        (c) =>
          `${c.credential}: ${requestOf(c.route, c.variant).method} ${c.route} ${c.variant} → ${c.fault} (${describeResponse(c.res)})`,
      ),
    ).toEqual([]);
    // Five routes need no token: the description, the docs page and its script, the problem types' pages.
    expect(PROTECTED.length).toBe(Object.keys(ROUTES).length - 5);
  }, 120_000);

  it('answers another organisation exactly as if the plan did not exist', async () => {
    const nowhere = '11111111-1111-4111-8111-111111111111';
    const outsider = { as: { organisationId: OTHER_ORG, userId: 'outsider' } };
    for (const route of PROTECTED.filter((r) => r.includes('{planId}'))) {
      const { method, path, ...rest } = requestOf(route, '');
      const options = { ...rest, ...outsider };
      const hidden = await api.call(method, path, options);
      const missing = await api.call(method, path.replace(planId, nowhere), options);
      const shape = (res: Response) => ({
        status: res.status,
        type: res.headers.get('content-type'),
        body: {
          ...res.json,
          requestId: undefined,
          instance: undefined,
          detail: res.json?.detail?.replace(planId, nowhere),
        },
      });
      expect(shape(hidden), route).toEqual(shape(missing));
      expect(hidden.status, route).toBe(404);
    }
  });

  // RFC 9110 § 15.5.2: a 401 MUST carry WWW-Authenticate. The gateway's refusals do (Bearer); the function's
  // own 401 — a verified token whose claims are unusable (`callerFromClaims`) — does not.
  it('tells the client how to authenticate in every 401: WWW-Authenticate: Bearer', async () => {
    const missing: string[] = [];
    for (const credential of UNAUTHENTICATED) {
      for (const route of PROTECTED) {
        const request = requestOf(route, '');
        const options = await credentialOptions(
          credential,
          (ROUTES[route] as RouteDeclaration).action as Action,
        );
        const res = await api.call(request.method, request.path, {
          ...('body' in request && { body: request.body }),
          ...options,
          headers: {
            ...('headers' in request && request.headers),
            ...('headers' in options && options.headers),
          },
        });
        if (res.status === 401 && !/^Bearer\b/i.test(res.headers.get('www-authenticate') ?? ''))
          missing.push(`${credential}: ${route}`);
      }
    }
    expect(missing, `${missing.length} 401s without WWW-Authenticate: Bearer`).toEqual([]);
  });
});
