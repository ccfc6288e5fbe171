/**
 * Input that is not text, not one JSON value, or not in a form the service reads is refused, and nothing
 * is written: control characters and unpaired surrogates (Unicode, RFC 8259 8.2), members named twice
 * (RFC 8259 4, I-JSON RFC 7493 2.3), a Content-Encoding the service does not decode and a charset other
 * than UTF-8 (RFC 8259 8.1; RFC 9110 15.5.16).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import { planDriver, sharingConsent } from '../support/process.ts';
import { elsa } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

/** Elsa's plan with `longTermGoal` (free text) and her name (a short text) as given. */
const elsaWith = (longTermGoal: string, name = 'Elsa Exempel') => ({
  ...elsa,
  individual: { ...elsa.individual, name },
  longTermGoal,
});

/** Sends `request` and expects it refused with `status` and nothing stored. */
async function expectRefused(
  request: () => ReturnType<typeof api.call>,
  status: number,
): Promise<Awaited<ReturnType<typeof api.call>>> {
  const before = await api.itemCount();
  const res = await request();
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(await api.itemCount()).toBe(before);
  return res;
}

describe('control characters and unpaired surrogates', () => {
  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['ESC', '\u001b'],
    ['a lone carriage return', '\r'],
    ['DEL', '\u007f'],
    ['NEL (C1)', '\u0085'],
  ])('%s in free text is refused, naming the field', async (_, character) => {
    const res = await expectRefused(
      () => api.call('POST', '/plans', { body: elsaWith(`Bo kvar${character}hemma`) }),
      400,
    );
    expect(res.json.errors).toEqual([
      { pointer: '/longTermGoal', detail: expect.stringContaining('control') },
    ]);
  });

  it('NUL in a name is refused', async () => {
    const res = await expectRefused(
      () => api.call('POST', '/plans', { body: elsaWith('Bo kvar hemma', 'Elsa\u0000Exempel') }),
      400,
    );
    expect(res.json.errors).toEqual([{ pointer: '/individual/name', detail: expect.any(String) }]);
  });

  it.each([
    ['a high surrogate alone', '\\ud83d'],
    ['a low surrogate alone', '\\ude00'],
    ['two high surrogates', '\\ud83d\\ud83d'],
  ])('%s is refused', async (_, escaped) => {
    const body = JSON.stringify(elsaWith('Bo kvar hemma')).replace(
      'Bo kvar hemma',
      `Bo kvar ${escaped} hemma`,
    );
    const res = await expectRefused(() => api.call('POST', '/plans', { rawBody: body }), 400);
    expect(res.json.errors).toEqual([
      { pointer: '/longTermGoal', detail: expect.stringContaining('Unicode') },
    ]);
  });

  it('tab, line breaks and characters beyond the BMP are text, and kept as sent', async () => {
    const goal = 'Bo kvar hemma.\n\tHandla själv 🛒\r\nTräffa vänner.';
    const res = await api.call('POST', '/plans', { body: elsaWith(goal) });
    expect(res.status, res.text).toBe(201);
    expect((await api.call('GET', `/plans/${res.json.planId}`)).json.longTermGoal).toBe(goal);
  });

  it('a command and a patch refuse them too, and the plan stays at its version', async () => {
    const planId = await driver.create(elsa);
    await expectRefused(
      () =>
        api.call('POST', `/plans/${planId}/consents`, {
          body: { ...sharingConsent(), documentation: 'Muntligt\u0000samtycke.' },
          headers: { 'if-match': '"1"' },
        }),
      400,
    );
    await expectRefused(
      () =>
        api.call('PATCH', `/plans/${planId}`, {
          body: { longTermGoal: 'Mål\u0008' },
          headers: { 'if-match': '"1"' },
        }),
      400,
    );
    expect((await api.call('GET', `/plans/${planId}`)).headers.get('etag')).toMatch(/^"1\.[\w-]+"$/);
  });
});

describe('members named twice', () => {
  const withGoal = JSON.stringify(elsaWith('B')).slice(1);
  it.each([
    ['at the top', `{"longTermGoal":"A",${withGoal}`, '/longTermGoal'],
    ['spelt with an escape', `{"longTerm\\u0047oal":"A",${withGoal}`, '/longTermGoal'],
    [
      'in a nested object',
      JSON.stringify(elsa).replace('"individual":{', '"individual":{"name":"A",'),
      '/individual/name',
    ],
  ])('%s: refused with the member’s pointer', async (_, body, pointer) => {
    const res = await expectRefused(() => api.call('POST', '/plans', { rawBody: body }), 400);
    expect(res.json.errors).toEqual([{ pointer, detail: expect.stringContaining('more than once') }]);
  });

  it('the same name in different objects, or in objects of an array, is no duplicate', async () => {
    const body = JSON.stringify(elsa);
    expect(body.match(/"name":/g)?.length).toBeGreaterThan(2);
    const res = await api.call('POST', '/plans', { rawBody: body });
    expect(res.status, res.text).toBe(201);
  });

  it('a duplicate in a patch is refused and the plan stays as it was', async () => {
    const planId = await driver.create(elsa);
    await expectRefused(
      () =>
        api.call('PATCH', `/plans/${planId}`, {
          rawBody: '{"longTermGoal":"Ett mål.","longTermGoal":null}',
          headers: { 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
        }),
      400,
    );
    expect((await api.call('GET', `/plans/${planId}`)).json.longTermGoal).toBe(elsa.longTermGoal);
  });
});

describe('encodings the service does not read: 415', () => {
  it.each(['gzip', 'br', 'deflate'])('Content-Encoding: %s', async (encoding) => {
    const res = await expectRefused(
      () =>
        api.call('POST', '/plans', {
          rawBody: gzipSync(JSON.stringify(elsa)).toString('latin1'),
          headers: { 'content-encoding': encoding },
        }),
      415,
    );
    expect(res.json.detail).toContain(encoding);
  });

  it.each(['iso-8859-1', 'utf-16', 'windows-1252'])('charset=%s', async (charset) => {
    const res = await expectRefused(
      () =>
        api.call('POST', '/plans', {
          body: elsa,
          headers: { 'content-type': `application/json; charset=${charset}` },
        }),
      415,
    );
    expect(res.json.detail).toContain('UTF-8');
  });

  it.each(['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json'])(
    '%s is read',
    async (contentType) => {
      const res = await api.call('POST', '/plans', { body: elsa, headers: { 'content-type': contentType } });
      expect(res.status, res.text).toBe(201);
    },
  );
});
