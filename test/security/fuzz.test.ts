/**
 * Fuzzing every route with malformed requests and valid tokens: random and broken JSON, wrong types,
 * huge strings, unknown fields, deep nesting, impossible dates, prototype keys, wrong content types, odd
 * path parameters (not ids, encoded slashes, very long), odd query strings (unknown and repeated
 * parameters, bad cursors and limits, personal-identity garbage) and odd headers (If-Match garbage).
 * However wrong the request, the answer is never a 5xx, and every 4xx is a problem document with a detail.
 *
 * Most requests aim at real plans with `If-Match: *` and a JSON content type, so that they get past the
 * policy and the precondition to the parsing and the domain; the plans are replaced between batches, as
 * the odd request that is valid after all may close one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDED } from '../../shared/domain/commands/lifecycle.ts';
import { ROUTE_KEYS, type RouteKey } from '../../shared/http/routes.ts';
import { OTHER_ORG, startTestApi } from '../support/api.ts';
import { establishment, followUp, invitation, planDriver, sharingConsent } from '../support/process.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';
import { type Api, Histogram, mapLimit, problemFault, report, testPlanStore } from '../support/security.ts';

let api: Api;
let driver: ReturnType<typeof planDriver>;
/** The plans the requests aim at, with the ids of their records. */
interface Target {
  planId: string;
  consentId?: string;
  invitationId?: string;
  /** The plan's version as an ETag when the batch was made: most writes send it, so their bodies are read. */
  etag: string;
}
let targets: Target[] = [];
const STAGES = ['initiated', 'consented', 'invited', 'established'] as const;

async function seedTarget(stage: (typeof STAGES)[number]): Promise<Target> {
  const planId = await driver.planAt(stage);
  const plan = await testPlanStore().get(planId);
  return {
    planId,
    consentId: plan?.consents[0]?.id,
    invitationId: plan?.invitations[0]?.id,
    etag: `"${plan?.version ?? 1}"`,
  };
}

/** Replaces the plans a batch ended (closed, refused…) or that are gone, so the next batch reaches open plans. */
async function refreshTargets(): Promise<void> {
  const store = testPlanStore();
  // One after the other: a meeting is recorded with the API's clock moved past it, which would move it for
  // another plan's kallelse sent at the same time.
  const next: Target[] = [];
  for (const [i, stage] of STAGES.entries()) {
    const current = targets[i];
    const plan = current && (await store.get(current.planId));
    next.push(
      current && plan && !ENDED.includes(plan.status)
        ? { ...current, etag: `"${plan.version}"` }
        : await seedTarget(stage),
    );
  }
  targets = next;
}

beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
  await refreshTargets();
}, 120_000);
afterAll(() => api?.close());

/** A valid body for each route that takes one: the starting point of the mutations. */
const TEMPLATES: Partial<Record<RouteKey, unknown>> = {
  'POST /plans': elsa,
  'PATCH /plans/{planId}': {
    longTermGoal: 'Att bo kvar hemma.',
    subGoals: [{ text: 'Gå till brevlådan.' }],
    individual: elsa.individual,
    organisations: elsa.organisations,
    content: elsa.content,
    representatives: elsa.representatives,
  },
  'POST /plans/{planId}/consents': sharingConsent(),
  'POST /plans/{planId}/consents/{consentId}/withdrawal': {
    withdrawnAt: '2026-11-20T10:00:00+01:00',
    note: 'Återkallat muntligt.',
    informed: ['Elsa'],
    whereToTurn: 'Vårdcentralen.',
  },
  'POST /plans/{planId}/consent-refusal': { informedFirst: true, note: 'Vill inte.' },
  'POST /plans/{planId}/invitations': invitation(),
  'POST /plans/{planId}/invitations/{invitationId}/responses': {
    organisationId: HEMTJANST,
    kind: 'attend',
    attendee: { name: 'Bo Biståndshandläggare', email: 'bo@example.se' },
  },
  'POST /plans/{planId}/invitations/{invitationId}/reschedule': {
    startsAt: '2026-11-20T10:00:00+01:00',
    endsAt: '2026-11-20T11:00:00+01:00',
  },
  'POST /plans/{planId}/establishment': establishment(),
  'POST /plans/{planId}/follow-ups': followUp(),
  'POST /plans/{planId}/closure': { reason: 'needsMet', informed: ['Elsa'], whereToTurn: 'Vårdcentralen.' },
  'POST /plans/{planId}/restart': { longTermGoal: 'Ett nytt mål.', informed: [] },
  'POST /plans/{planId}/request-refusal': { reason: 'Behovet kan mötas inom en verksamhet.' },
  'POST /plans/{planId}/discharge-events': { event: 'admitted', at: '2026-11-20T10:00:00+01:00' },
};

