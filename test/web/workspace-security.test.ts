/**
 * The workspace's sign-in and sessions as an attacker would try them, over the local runtime: the session id
 * changes at sign-in, a return target outside `/app/` is never followed, sign-out without the session's form
 * token (or with another session's) ends nothing, a signed-out cookie opens nothing, the sessions expire on
 * their idle and absolute deadlines, and everything the pages show from a plan comes back escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { returnTarget } from '../../functions/web/return-target.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createSessionStore, SESSION_LIMITS } from '../../shared/store/sessions.ts';
import { startTestApi } from '../support/api.ts';
import { planDriver, sharingConsent } from '../support/process.ts';
import { elsa } from '../support/scenarios.ts';
import { follow, Jar, send, signIn } from '../support/workspace.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const COOKIE = 'sip-session';

describe('return targets', () => {
  it.each([
    ['/app/plans/01234567-89ab-4def-8123-456789abcdef', '/app/plans/01234567-89ab-4def-8123-456789abcdef'],
    ['/app/?planer=abc', '/app/?planer=abc'],
    ['https://evil.example/app/', '/app/'],
    ['//evil.example/app/', '/app/'],
    ['/app//evil.example', '/app/'],
    ['/app/%2F%2Fevil.example', '/app/'],
    ['/app/\\\\evil.example', '/app/'],
    ['/app/%5C%5Cevil.example', '/app/'],
    ['/app/../docs', '/app/'],
    ['/app/%2e%2e/docs', '/app/'],
    ['/app/%0d%0aLocation:%20x', '/app/'],
    ['/docs', '/app/'],
    ['javascript:alert(1)', '/app/'],
    ['/app/%E0%A4%A', '/app/'],
    [undefined, '/app/'],
  ])('%s → %s', (raw, expected) => {
    expect(returnTarget(raw)).toBe(expected);
  });

  it('the sign-in never sends anyone elsewhere, whatever the link said', async () => {
    for (const target of ['https://evil.example/', '//evil.example/x', '/app/%2F%2Fevil.example']) {
      const jar = new Jar();
      const { landed } = await signInFrom(jar, `/app/sign-in?return=${encodeURIComponent(target)}`);
      expect(landed).toBe(`${api.url}/app/`);
    }
  });
});

/** Signs in from a path with `jar`, returning where it landed. */
async function signInFrom(jar: Jar, path: string) {
  const start = await follow(jar, `${api.url}${path}`);
  const action = /<form method="post" action="([^"]+\/sign-in)"/.exec(await start.response.text())?.[1] ?? '';
  const done = await follow(jar, new URL(action, start.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: 'anna.andersson' }).toString(),
  });
  return { landed: done.url, response: done.response };
}

