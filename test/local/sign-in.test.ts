/**
 * Signing in through the local OpenID Provider as a browser does — the authorization code flow with PKCE
 * (S256) — driven by a maintained OIDC client (openid-client) without a browser, and then with Debian's
 * Chromium by keyboard, checked by axe-core. The tokens verify against the provider's JWKS, read here with
 * jose as an independent verifier, and the API accepts them.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_CLIENT_ID } from '../../infra/local/oidc/provider.ts';
import { startTestApi } from '../support/api.ts';
import { launchChromium } from '../support/browser.ts';
import { GERIATRIK, HEMTJANST, minimal, VARDCENTRAL } from '../support/scenarios.ts';

const FORSAKRINGSKASSAN = '202100-5521';
/** A loopback redirect of a native client: any port is allowed (RFC 8252 § 7.3). */
const REDIRECT_URI = 'http://127.0.0.1:18765/signed-in';

let api: Awaited<ReturnType<typeof startTestApi>>;
let config: client.Configuration;
beforeAll(async () => {
  api = await startTestApi();
  config = await client.discovery(new URL(api.issuer), BROWSER_CLIENT_ID, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
});
afterAll(() => api?.close());

/** The start of a sign-in: an authorization URL with a fresh PKCE verifier and state. */
async function authorization(
  scope = 'openid profile sip.read sip.write report.read',
  redirectUri = REDIRECT_URI,
) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  return { url, verifier, state };
}

/** A user agent of fetch and a cookie jar, following nothing by itself. */
function userAgent() {
  const cookies = new Map<string, string>();
  return async (url: string | URL, init: RequestInit = {}) => {
    const response = await fetch(new URL(url, api.issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
}

/** Signs in as `userId` on the sign-in page; returns the URL the provider redirects back to. */
async function signIn(userId: string, url: URL) {
  const go = userAgent();
  const toInteraction = await go(url);
  expect(toInteraction.status).toBe(303);
  const interaction = toInteraction.headers.get('location') ?? '';
  const page = await go(interaction);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = /<form method="post" action="([^"]+\/sign-in)"/.exec(html)?.[1] ?? '';
  const signedIn = await go(form, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: userId }),
  });
  expect(signedIn.status).toBe(303);
  const back = await go(signedIn.headers.get('location') ?? '');
  expect(back.status).toBe(303);
  return { html, callback: new URL(back.headers.get('location') ?? '') };
}

const jwks = () => createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri ?? ''));

describe('the authorization code flow with PKCE', () => {
  it('serves discovery and a JWKS of public keys only', async () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(api.issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    const keys = (await (await fetch(metadata.jwks_uri ?? '')).json()) as { keys: Record<string, unknown>[] };
    expect(keys.keys.length).toBeGreaterThan(0);
    for (const key of keys.keys) {
      expect(key.kty).toBe('RSA');
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    }
  });

  it('lists demo users of the scenarios’ organisations on the sign-in page', async () => {
    const go = userAgent();
    const { url } = await authorization();
    const page = await go((await go(url)).headers.get('location') ?? '');
    const html = await page.text();
    for (const org of [VARDCENTRAL, HEMTJANST, GERIATRIK, FORSAKRINGSKASSAN, '202100-2114'])
      expect(html).toContain(org);
    for (const name of [
      'Försäkringskassan',
      'Arbetsförmedlingen',
      'BUP',
      'elevhälsan',
      'fotboll',
      'Beroende',
    ])
      expect(html).toContain(name);
  });

  it('signs in a demo user of the vårdcentral, whose token the API accepts as that user', async () => {
    const { url, verifier, state } = await authorization();
    const { callback } = await signIn('anna.andersson', url);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()?.sub).toBe('anna.andersson');
    // Verified as API Gateway would, by a verifier that is not the gateway's code.
    const { payload } = await jwtVerify(tokens.access_token, jwks(), {
      issuer: api.issuer,
      audience: 'sip-api',
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({ sub: 'anna.andersson', org_id: VARDCENTRAL });
    // Anna may read and write; report.read was asked for and is not hers.
    expect(String(payload.scope).split(' ').sort()).toEqual(['sip.read', 'sip.write']);

    const bearer = { as: null, headers: { authorization: `Bearer ${tokens.access_token}` } };
    const created = await api.call('POST', '/plans', { ...bearer, body: minimal });
    expect(created.status).toBe(201);
    expect(created.json.createdBy).toMatchObject({ userId: 'anna.andersson', organisationId: VARDCENTRAL });
    expect((await api.call('GET', '/reports/regional?from=2026-01-01&to=2026-03-31', bearer)).status).toBe(
      403,
    );
  });

  it('signs in a demo user of Försäkringskassan, named by organisation number', async () => {
    const { url, verifier, state } = await authorization();
    const { callback } = await signIn('fk.handlaggare', url);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const { payload } = await jwtVerify(tokens.access_token, jwks(), {
      issuer: api.issuer,
      audience: 'sip-api',
    });
    expect(payload.org_id).toBe(FORSAKRINGSKASSAN);
    const bearer = { as: null, headers: { authorization: `Bearer ${tokens.access_token}` } };
    const list = await api.call('GET', '/plans', bearer);
    expect(list.status).toBe(200);
    // It takes part in no plan yet, so it sees none — not the vårdcentral's.
    expect(list.json.items).toEqual([]);
  });

  it('refuses a code without the verifier it was issued for, and an authorization request without S256', async () => {
    const { url, state } = await authorization();
    const { callback } = await signIn('anna.andersson', url);
    await expect(
      client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const plain = new URL(url);
    plain.searchParams.set('code_challenge_method', 'plain');
    const withoutPkce = new URL(url);
    withoutPkce.searchParams.delete('code_challenge');
    withoutPkce.searchParams.delete('code_challenge_method');
    for (const refused of [plain, withoutPkce]) {
      const res = await fetch(refused, { redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? '', api.issuer);
      expect(location.searchParams.get('error'), refused.search).toBe('invalid_request');
    }
  });
});

describe('the sign-in page in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('has no axe-core violations and signs in by keyboard alone', async () => {
    // The client's redirect URI, where the browser lands with the code: a loopback server of the test's own.
    const landing = createServer((_req, res) => res.end('<!doctype html><title>Inloggad</title>'));
    await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
    const redirectUri = `http://127.0.0.1:${(landing.address() as AddressInfo).port}/signed-in`;
    const page = await browser.newPage();
    const { url, verifier, state } = await authorization(undefined, redirectUri);
    await page.goto(url.href);
    expect(await page.title()).toContain('Logga in');

    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    // Evaluated in the page, where axe now is (a string: the test's own types know no DOM).
    const violations = await page.evaluate<string[]>(`axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
      .then((result) => result.violations.map((v) => v.id + ' (' + v.nodes.length + ')'))`);
    expect(violations).toEqual([]);

    // Tab to Frida Karlsson of Försäkringskassan, and Enter.
    let focused = '';
    for (let i = 0; i < 60 && focused !== 'Logga in som Frida Karlsson'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<string>(`document.activeElement?.textContent?.trim() ?? ''`);
    }
    expect(focused).toBe('Logga in som Frida Karlsson');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()?.sub).toBe('fk.handlaggare');
    await page.close();
    landing.close();
  });
});