/** Every path (as keys) to a value inside `value`, the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null)
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return here;
}

const HOLE = '\u0000POISON\u0000';

/** JSON texts that are wrong somewhere: types, sizes, depths, dates, numbers, keys. Raw, so depth is free. */
const poison: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'null',
      'true',
      '0',
      '-0',
      '1e309',
      '-1e309',
      '123456789012345678901234567890',
      '1.5',
      '""',
      '" "',
      '[]',
      '{}',
      '[null]',
      '"\\ud800"',
      '"\\u0000"',
      '"\\uffff\\ufffe"',
      '"<script>alert(1)</script>"',
      `"$\{jndi:ldap://x/a}"`,
      '"\' OR 1=1 --"',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      // Dates that match a timestamp's pattern, or almost, but are no date — or at the edges of time.
      '"2026-02-29T10:00:00+01:00"',
      '"2026-13-45T99:99:99Z"',
      '"2026-11-31"',
      '"0000-01-01T00:00:00Z"',
      '"9999-12-31T23:59:59.999-12:00"',
      '"+275760-09-13T00:00:00.000Z"',
      '"2026-11-20T10:00:00+25:00"',
      '"2026-11-20T10:00:00.1234567890123+01:00"',
      '"2026-11-20"',
      // Identity numbers that look right but are not.
      '{"type":"personnummer","value":"19000229-0000"}',
      '{"type":"personnummer","value":"00000000-0000"}',
      '{"type":"samordningsnummer","value":"19420375-2386"}',
      '{"type":"reservnummer","value":"x","issuer":""}',
    ),
    weight: 6,
  },
  {
    arbitrary: fc.integer({ min: 1_000, max: 150_000 }).map((n) => JSON.stringify('x'.repeat(n))),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `[${Array(n).fill('"x"').join(',')}]`),
    weight: 1,
  },
  {
    arbitrary: fc
      .integer({ min: 1, max: 3_000 })
      .map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`),
    weight: 1,
  },
  // Deep nesting, within the body limit: arrays, objects, and objects under a member the patch merges.
  {
    arbitrary: fc.integer({ min: 10, max: 60_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 10, max: 20_000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
    weight: 2,
  },
  {
    arbitrary: fc
      .integer({ min: 10, max: 10_000 })
      .map((d) => `${'{"content":'.repeat(d)}{}${'}'.repeat(d)}`),
    weight: 2,
  },
);

/** A template with one place poisoned, removed, or given an unknown sibling. */
const mutated = (template: unknown): fc.Arbitrary<string> => {
  const paths = pathsOf(template);
  return fc
    .record({
      path: fc.constantFrom(...paths),
      op: fc.constantFrom('replace', 'replace', 'replace', 'remove', 'unknown'),
      poison,
      key: fc.string({ maxLength: 20 }),
    })
    .map(({ path, op, poison, key }) => {
      const copy = structuredClone(template) as Record<string | number, unknown>;
      if (path.length === 0) return op === 'replace' ? poison : JSON.stringify(copy);
      const parent = path
        .slice(0, -1)
        .reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as
        | Record<string | number, unknown>
        | unknown[];
      const last = path.at(-1) as string | number;
      if (op === 'remove') {
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
        return JSON.stringify(copy);
      }
      if (op === 'unknown' && !Array.isArray(parent)) {
        parent[key || 'unknownField'] = HOLE;
      } else {
        (parent as Record<string | number, unknown>)[last] = HOLE;
      }
      return JSON.stringify(copy).replace(JSON.stringify(HOLE), poison);
    });
};

const body = (route: RouteKey): fc.Arbitrary<string | undefined> => {
  const template = TEMPLATES[route];
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 50 },
    {
      arbitrary: fc.constantFrom('', ' ', '{', '}', '[', 'null', '"x"', '{"a":1,}', "{'a':1}", '\ufeff{}'),
      weight: 50,
    },
    { arbitrary: fc.string({ maxLength: 200, unit: 'grapheme' }), weight: 50 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), weight: 100 },
    { arbitrary: poison, weight: 100 },
    ...(template
      ? [
          { arbitrary: mutated(template), weight: 500 },
          {
            arbitrary: fc.nat().map((n) => {
              const text = JSON.stringify(template);
              return text.slice(0, n % text.length);
            }),
            weight: 50,
          },
        ]
      : []),
    // Past the function's limit (128 KiB), and — rarely — past the gateway's (10 MB).
    { arbitrary: fc.constant(JSON.stringify({ longTermGoal: 'x'.repeat(200_000) })), weight: 50 },
    { arbitrary: fc.constant(`"${'x'.repeat(10 * 1024 * 1024 + 10)}"`), weight: 1 },
  );
};

/** Header values: printable ASCII, as HTTP allows. */
const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

/** Mostly the plan's current version (so the body is read), `*` (refused: 428), none, or odd values. */
const ifMatch = (current: string) =>
  fc.oneof(
    { arbitrary: fc.constant(current), weight: 25 },
    { arbitrary: fc.constant('*'), weight: 5 },
    { arbitrary: fc.constant(undefined), weight: 5 },
    {
      arbitrary: fc.constantFrom(
        '',
        '"1"',
        'W/"1"',
        '"',
        '""',
        '"1", *',
        '*, *',
        '"999999999999"',
        '"-1"',
        '1',
        'null',
      ),
      weight: 10,
    },
    { arbitrary: printable(60), weight: 5 },
    { arbitrary: printable(2_000), weight: 1 },
  );

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      'application/merge-patch+json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;;;',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '*/*',
      'application/problem+json',
    ),
    weight: 2,
  },
  { arbitrary: printable(40), weight: 1 },
);

/** A path parameter, already encoded for the path: the real id, another id, or something that is no id. */
const parameter = (real: string | undefined) =>
  fc.oneof(
    { arbitrary: fc.constant(real ?? '00000000-0000-4000-8000-000000000000'), weight: 30 },
    { arbitrary: fc.uuid(), weight: 2 },
    { arbitrary: fc.constant((real ?? '').toUpperCase() || 'X'), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        'a%2Fb',
        '%2F',
        '..%2F..%2Fetc%2Fpasswd',
        '%00',
        '%ZZ',
        '%',
        '%E0%A4%A',
        '%C0%AF',
        'null',
        'undefined',
        '__proto__',
        'constructor',
        '%20',
        '-1',
        '0',
        '1e309',
        'PLAN%23x',
        'a%3Fb%3Dc',
        '%F0%9F%92%A9',
        `${real ?? ''}%00`,
        `${real ?? ''}x`,
        ' ',
      ),
      weight: 4,
    },
    {
      arbitrary: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }).map(encodeURIComponent),
      weight: 2,
    },
    { arbitrary: fc.integer({ min: 200, max: 3_000 }).map((n) => 'a'.repeat(n)), weight: 1 },
  );

const QUERY_KEYS = ['limit', 'cursor', 'status', 'personalIdentity', 'state'];
const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1',
    '100',
    '101',
    '1.5',
    '1e2',
    '0x10',
    'abc',
    '99999999999999999999',
    ' 5',
    'NaN',
    'Infinity',
    'initiated',
    'closed',
    'overdue',
    'due',
    'upcoming',
    'bogus',
    // Cursors: not base64, base64 of nothing we gave, ours with garbage, another route's.
    'not-a-cursor',
    Buffer.from('v1:').toString('base64url'),
    Buffer.from('v1:../../x').toString('base64url'),
    Buffer.from('v1:ORG#SE2321000131-E000000000999').toString('base64url'),
    Buffer.from('v1:2026-11-20T10:00:00Z#x').toString('base64url'),
    Buffer.from('v1:99999999999').toString('base64url'),
    Buffer.from(`v1:${'9'.repeat(300)}`).toString('base64url'),
    // Identity numbers and garbage that looks like them.
    '194203152386',
    '19420315-2386',
    '420315+2386',
    '19420315-2387',
    '19000229-0000',
    '00000000-0000',
    '1942031523860',
    '----------',
    '++++++++',
    '19420375-2386',
    '99999999-9999',
  ),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[0-9+-]{0,16}$/),
  fc.base64String({ maxLength: 120 }),
);
const queryString = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  {
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ minLength: 1, maxLength: 12 })),
          queryValue,
        ),
        { minLength: 1, maxLength: 5 },
      )
      .map(
        (pairs) => `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
      ),
    weight: 6,
  },
  {
    arbitrary: fc.constantFrom('?', '?&&', '?=', '?limit', '?limit=1&limit=2', '?%', '?a=%ZZ', '?limit=%00'),
    weight: 1,
  },
);

