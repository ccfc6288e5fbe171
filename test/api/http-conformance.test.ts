/**
 * The API as HTTP (RFC 9110), problem details (RFC 9457) and bearer tokens (RFC 6750) say it must behave,
 * over the local gateway against DynamoDB Local: HEAD, 405 with Allow, conditional reads, caching, the
 * problem types' pages, the 401 challenge and CORS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_KEYS } from '../../shared/http/routes.ts';
import { startTestApi } from '../support/api.ts';
import { invitation, planDriver } from '../support/process.ts';
import { elsa, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
let planId: string;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
  planId = await driver.planAt('established');
});
afterAll(() => api?.close());

const REPORT_READER = { organisationId: VARDCENTRAL, scopes: ['sip.read', 'report.read'] };

/** A concrete path for each GET route, and who may read it. */
const readable = (routeKey: string) => {
  const path = routeKey
    .slice(4)
    .replace('{planId}', planId)
    .replace('{problemType}', 'precondition-failed')
    .replace('/reports/regional', '/reports/regional?from=2026-11-01&to=2026-11-30');
  return { path, as: routeKey.includes('/reports/') ? REPORT_READER : {} };
};

describe('HEAD (RFC 9110 9.3.2)', () => {
  it.each(ROUTE_KEYS.filter((key) => key.startsWith('GET ')))(
    'is answered on %s as GET is, without the content',
    async (routeKey) => {
      const { path, as } = readable(routeKey);
      const get = await api.call('GET', path, { as });
      const head = await api.call('HEAD', path, { as });
      expect(get.status, get.text).toBe(200);
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
      for (const name of ['content-type', 'etag', 'cache-control'])
        expect(head.headers.get(name), name).toBe(get.headers.get(name));
    },
  );

  it('is refused like GET: without a token 401, on an unknown plan 404', async () => {
    expect((await api.call('HEAD', `/plans/${planId}`, { as: null })).status).toBe(401);
    expect((await api.call('HEAD', '/plans/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('405 (RFC 9110 15.5.6)', () => {
  it.each([
    ['DELETE', '/plans', ['GET', 'HEAD', 'POST']],
    ['PUT', '/plans/{planId}', ['GET', 'HEAD', 'PATCH']],
    ['GET', '/plans/{planId}/closure', ['POST']],
    ['POST', '/docs', ['GET', 'HEAD']],
  ])('%s %s carries Allow: %s', async (method, template, allowed) => {
    const res = await api.call(method, template.replace('{planId}', planId), {
      ...(method !== 'GET' && { body: {} }),
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim());
    expect(allow.sort()).toEqual(allowed);
  });
});

describe('conditional reads (RFC 9110 13.1.2, 15.4.5)', () => {
  it('GET /plans/{planId} answers a current If-None-Match with 304 and no content, a stale one with the plan', async () => {
    const read = await api.call('GET', `/plans/${planId}`);
    const etag = read.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"\d+\.[\w-]+"$/);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"0", ${etag}`, '*']) {
      const res = await api.call('GET', `/plans/${planId}`, { headers: { 'if-none-match': ifNoneMatch } });
      expect(res.status, ifNoneMatch).toBe(304);
      expect(res.text).toBe('');
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const stale = await api.call('GET', `/plans/${planId}`, { headers: { 'if-none-match': '"0"' } });
    expect(stale.status).toBe(200);
    expect(stale.json.planId).toBe(planId);
    const head = await api.call('HEAD', `/plans/${planId}`, { headers: { 'if-none-match': etag } });
    expect(head.status).toBe(304);
  });

  it('the document has an ETag of its own, answered with 304 until the plan changes', async () => {
    const id = await driver.create(elsa);
    const first = await api.call('GET', `/plans/${id}/document`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(etag).not.toBe('"1"'); // the page is another representation than the plan's JSON
    const again = await api.call('GET', `/plans/${id}/document`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    await driver.patch(id, { longTermGoal: 'Att kunna gå till affären själv igen.' });
    const changed = await api.call('GET', `/plans/${id}/document`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('Att kunna gå till affären själv igen.');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('a write is not answered with 304: If-None-Match applies to reads only', async () => {
    const id = await driver.create(elsa);
    const res = await api.call('PATCH', `/plans/${id}`, {
      body: { longTermGoal: 'Ett nytt mål.' },
      headers: { 'if-match': '"1"', 'if-none-match': '*' },
    });
    expect(res.status).toBe(200);
  });
});

describe('Cache-Control', () => {
  it('every answer of the API says no-store: plans, people and who did what are never kept by a cache', async () => {
    const id = await driver.create(elsa);
    const answers = [
      await api.call('POST', '/plans', { body: elsa }),
      await api.call('GET', `/plans/${id}`),
      await api.call('GET', '/plans'),
      await api.call('GET', `/plans?personalIdentity=194203152386`),
      await api.call('GET', `/plans/${id}/revisions`),
      await api.call('GET', `/plans/${id}/document`),
      await api.call('GET', `/plans/${id}/deadlines`),
      await api.call('GET', '/deadlines'),
      await api.call('GET', `/plans/${id}/audit`),
      await api.call('GET', '/reports/regional?from=2026-11-01&to=2026-11-30', { as: REPORT_READER }),
      await driver.send(id, '/consents', { kind: 'informationSharing' }),
      await api.call('GET', '/plans/00000000-0000-4000-8000-000000000000'),
    ];
    for (const res of answers)
      expect(res.headers.get('cache-control'), `${res.status} ${res.text}`).toBe('no-store');
  });
});

describe('problem types (RFC 9457 3.1.1)', () => {
  it('every type the API answered with in this file resolves, without a token, to a page that explains it', async () => {
    const id = await driver.create(elsa);
    const problems = [
      await api.call('POST', `/plans/${id}/invitations`, {
        body: invitation(),
        headers: { 'if-match': '"1"' },
      }),
      await api.call('POST', `/plans/${id}/consents`, { body: {}, headers: { 'if-match': '"7"' } }),
      await api.call('POST', `/plans/${id}/consents`, { body: {} }),
      await api.call('POST', '/plans', { body: { individual: {} } }),
      await api.call('POST', '/plans', { rawBody: '{', headers: { 'content-type': 'application/json' } }),
      await api.call('POST', '/plans', { rawBody: 'x', headers: { 'content-type': 'text/plain' } }),
      await api.call('GET', '/plans/00000000-0000-4000-8000-000000000000'),
      await api.call('DELETE', '/plans'),
      await api.call('POST', '/plans', { body: elsa, as: { scopes: ['sip.read'] } }),
      await api.call('GET', '/plans', { as: null }),
    ];
    const types = problems.map((p) => p.json?.type);
    expect(new Set(problems.map((p) => p.status))).toEqual(
      new Set([409, 412, 428, 400, 415, 404, 405, 403, 401]),
    );
    for (const problem of problems) {
      const page = await fetch(new URL(problem.json.type, api.url));
      expect(page.status, problem.json.type).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      // The page names the title the problem carries, in its own words.
      expect(html).toContain(`<h1>${problem.json.title.replaceAll('&', '&amp;')}</h1>`);
      expect(html).toContain(String(problem.json.status));
    }
    // A refused command is typed by its rule, not by the general kind.
    expect(types[0]).toMatch(/^\/problems\/[a-z-]+$/);
    expect(types[0]).not.toBe('/problems/rule-violation');
  });

  it('/problems lists every type with a link to its page; an unknown type is a 404 problem', async () => {
    const index = await fetch(`${api.url}/problems`);
    expect(index.status).toBe(200);
    const html = await index.text();
    for (const type of ['validation-failed', 'internal-error', 'consent-missing', 'summoned-cannot-decline'])
      expect(html).toContain(`href="problems/${type}"`);
    const unknown = await fetch(`${api.url}/problems/no-such-thing`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(((await unknown.json()) as { type: string }).type).toBe('/problems/not-found');
  });
});

describe('the 401 challenge (RFC 6750 3.1)', () => {
  it('says Bearer alone when no token came', async () => {
    const res = await api.call('GET', '/plans', { as: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('says error="invalid_token" when the token sent was refused or is not usable', async () => {
    const forged = await api.call('GET', '/plans', {
      as: null,
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    // Signed with the provider's key (it never issues one without an organisation), verified, then refused.
    const noOrganisation = await api.call('GET', '/plans', {
      as: { organisationId: '', issuer: api.issuer },
    });
    for (const res of [forged, noOrganisation]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b.*\berror="invalid_token"/);
    }
  });
});

describe('CORS', () => {
  const ORIGIN = 'https://journal.region.example.se';

  it('answers no other origin by default: no preflight, no CORS headers', async () => {
    const preflight = await fetch(`${api.url}/plans`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const read = await api.call('GET', '/plans', { headers: { origin: ORIGIN } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a configured origin call the API: the preflight without a token, the answer readable with its ETag', async () => {
    const cors = await startTestApi({ allowedOrigins: [ORIGIN] });
    try {
      const preflight = await fetch(`${cors.url}/plans/${planId}`, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization, content-type, if-match',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(preflight.headers.get('access-control-allow-methods')?.split(',')).toContain('PATCH');
      const allowedHeaders = preflight.headers.get('access-control-allow-headers')?.split(',') ?? [];
      expect(allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'if-match']));

      const created = await cors.call('POST', '/plans', { body: elsa, headers: { origin: ORIGIN } });
      expect(created.status).toBe(201);
      expect(created.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(created.headers.get('access-control-expose-headers')?.split(',')).toEqual(
        expect.arrayContaining(['etag', 'location']),
      );

      const stranger = await fetch(`${cors.url}/plans`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
      const strangerRead = await cors.call('GET', '/plans', { headers: { origin: 'https://evil.example' } });
      expect(strangerRead.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.close();
    }
  });
});