describe('sessions', () => {
  it('the session id changes at sign-in: the cookie of the sign-in is not the cookie of the signed-in user', async () => {
    const jar = new Jar();
    const start = await send(jar, `${api.url}/app/sign-in?return=%2Fapp%2F`);
    expect(start.status).toBe(303);
    const during = jar.get(api.url, COOKIE);
    expect(during).toMatch(/^[\w-]{43}$/);
    expect(start.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Lax/);
    await signInFrom(jar, '/app/');
    const after = jar.get(api.url, COOKIE);
    expect(after).toMatch(/^[\w-]{43}$/);
    expect(after).not.toBe(during);
    // The sign-in's own cookie opens nothing.
    const stale = await fetch(`${api.url}/app/`, {
      redirect: 'manual',
      headers: { cookie: `${COOKIE}=${during}` },
    });
    expect(stale.status).toBe(303);
    expect(stale.headers.get('location')).toMatch(/^\/app\/sign-in/);
  });

  it('a callback without the sign-in that started it (another browser, a replay) signs nobody in', async () => {
    const { jar } = await signIn(api, 'anna.andersson', '/app/');
    const replay = await send(new Jar(), `${api.url}/app/signed-in?code=abc&state=def`);
    expect(replay.status).toBe(400);
    expect(replay.headers.getSetCookie()).toEqual([]);
    expect(jar.get(api.url, COOKIE)).toBeDefined();
  });

  it('sign-out needs the form token of this session: none, or another session’s, ends nothing', async () => {
    const a = await signIn(api, 'anna.andersson');
    const b = await signIn(api, 'anna.andersson');
    const tokenOf = async (jar: Jar) =>
      /name="formToken" value="([^"]+)"/.exec(await (await send(jar, `${api.url}/app/`)).text())?.[1] ?? '';
    const tokenB = await tokenOf(b.jar);
    for (const body of ['', `formToken=${encodeURIComponent(tokenB)}`, 'formToken=x']) {
      const res = await send(a.jar, `${api.url}/app/sign-out`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(res.status, body).toBe(403);
    }
    expect((await send(a.jar, `${api.url}/app/`)).status).toBe(200);
    const cookieA = a.jar.get(api.url, COOKIE);
    const out = await send(a.jar, `${api.url}/app/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `formToken=${encodeURIComponent(await tokenOf(a.jar))}`,
    });
    expect(out.status).toBe(303);
    expect(new URL(out.headers.get('location') ?? '').origin).toBe(api.issuer);
    // After sign-out the old cookie opens nothing, and B is still signed in.
    const after = await fetch(`${api.url}/app/`, {
      redirect: 'manual',
      headers: { cookie: `${COOKIE}=${cookieA}` },
    });
    expect(after.status).toBe(303);
    expect((await send(b.jar, `${api.url}/app/`)).status).toBe(200);
  });

  it('expire after 30 minutes idle or 10 hours in all, on the session clock, and are removed', async () => {
    const store = createSessionStore(
      createDocumentClient({
        tableName: process.env.TABLE_NAME ?? '',
        endpoint: process.env.DYNAMODB_ENDPOINT,
      }),
      process.env.TABLE_NAME ?? '',
    );
    expect(SESSION_LIMITS).toEqual({ idleMs: 30 * 60_000, absoluteMs: 10 * 3600_000 });
    const t0 = Date.parse('2026-12-08T08:00:00Z');
    const data = {
      kind: 'signedIn' as const,
      accessToken: 'x',
      accessTokenExpiresAt: t0 + 24 * 3600_000,
      formToken: 'f',
    };
    const idle = await store.create(data, t0);
    expect(await store.find(idle.id, t0 + 30 * 60_000 - 1)).toBeDefined();
    expect(await store.find(idle.id, t0 + 30 * 60_000)).toBeUndefined();
    expect(await store.find(idle.id, t0)).toBeUndefined(); // removed, not only hidden
    const busy = await store.create(data, t0);
    let now = t0;
    while (now + 20 * 60_000 < t0 + 10 * 3600_000) {
      now += 20 * 60_000;
      const found = await store.find(busy.id, now);
      expect(found, new Date(now).toISOString()).toBeDefined();
      if (found) await store.touch(found, now);
    }
    expect(await store.find(busy.id, t0 + 10 * 3600_000)).toBeUndefined();
    const shortToken = await store.create({ ...data, accessTokenExpiresAt: t0 + 60_000 }, t0);
    expect(await store.find(shortToken.id, t0 + 60_000)).toBeUndefined();
  });
});

describe('the pages escape everything from the plan', () => {
  it('a plan whose every text field holds markup is shown as text', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const body = structuredClone(elsa);
    body.individual.name = `Elsa ${hostile}`;
    body.longTermGoal = hostile;
    body.subGoals = [{ text: hostile }];
    body.content.interventions = body.content.interventions.map((i) => ({
      ...i,
      description: hostile,
      performer: hostile,
      frequency: hostile,
    }));
    const driver = planDriver(api);
    const id = await driver.create(body);
    await driver.expectOk(id, '/consents', sharingConsent());
    const { jar } = await signIn(api, 'anna.andersson');
    for (const path of [`/app/plans/${id}`, '/app/', `/app/plans/${id}/utskrift`]) {
      const page = await (await send(jar, `${api.url}${path}`)).text();
      expect(page, path).toContain('&lt;script>alert(1)&lt;/script>');
      expect(page, path).not.toContain('<script>alert(1)');
      expect(page, path).not.toContain('<img src=x');
    }
  });
});