const caller: fc.Arbitrary<FuzzRequest['as']> = fc.oneof(
  {
    arbitrary: fc.constant<FuzzRequest['as']>({
      organisationId: VARDCENTRAL,
      scopes: ['sip.read', 'sip.write', 'report.read'],
    }),
    weight: 8,
  },
  {
    arbitrary: fc.record({
      organisationId: fc.constantFrom(VARDCENTRAL, HEMTJANST, GERIATRIK, OTHER_ORG),
      scopes: fc.subarray(['sip.read', 'sip.write', 'report.read']),
      unitId: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }),
    }),
    weight: 2,
  },
);

interface FuzzRequest {
  method: string;
  path: string;
  rawBody?: string;
  headers: Record<string, string>;
  as: { organisationId: string; scopes: string[]; unitId?: string | undefined };
  route: string;
}

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

const request = (target: Target): fc.Arbitrary<FuzzRequest> =>
  fc.constantFrom(...ROUTE_KEYS).chain((route) => {
    const [routeMethod = 'GET', template = ''] = route.split(' ');
    return fc
      .record({
        planId: parameter(target.planId),
        consentId: parameter(target.consentId),
        invitationId: parameter(target.invitationId),
        // Mostly the route's own method; sometimes one it does not take (405), or a path no route has (404).
        shape: fc.oneof(
          { arbitrary: fc.constant('route'), weight: 8 },
          { arbitrary: fc.constant('method'), weight: 1 },
          { arbitrary: fc.constant('path'), weight: 1 },
        ),
        otherMethod: fc.constantFrom(...METHODS),
        oddPath: fc.constantFrom(
          '/plans/',
          '/PLANS',
          '/plans//x',
          '/plans/x/y/z',
          '/',
          '/deadlines/x',
          '/plans/%2e%2e',
        ),
        query: queryString,
        body: routeMethod === 'GET' ? fc.option(body(route), { freq: 8, nil: undefined }) : body(route),
        ifMatch: ifMatch(target.etag),
        contentType,
        extra: fc.option(
          fc.tuple(fc.constantFrom('x-fuzz', 'accept', 'accept-language', 'x-forwarded-for'), printable(80)),
          {
            nil: undefined,
          },
        ),
        as: caller,
      })
      .map((r): FuzzRequest => {
        const filled = template
          .replace('{planId}', r.planId)
          .replace('{consentId}', r.consentId)
          .replace('{invitationId}', r.invitationId);
        const headers: Record<string, string> = {};
        if (r.ifMatch !== undefined) headers['if-match'] = r.ifMatch;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.extra) headers[r.extra[0]] = r.extra[1];
        const method = r.shape === 'method' ? r.otherMethod : routeMethod;
        return {
          method,
          path: `${r.shape === 'path' ? r.oddPath : filled}${r.query}`,
          ...(r.body !== undefined && method !== 'GET' && { rawBody: r.body }),
          headers,
          as: r.as,
          route:
            r.shape === 'route'
              ? route
              : r.shape === 'method'
                ? `${method} ${template}`
                : `${method} ${r.oddPath}`,
        };
      });
  });

