/**
 * What an attacker's probe found, held: a body that is not UTF-8 is refused and nothing is written (over the
 * local gateway, and through the Lambda handler with the body base64-encoded as API Gateway may hand it
 * over); `If-Match: *` never writes blind; and a view narrowed without a write is never answered 304.
 * The security headers of every answer are in `security-headers.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_KEYS, ROUTES } from '../../shared/http/routes.ts';
import { startTestApi } from '../support/api.ts';
import { apiEvent } from '../support/events.ts';
import { planDriver, sharingConsent } from '../support/process.ts';
import { elsa, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

/**
 * Byte sequences RFC 3629 (and Unicode's table 3-7 of well-formed UTF-8) says are no UTF-8, each between
 * ordinary letters so that only these bytes are wrong.
 */
const NOT_UTF8: [string, number[]][] = [
  ['an overlong form of "/"', [0xc0, 0xaf]],
  ['an overlong three-byte form', [0xe0, 0x80, 0xaf]],
  ['a lone continuation byte', [0x80]],
  ['an encoded surrogate (U+D800)', [0xed, 0xa0, 0x80]],
  ['a truncated sequence (two bytes of three)', [0xe2, 0x82]],
  ['a byte above F4', [0xf5, 0x80, 0x80, 0x80]],
  ['a code point above U+10FFFF (F4 90 …)', [0xf4, 0x90, 0x80, 0x80]],
  ['the bytes of the probe, FF FE C3 28', [0xff, 0xfe, 0xc3, 0x28]],
];
/** What API Gateway may have made of such bytes before the function sees them: U+FFFD, encoded as UTF-8. */
const REPLACEMENT = [0xef, 0xbf, 0xbd];

/** `json` as bytes, with `bytes` in place of the marker `@@` (inside a string value). */
const withBytes = (json: string, bytes: number[]) => {
  const [before = '', after = ''] = json.split('@@');
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
};

const expectNotUtf8 = (res: { status: number; headers: Headers; json: Record<string, unknown> }) => {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json.type).toBe('/problems/body-not-utf8');
  expect(res.json.detail).toMatch(/byte \d+/);
};

