/**
 * The local gateway against the tokens an attacker tries: each is answered 401 problem+json with
 * `WWW-Authenticate: Bearer` before any function runs, and nothing is written — neither a plan nor an
 * audit entry. A header section too large is a problem document too (431), never Node's bare 431.
 * The expected answers come from the rules API Gateway's JWT authorizer applies (RFC 7519, RFC 8725),
 * not from the gateway's code: a genuine token of the same provider is the control.
 */
import { createHmac, createPublicKey } from 'node:crypto';
import { request } from 'node:http';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../infra/local/oidc/provider.ts';
import { ORG, startTestApi } from '../support/api.ts';
import { minimal } from '../support/scenarios.ts';
import { problemFault } from '../support/security.ts';
import {
  anotherKey,
  base64url,
  decode,
  type Header,
  nowSeconds,
  providerKey,
  resignedWithAnotherKey,
  signWith,
} from '../support/tokens.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let genuine: string;
beforeAll(async () => {
  api = await startTestApi();
  genuine = await api.token({ organisationId: ORG, userId: 'bad-token-tester' });
});
afterAll(() => api?.close());

const DAY = 86_400;

/** Claims as the provider issues them, for tokens built by hand. */
const claims = (): Record<string, unknown> => ({
  iss: api.issuer,
  aud: API_AUDIENCE,
  sub: 'mallory',
  org_id: ORG,
  scope: 'sip.read sip.write',
  iat: nowSeconds() - 10,
  exp: nowSeconds() + 3600,
});

/** Signed with the provider's own key: a token whose signature is right and whose content is not. */
const byProvider = (payload: Record<string, unknown>, header: Partial<Header> = {}) => {
  const { jwk, kid } = providerKey(api.providerStateFile);
  return signWith(jwk, { alg: 'RS256', typ: 'at+jwt', kid, ...header }, payload);
};
const without = (name: string) => {
  const { [name]: _, ...rest } = claims();
  return rest;
};

const BAD_TOKENS: Record<string, () => Promise<string>> = {
  'alg none': async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${genuine.split('.')[1]}.`,
  'HS256 keyed with the provider’s public key': async () => {
    // The classic confusion: an HMAC whose secret is the public key a verifier might hand to any algorithm.
    const { jwk, kid } = providerKey(api.providerStateFile);
    const publicPem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const input = `${base64url({ alg: 'HS256', typ: 'JWT', kid })}.${base64url(claims())}`;
    return `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
  },
  expired: () => byProvider({ ...claims(), iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }),
  'without exp': () => byProvider(without('exp')),
  'nbf in the future': () => byProvider({ ...claims(), nbf: nowSeconds() + DAY }),
  'iat in the future': () =>
    byProvider({ ...claims(), iat: nowSeconds() + DAY, exp: nowSeconds() + 2 * DAY }),
  'another issuer': () => byProvider({ ...claims(), iss: 'https://idp.example.org/' }),
  'no issuer': () => byProvider(without('iss')),
  'another audience': () => byProvider({ ...claims(), aud: 'another-api' }),
  'no audience': () => byProvider(without('aud')),
  'another key (same kid)': () => resignedWithAnotherKey(genuine),
  'an embedded jwk header': async () => {
    const { privateKey, publicKey } = await anotherKey();
    const { kid } = decode(genuine).header;
    return signWith(
      privateKey,
      { alg: 'RS256', typ: 'at+jwt', kid, jwk: await exportJWK(publicKey) },
      claims(),
    );
  },
  'tampered payload': async () => {
    const [header, payload, signature] = genuine.split('.');
    const tampered = {
      ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
      org_id: 'SE2321000131-E000000000999',
    };
    return `${header}.${base64url(tampered)}.${signature}`;
  },
  'tampered signature': async () => {
    const [header, payload, signature = ''] = genuine.split('.');
    const flipped = Buffer.from(signature, 'base64url');
    flipped[10] = (flipped[10] ?? 0) ^ 0xff;
    return `${header}.${payload}.${flipped.toString('base64url')}`;
  },
  'numeric sub': () => byProvider({ ...claims(), sub: 12345 }),
  'numeric organisation': () => byProvider({ ...claims(), org_id: 2321000131 }),
  'empty organisation': () => byProvider({ ...claims(), org_id: '' }),
  'scope not a string of scopes': () => byProvider({ ...claims(), scope: { 'sip.write': true } }),
};

describe('the local gateway refuses bad tokens', () => {
  it('accepts the genuine token of the provider (the control)', async () => {
    const res = await api.call('POST', '/plans', {
      as: null,
      body: minimal,
      headers: { authorization: `Bearer ${genuine}` },
    });
    expect(res.status).toBe(201);
  });

  it.each(Object.keys(BAD_TOKENS))('answers 401 problem+json and writes nothing: %s', async (name) => {
    const token = await (BAD_TOKENS[name] as () => Promise<string>)();
    const items = await api.itemCount();
    const audit = (await api.auditEntries()).length;
    for (const [method, body] of [
      ['POST', minimal],
      ['GET', undefined],
    ] as const) {
      const res = await api.call(method, '/plans', {
        as: null,
        ...(body && { body }),
        headers: { authorization: `Bearer ${token}` },
      });
      expect(problemFault(res, 401), `${method}: ${res.text}`).toBeUndefined();
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      // Refused by the gateway itself (its detail), not later by the function.
      expect(res.json.detail).toMatch(/^the token was refused: /);
    }
    expect(await api.itemCount()).toBe(items);
    expect((await api.auditEntries()).length).toBe(audit);
  });

  it.each([
    ['over API Gateway’s 10,240 bytes', 12_000],
    ['over even Node’s own limit', 80_000],
  ])('answers a header section %s with a 431 problem document, writing nothing', async (_what, size) => {
    const padded = await byProvider({ ...claims(), padding: 'x'.repeat(size) });
    const items = await api.itemCount();
    const res = await rawPost(`${api.url}/plans`, padded, JSON.stringify(minimal));
    expect(res.status).toBe(431);
    expect(res.contentType).toBe('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, type: '/problems/headers-too-large' });
    expect(await api.itemCount()).toBe(items);
  });
});

/** A POST through node:http: fetch's own limits would refuse such a header before it is sent. */
function rawPost(url: string, token: string, body: string) {
  return new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        maxHeaderSize: 1024 * 1024,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type']),
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
