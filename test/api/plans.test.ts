import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_ORG, startTestApi } from '../support/api.ts';
import { sharingConsent } from '../support/process.ts';
import { elsa, GERIATRIK, HEMTJANST, minimal, VARDCENTRAL } from '../support/scenarios.ts';
import { resignedWithAnotherKey } from '../support/tokens.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const clone = <T>(value: T): T => structuredClone(value);

describe('POST /plans', () => {
  it('accepts the minimal body and answers 201 with the plan, Location and ETag', async () => {
    const res = await api.call('POST', '/plans', { body: minimal });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toMatch(/^"1\.[\w-]+"$/);
    expect(res.headers.get('location')).toBe(`/plans/${res.json.planId}`);
    expect(res.json).toMatchObject({
      status: 'initiated',
      version: 1,
      individual: {
        personalIdentity: { type: 'personnummer', value: '191212121212' },
        name: 'Tolvan Tolvansson',
      },
      convener: minimal.initiation.noticedBy,
      createdBy: { userId: 'user-1', organisationId: VARDCENTRAL },
    });
    expect(res.json.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[12]:00$/);
  });

  it('stores a plan with full content and gives each intervention an id', async () => {
    const res = await api.call('POST', '/plans', { body: elsa });
    expect(res.status).toBe(201);
    const read = await api.call('GET', `/plans/${res.json.planId}`);
    expect(read.status).toBe(200);
    expect(read.json.content.interventions).toHaveLength(2);
    for (const intervention of read.json.content.interventions)
      expect(intervention.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(read.json.longTermGoal).toBe(elsa.longTermGoal);
    expect(read.json.organisations.map((o: { organisationId: string }) => o.organisationId)).toEqual([
      VARDCENTRAL,
      HEMTJANST,
      GERIATRIK,
    ]);
  });

  it.each([
    [
      'a personnummer with a wrong check digit',
      { individual: { personalIdentity: { type: 'personnummer', value: '19121212-1213' } } },
      '/individual/personalIdentity/value',
    ],
    ['an unknown field', { individual: { shoeSize: 42 } }, '/individual/shoeSize'],
    ['a wrong type', { initiation: { noticedAt: 20261120 } }, '/initiation/noticedAt'],
    ['a string past its bound', { individual: { name: 'x'.repeat(201) } }, '/individual/name'],
    [
      'a timestamp without offset',
      { initiation: { noticedAt: '2026-11-20T09:00:00' } },
      '/initiation/noticedAt',
    ],
    ['an unknown trigger', { initiation: { trigger: 'hunch' } }, '/initiation/trigger'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_, change, pointer) => {
    const before = await api.itemCount();
    const body = merge(clone(minimal), change);
    const res = await api.call('POST', '/plans', { body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.type).toBe('/problems/validation-failed');
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await api.itemCount()).toBe(before);
  });

  it('refuses malformed JSON, an oversized body and a non-JSON media type, writing nothing', async () => {
    const before = await api.itemCount();
    const malformed = await api.call('POST', '/plans', { rawBody: '{"individual": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.type).toBe('/problems/malformed-json');
    const oversized = await api.call('POST', '/plans', {
      rawBody: JSON.stringify({ ...minimal, pad: 'x'.repeat(200_000) }),
    });
    expect(oversized.status).toBe(400);
    expect(oversized.json.type).toBe('/problems/body-too-large');
    const form = await api.call('POST', '/plans', {
      rawBody: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.headers.get('content-type')).toBe('application/problem+json');
    expect(await api.itemCount()).toBe(before);
  });

  it('never echoes the body back in a problem, not even in a JSON syntax error', async () => {
    const res = await api.call('POST', '/plans', {
      rawBody: '{"individual": {"name": Tolvan 191212121212}}',
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/Tolvan|191212/);
    expect(res.json.detail).toMatch(/^the body is not valid JSON/);
  });

  it('refuses an organisation named in a role but not among the organisations', async () => {
    const body = clone(elsa);
    body.content.interventions = body.content.interventions.map((intervention, index) =>
      index === 0 ? { ...intervention, responsibleOrganisationId: OTHER_ORG } : intervention,
    );
    const res = await api.call('POST', '/plans', { body });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([
      {
        pointer: '/content/interventions/0/responsibleOrganisationId',
        detail: 'add this organisation to organisations first',
      },
    ]);
  });

  it('refuses a plan the caller’s organisation would not take part in', async () => {
    const res = await api.call('POST', '/plans', { body: minimal, as: { organisationId: OTHER_ORG } });
    expect(res.status).toBe(403);
    expect(res.json.detail).toMatch(/take part/);
  });
});

describe('GET /plans/{planId}', () => {
  it('answers 404 problem+json for an unknown or malformed id', async () => {
    for (const id of ['0192a6b0-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const res = await api.call('GET', `/plans/${id}`);
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ type: '/problems/not-found', status: 404 });
    }
  });

  it('conceals a plan from an organisation that does not take part (404, not 403)', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const res = await api.call('GET', `/plans/${created.json.planId}`, { as: { organisationId: OTHER_ORG } });
    expect(res.status).toBe(404);
  });

  it('lets a participating organisation read the plan once a valid consent names it, and not before', async () => {
    const created = await api.call('POST', '/plans', { body: elsa });
    const path = `/plans/${created.json.planId}`;
    const before = await api.call('GET', path, { as: { organisationId: HEMTJANST } });
    expect(before.status).toBe(404);
    expect(before.headers.get('content-type')).toBe('application/problem+json');
    const consent = await api.call('POST', `${path}/consents`, {
      body: sharingConsent(),
      headers: { 'if-match': '"1"' },
    });
    expect(consent.status).toBe(200);
    const res = await api.call('GET', path, { as: { organisationId: HEMTJANST } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"2\.[\w-]+"$/);
  });
});

describe('PATCH /plans/{planId}', () => {
  it('applies a merge patch with If-Match, bumps the version and returns the new ETag', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const res = await api.call('PATCH', `/plans/${created.json.planId}`, {
      body: { longTermGoal: 'Gå i skolan tre dagar i veckan.', individual: { name: 'Tolvan T.' } },
      headers: { 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"2\.[\w-]+"$/);
    expect(res.json).toMatchObject({
      version: 2,
      longTermGoal: 'Gå i skolan tre dagar i veckan.',
      individual: { name: 'Tolvan T.' },
    });
    expect(res.json.individual.personalIdentity.value).toBe('191212121212');
  });

  it('removes a part patched to null', async () => {
    const created = await api.call('POST', '/plans', { body: elsa });
    const res = await api.call('PATCH', `/plans/${created.json.planId}`, {
      body: { subGoals: null },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.json.subGoals).toBeUndefined();
  });

  it('answers 428 without If-Match and 412 with a stale ETag, writing nothing', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const path = `/plans/${created.json.planId}`;
    const before = await api.itemCount();
    const missing = await api.call('PATCH', path, { body: { longTermGoal: 'x' } });
    expect(missing.status).toBe(428);
    expect(missing.json.type).toBe('/problems/precondition-required');
    const stale = await api.call('PATCH', path, {
      body: { longTermGoal: 'x' },
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.type).toBe('/problems/precondition-failed');
    expect(await api.itemCount()).toBe(before);
    expect((await api.call('GET', path)).json.version).toBe(1);
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const path = `/plans/${created.json.planId}`;
    const results = await Promise.all(
      ['Mål A', 'Mål B', 'Mål C'].map((goal) =>
        api.call('PATCH', path, { body: { longTermGoal: goal }, headers: { 'if-match': '"1"' } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    const revisions = await api.call('GET', `${path}/revisions`);
    expect(revisions.json.items.map((r: { version: number }) => r.version)).toEqual([1, 2]);
  });

  it('refuses to edit parts the service or the process commands own', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const res = await api.call('PATCH', `/plans/${created.json.planId}`, {
      body: { status: 'established', version: 9, consents: [], favouriteColour: 'blue' },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/status', detail: expect.stringMatching(/not editable/) },
        { pointer: '/favouriteColour', detail: 'unknown field' },
      ]),
    );
  });

  it('validates the merged result and names the patched field', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const res = await api.call('PATCH', `/plans/${created.json.planId}`, {
      body: { individual: { personalIdentity: { value: '19121212-1213' } } },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([
      { pointer: '/individual/personalIdentity/value', detail: 'the check digit is wrong' },
    ]);
  });

  it('makes no new version when the patch changes nothing', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const res = await api.call('PATCH', `/plans/${created.json.planId}`, {
      body: { individual: { name: 'Tolvan Tolvansson' } },
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"1\.[\w-]+"$/);
  });

  it('moves the plan into the lists of organisations that join and out of those that leave', async () => {
    const created = await api.call('POST', '/plans', { body: elsa });
    const planId = created.json.planId;
    await api.call('POST', `/plans/${planId}/consents`, {
      body: sharingConsent(),
      headers: { 'if-match': '"1"' },
    });
    const listed = async (org: string) =>
      (await api.call('GET', '/plans?limit=100', { as: { organisationId: org } })).json.items.some(
        (p: { planId: string }) => p.planId === planId,
      );
    expect(await listed(HEMTJANST)).toBe(true);
    const withoutHemtjanst = {
      organisations: elsa.organisations.filter((o) => o.organisationId !== HEMTJANST),
      content: {
        interventions: elsa.content.interventions.filter((i) => i.responsibleOrganisationId !== HEMTJANST),
      },
    };
    const res = await api.call('PATCH', `/plans/${planId}`, {
      body: withoutHemtjanst,
      headers: { 'if-match': '"2"' },
    });
    expect(res.status).toBe(200);
    expect(await listed(HEMTJANST)).toBe(false);
    expect(await listed(VARDCENTRAL)).toBe(true);
  });
});

describe('GET /plans', () => {
  it('lists only the caller organisation’s plans, newest first, filtered by status, page by page', async () => {
    const org = 'SE5565594230-E000000000042';
    const body = merge(clone(minimal), { initiation: { noticedBy: { organisationId: org } } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await api.call('POST', '/plans', { body, as: { organisationId: org } })).json.planId);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await api.call(
        'GET',
        `/plans?status=initiated&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { as: { organisationId: org } },
      );
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.items.map((p: { planId: string }) => p.planId));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const established = await api.call('GET', '/plans?status=established', { as: { organisationId: org } });
    expect(established.json.items).toEqual([]);
    const other = await api.call('GET', '/plans', { as: { organisationId: OTHER_ORG } });
    expect(other.json.items.some((p: { planId: string }) => ids.includes(p.planId))).toBe(false);
  });

  it('pages through all statuses too', async () => {
    const org = 'SE5565594230-E000000000043';
    const body = merge(clone(minimal), { initiation: { noticedBy: { organisationId: org } } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await api.call('POST', '/plans', { body, as: { organisationId: org } })).json.planId);
    const first = await api.call('GET', '/plans?limit=2', { as: { organisationId: org } });
    const second = await api.call('GET', `/plans?limit=2&cursor=${first.json.nextCursor}`, {
      as: { organisationId: org },
    });
    expect([...first.json.items, ...second.json.items].map((p: { planId: string }) => p.planId)).toEqual(
      [...ids].reverse(),
    );
  });

  it('refuses unknown parameters, bad limits and forged cursors with 400 naming the parameter', async () => {
    for (const [query, parameter] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['status=lost', 'status'],
      ['sort=asc', 'sort'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ]) {
      const res = await api.call('GET', `/plans?${query}`);
      expect(res.status, query).toBe(400);
      expect(
        res.json.errors.map((e: { parameter: string }) => e.parameter),
        query,
      ).toContain(parameter);
    }
  });
});

describe('GET /plans/{planId}/revisions', () => {
  it('lists every version with who, when and which fields changed', async () => {
    const created = await api.call('POST', '/plans', { body: minimal });
    const path = `/plans/${created.json.planId}`;
    await api.call('PATCH', path, {
      body: { longTermGoal: 'Bo kvar hemma' },
      headers: { 'if-match': '"1"' },
      as: { userId: 'user-2' },
    });
    const res = await api.call('GET', `${path}/revisions`);
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([
      expect.objectContaining({
        version: 1,
        action: 'create',
        by: { userId: 'user-1', organisationId: VARDCENTRAL },
      }),
      expect.objectContaining({
        version: 2,
        action: 'patch',
        by: { userId: 'user-2', organisationId: VARDCENTRAL },
      }),
    ]);
    expect(res.json.items[1].changes).toEqual(['/longTermGoal']);
    expect(JSON.stringify(res.json)).not.toContain('Bo kvar hemma');
  });
});

describe('authentication and scopes', () => {
  it('answers 401 problem+json without a token or with a token signed by another key', async () => {
    const none = await api.call('GET', '/plans', { as: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    // As in AWS, where `$default` is behind the authorizer too: without a token, no path is told apart.
    const unknown = await api.call('GET', '/no-such-path', { as: null });
    expect(unknown.status).toBe(401);
    const refused = {
      'signed by another key': await resignedWithAnotherKey(await api.token({ organisationId: VARDCENTRAL })),
      expired: await api.token({ expiresIn: -60 }),
      'for another audience': await api.token({ audience: 'someone-else' }),
      'from another issuer': await api.token({ issuer: 'https://evil.example/' }),
      'with an organisation id that is not one': await api.token({ organisationId: 'ORG#x' }),
    };
    for (const [what, token] of Object.entries(refused)) {
      const res = await api.call('GET', '/plans', {
        as: null,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, what).toBe(401);
      expect(res.headers.get('content-type'), what).toBe('application/problem+json');
    }
  });

  it('answers 403 when the token lacks the scope the route needs', async () => {
    const readOnly = { scopes: ['sip.read'] };
    const res = await api.call('POST', '/plans', { body: minimal, as: readOnly });
    expect(res.status).toBe(403);
    expect(res.json.detail).toContain('sip.write');
    expect((await api.call('GET', '/plans', { as: readOnly })).status).toBe(200);
  });

  it('serves the OpenAPI document and the docs page without a token', async () => {
    const openapi = await api.call('GET', '/openapi.json', { as: null });
    expect(openapi.status).toBe(200);
    expect(openapi.json.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.json.paths)).toEqual(
      expect.arrayContaining(['/plans', '/plans/{planId}', '/plans/{planId}/revisions']),
    );
    expect(openapi.json.components.schemas.CreatePlanRequest.required).toEqual(['initiation', 'individual']);
    const docs = await api.call('GET', '/docs', { as: null });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.text).toContain('openapi.json');
  });

  it('answers unknown paths with 404 and wrong methods with 405, as problem+json', async () => {
    const unknown = await api.call('GET', '/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json.type).toBe('/problems/not-found');
    const wrongMethod = await api.call('DELETE', '/plans');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('content-type')).toBe('application/problem+json');
  });
});

/** Deep-merges `change` into `target` (test helper for building invalid bodies). */
function merge<T>(target: T, change: Record<string, unknown>): T {
  const out = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(change)) {
    out[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value) && typeof out[key] === 'object'
        ? merge(out[key], value as Record<string, unknown>)
        : value;
  }
  return target;
}