describe('a body that is not UTF-8 is refused, and nothing is written', () => {
  const namedWith = JSON.stringify({ ...elsa, individual: { ...elsa.individual, name: 'Elsa @@ Exempel' } });

  it.each([...NOT_UTF8, ['U+FFFD, the replacement character', REPLACEMENT] as [string, number[]]])(
    'POST /plans, PATCH and a command with %s',
    async (_, bytes) => {
      const planId = await driver.create();
      const before = await api.call('GET', `/plans/${planId}`);
      const items = await api.itemCount();
      const created = await api.call('POST', '/plans', { rawBody: withBytes(namedWith, bytes) });
      expectNotUtf8(created);
      const patched = await api.call('PATCH', `/plans/${planId}`, {
        rawBody: withBytes('{"longTermGoal":"abc@@def"}', bytes),
        headers: { 'if-match': before.headers.get('etag') ?? '' },
      });
      expectNotUtf8(patched);
      const consent = JSON.stringify({ ...sharingConsent(), documentation: 'Muntligt @@ samtycke.' });
      const commanded = await api.call('POST', `/plans/${planId}/consents`, {
        rawBody: withBytes(consent, bytes),
        headers: { 'if-match': before.headers.get('etag') ?? '' },
      });
      expectNotUtf8(commanded);
      expect(await api.itemCount()).toBe(items);
      expect((await api.call('GET', `/plans/${planId}`)).text).toBe(before.text);
    },
  );

  it('the byte named is where the bad sequence starts', async () => {
    const body = withBytes('{"longTermGoal":"åäö@@"}', [0x80]);
    const res = await api.call('POST', '/plans', { rawBody: body });
    // `{"longTermGoal":"` is 17 bytes, å ä ö two each.
    expect(res.json.detail).toContain('byte 23');
  });

  it('text in UTF-8 — two-, three- and four-byte characters, a byte-order mark — is kept exactly', async () => {
    const name = 'Åsa Öberg-Ärlig Ñandú 漢字 🙂';
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ ...elsa, individual: { ...elsa.individual, name } }), 'utf8'),
    ]);
    const created = await api.call('POST', '/plans', { rawBody: body });
    expect(created.status, created.text).toBe(201);
    expect(created.json.individual.name).toBe(name);
    const read = await api.call('GET', `/plans/${created.json.planId}`);
    expect(read.json.individual.name).toBe(name);
  });

  it('U+FFFD escaped in the JSON (`\\uFFFD`) is the client’s own choice, valid on the wire, and kept', async () => {
    const body = JSON.stringify({ ...elsa, individual: { ...elsa.individual, name: 'Elsa @@ Exempel' } });
    const created = await api.call('POST', '/plans', { rawBody: body.replace('@@', '\\uFFFD') });
    expect(created.status, created.text).toBe(201);
    expect(created.json.individual.name).toBe('Elsa \uFFFD Exempel');
  });

  describe('through the Lambda handler', () => {
    const claims = { sub: 'user-1', org_id: VARDCENTRAL, scope: 'sip.read sip.write' };
    const handler = async () => (await import('../../functions/api/handler.ts')).handler;
    const invoke = async (event: ReturnType<typeof apiEvent>) => {
      const result = await (await handler())(event, {} as never);
      return { status: result.statusCode, body: JSON.parse(String(result.body ?? '{}')) };
    };

    it.each(NOT_UTF8)('a base64-encoded body with %s → 400, nothing written', async (_, bytes) => {
      const items = await api.itemCount();
      const res = await invoke(
        apiEvent({
          routeKey: 'POST /plans',
          path: '/plans',
          claims,
          body: withBytes(namedWith, bytes).toString('base64'),
          isBase64Encoded: true,
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('/problems/body-not-utf8');
      expect(await api.itemCount()).toBe(items);
    });

    it('a text body in which the gateway replaced bad bytes with U+FFFD → 400', async () => {
      const items = await api.itemCount();
      const res = await invoke(
        apiEvent({
          routeKey: 'POST /plans',
          path: '/plans',
          claims,
          body: namedWith.replace('@@', '\uFFFD'),
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('/problems/body-not-utf8');
      expect(await api.itemCount()).toBe(items);
    });

    it('a base64-encoded body in UTF-8 is read as the client wrote it', async () => {
      const name = 'Elsa Åström 🙂';
      const res = await invoke(
        apiEvent({
          routeKey: 'POST /plans',
          path: '/plans',
          claims,
          body: Buffer.from(JSON.stringify({ ...elsa, individual: { ...elsa.individual, name } })).toString(
            'base64',
          ),
          isBase64Encoded: true,
        }),
      );
      expect(res.status).toBe(201);
      expect(res.body.individual.name).toBe(name);
    });
  });
});

describe('If-Match: * never writes blind', () => {
  const COMMAND_ROUTES = ROUTE_KEYS.filter((key) => 'command' in ROUTES[key]);
  const path = (routeKey: string, planId: string) =>
    (routeKey.split(' ')[1] ?? '')
      .replace('{planId}', planId)
      .replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

  it.each(['PATCH /plans/{planId}', ...COMMAND_ROUTES])('%s with If-Match: * → 428', async (routeKey) => {
    const planId = await driver.planAt('consented');
    const before = await api.call('GET', `/plans/${planId}`);
    const items = await api.itemCount();
    const method = routeKey.split(' ')[0] ?? '';
    const body = method === 'PATCH' ? { longTermGoal: 'Skrivet utan att läsa.' } : {};
    for (const ifMatch of ['*', ' * ', `*, ${before.headers.get('etag')}`]) {
      const res = await api.call(method, path(routeKey, planId), { body, headers: { 'if-match': ifMatch } });
      expect(res.status, `${ifMatch}: ${res.text}`).toBe(428);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.type).toBe('/problems/precondition-required');
      expect(res.json.detail).toMatch(/ETag you read/);
    }
    expect(await api.itemCount()).toBe(items);
    expect((await api.call('GET', `/plans/${planId}`)).text).toBe(before.text);
  });
});

describe('a view narrowed without a write is not answered 304', () => {
  it('a wider consent lapses while a narrower one stays: the old ETag gets the narrower view', async () => {
    const planId = await driver.create();
    // The home care unit: all four categories for two days, and who does what for a year.
    await driver.expectOk(planId, '/consents', {
      ...sharingConsent('2026-11-08T15:00:00+01:00', [HEMTJANST]),
      expiresAt: '2026-11-10T15:00:00+01:00',
    });
    await driver.expectOk(planId, '/consents', {
      ...sharingConsent('2026-11-08T15:00:00+01:00', [HEMTJANST]),
      categories: ['interventions'],
    });
    const asHome = { as: { organisationId: HEMTJANST } };
    api.at(new Date('2026-11-10T12:00:00+01:00'));
    const wide = await api.call('GET', `/plans/${planId}`, asHome);
    expect(wide.status).toBe(200);
    expect(wide.json.longTermGoal).toBe(elsa.longTermGoal);
    const wideTag = wide.headers.get('etag') ?? '';
    const version = wide.json.version;
    expect(wideTag).toMatch(new RegExp(`^"${version}\\.[\\w-]+"$`));
    const cached = await api.call('GET', `/plans/${planId}`, {
      ...asHome,
      headers: { 'if-none-match': wideTag },
    });
    expect(cached.status).toBe(304);

    // The two days pass; nobody writes.
    api.at(new Date('2026-11-11T09:00:00+01:00'));
    const narrowed = await api.call('GET', `/plans/${planId}`, {
      ...asHome,
      headers: { 'if-none-match': wideTag },
    });
    expect(narrowed.status).toBe(200);
    expect(narrowed.json.version).toBe(version);
    expect(narrowed.json.longTermGoal).toBeUndefined();
    expect(narrowed.json.individual.personalIdentity).toBeUndefined();
    const narrowTag = narrowed.headers.get('etag') ?? '';
    expect(narrowTag).not.toBe(wideTag);
    expect(narrowTag.startsWith(`"${version}.`)).toBe(true);
    const unchanged = await api.call('GET', `/plans/${planId}`, {
      ...asHome,
      headers: { 'if-none-match': narrowTag },
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe(narrowTag);

    // A write with the ETag read is accepted — the convener's own, and the bare version alike.
    const convener = await api.call('GET', `/plans/${planId}`);
    const goal = await api.call('PATCH', `/plans/${planId}`, {
      body: { longTermGoal: 'Att bo kvar hemma.' },
      headers: { 'if-match': convener.headers.get('etag') ?? '' },
    });
    expect(goal.status, goal.text).toBe(200);
    const bare = await api.call('PATCH', `/plans/${planId}`, {
      body: { longTermGoal: 'Att bo kvar hemma och handla själv.' },
      headers: { 'if-match': `"${goal.json.version}"` },
    });
    expect(bare.status, bare.text).toBe(200);
    // The home care unit's tag from before the writes names an old version: 412.
    const stale = await api.call('PATCH', `/plans/${planId}`, {
      body: { longTermGoal: 'För sent.' },
      headers: { 'if-match': narrowTag },
    });
    expect(stale.status).toBe(412);
    api.at(undefined);
  });

  it('the same plan read for two organisations with the same categories has two tags', async () => {
    const planId = await driver.planAt('consented');
    const a = await api.call('GET', `/plans/${planId}`);
    const b = await api.call('GET', `/plans/${planId}`, { as: { organisationId: HEMTJANST } });
    expect(a.json.version).toBe(b.json.version);
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
  });
});