describe('fuzzing every route', () => {
  it('answers ≥ 10,000 malformed requests without a 5xx, every 4xx a problem document', async () => {
    const started = performance.now();
    const seed = Number(process.env.FC_SEED) || Math.floor(Math.random() * 2 ** 31);
    const batches = Number(process.env.FUZZ_BATCHES) || 20;
    const batchSize = 500;
    const statuses = new Histogram();
    const problems = new Histogram();
    const routes = new Set<string>();
    const faults: string[] = [];
    let sent = 0;
    let bytes = 0;
    for (let batch = 0; batch < batches; batch++) {
      await refreshTargets();
      const requests = fc.sample(
        fc.nat({ max: targets.length - 1 }).chain((i) => request(targets[i] as Target)),
        { numRuns: batchSize, seed: seed + batch },
      );
      await mapLimit(requests, 8, async (r) => {
        sent++;
        bytes += r.rawBody?.length ?? 0;
        routes.add(r.route);
        const summary = `${r.method} ${r.path.slice(0, 200)}${r.path.length > 200 ? '…' : ''} [${JSON.stringify(r.headers).slice(0, 200)}] body ${r.rawBody === undefined ? '-' : `${r.rawBody.length} chars: ${r.rawBody.slice(0, 160)}`}`;
        try {
          const res = await api.call(r.method, r.path, {
            as: { ...r.as, userId: 'fuzzer' },
            headers: r.headers,
            ...(r.rawBody !== undefined && { rawBody: r.rawBody }),
          });
          statuses.add(res.status);
          if (res.status >= 500) faults.push(`${res.status} for ${summary} → ${res.text.slice(0, 300)}`);
          else if (res.status >= 400) {
            problems.add(String(res.json?.type ?? res.headers.get('content-type')));
            const fault = problemFault(res);
            if (fault) faults.push(`${res.status} not a problem document (${fault}) for ${summary}`);
          }
        } catch (error) {
          statuses.add('no answer');
          faults.push(`no answer (${(error as Error).message}) for ${summary}`);
        }
      });
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    report('fuzz', {
      seed,
      requests: sent,
      'body MB': (bytes / 1024 / 1024).toFixed(1),
      'route shapes': routes.size,
      '5xx': [...statuses.counts.entries()].filter(([s]) => s.startsWith('5')).reduce((a, [, n]) => a + n, 0),
      faults: faults.length,
      seconds,
    });
    report('fuzz statuses', { histogram: statuses.toString() });
    report('fuzz problem types', { histogram: problems.toString() });
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(faults, `${faults.length} faults (seed ${seed}):\n${faults.slice(0, 20).join('\n')}`).toEqual([]);
  }, 900_000);

  // Found by this fuzz test: the merge patch is applied recursively, so a patch nested deep enough overflows
  // the stack (RangeError in applyMergePatch) and the caller gets a 500. Cold, 5,000 levels (30 KB) are enough;
  // once the function is optimised it takes more — 21,000 levels (126 KB, still inside the 128 KiB body
  // limit) overflow either way. Such a patch should be refused as invalid input, like any other bad patch.
  it.each([
    ['content', 21_000],
    ['individual', 21_000],
  ])(
    'refuses a merge patch nested deep under %s (%i levels) with a 400 problem, not a 500',
    async (member, depth) => {
      const planId = await driver.planAt('established');
      const rawBody = `{"${member}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      expect(Buffer.byteLength(rawBody)).toBeLessThan(128 * 1024);
      const etag = (await api.call('GET', `/plans/${planId}`)).headers.get('etag') ?? '';
      const res = await api.call('PATCH', `/plans/${planId}`, { rawBody, headers: { 'if-match': etag } });
      expect(res.status, res.text.slice(0, 300)).toBe(400);
      expect(problemFault(res)).toBeUndefined();
    },
  );
});
