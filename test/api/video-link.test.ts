/** A digital meeting's video link: kept in the plan's kallelse, checked as a safe https address, documented. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/docs/openapi.ts';
import { startTestApi } from '../support/api.ts';
import { invitation, planDriver } from '../support/process.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

const LINK = 'https://video.region.example.se/join/sip-4711?pwd=a1b2';

describe('the video link of a digital meeting', () => {
  it('is kept in the plan with the kallelse', async () => {
    const planId = await driver.planAt('consented');
    const plan = await driver.expectOk(planId, '/invitations', {
      ...invitation(),
      place: { kind: 'digital', videoLink: LINK },
    });
    expect(plan.invitations[0].place).toEqual({ kind: 'digital', videoLink: LINK });
    const read = await api.call('GET', `/plans/${planId}`);
    expect(read.json.invitations[0].place).toEqual({ kind: 'digital', videoLink: LINK });
  });

  it.each([
    ['plain http', 'http://video.region.example.se/join/sip-4711'],
    ['a script', 'javascript:alert(1)'],
    ['a bare IP address', 'https://192.0.2.10/join'],
    ['a user name disguising the host', 'https://video.region.example.se@evil.example/join'],
    ['a line break', 'https://video.region.example.se/join\r\nATTENDEE:mailto:x@evil.example'],
    ['a space', 'https://video.region.example.se/join now'],
  ])('refuses %s with a problem naming the field, and writes nothing', async (_what, videoLink) => {
    const planId = await driver.planAt('consented');
    const before = await api.call('GET', `/plans/${planId}`);
    const res = await driver.send(planId, '/invitations', {
      ...invitation(),
      place: { kind: 'digital', videoLink },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.errors).toContainEqual({
      pointer: '/place/videoLink',
      detail: 'expected an https URL on a named host, written in URI characters (no spaces)',
    });
    const after = await api.call('GET', `/plans/${planId}`);
    expect(after.json.version).toBe(before.json.version);
    expect(after.json.invitations).toEqual([]);
  });

  it('belongs to a digital meeting only', async () => {
    const planId = await driver.planAt('consented');
    const res = await driver.send(planId, '/invitations', {
      ...invitation(),
      place: { kind: 'municipalVenue', address: 'Stadshuset', videoLink: LINK },
    });
    expect(res.status).toBe(400);
  });

  it('leaves the earlier `link` field accepted, so clients and stored plans that use it keep working', async () => {
    const planId = await driver.planAt('consented');
    const plan = await driver.expectOk(planId, '/invitations', {
      ...invitation(),
      place: { kind: 'digital', link: 'https://video.region.example.se/old' },
    });
    expect(plan.invitations[0].place).toEqual({
      kind: 'digital',
      link: 'https://video.region.example.se/old',
    });
  });

  it('is in the API description as an https URI, and `link` as deprecated', () => {
    const document = openApiDocument() as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const place = document.components.schemas.SendInvitation?.properties?.place as {
      anyOf?: { properties?: Record<string, Record<string, unknown>> }[];
      oneOf?: { properties?: Record<string, Record<string, unknown>> }[];
    };
    const digital = (place.anyOf ?? place.oneOf ?? []).find((variant) => variant.properties?.videoLink);
    expect(digital?.properties?.videoLink).toMatchObject({ type: 'string', format: 'uri' });
    expect(String(digital?.properties?.videoLink?.pattern)).toMatch(/^\^https:/);
    expect(digital?.properties?.link).toMatchObject({ deprecated: true });
  });
});
