/**
 * Who sees what, over HTTP: consent-based access, the lead responsible after consent ends, the audit log
 * extract, and finding an individual's plans by personal identity without the number ever in a key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL_IDENTITY_NUMBER } from '../../shared/privacy/redaction.ts';
import { OTHER_ORG, startTestApi } from '../support/api.ts';
import { establishment, followUp, planDriver } from '../support/process.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

const as = (organisationId: string, scopes = ['sip.read', 'sip.write']) => ({
  as: { organisationId, userId: `user-of-${organisationId.slice(-3)}`, unitId: 'unit-1', scopes },
});

/** Elsa's plan, established with home care (not the convener) as lead responsible. */
async function planLedByHomeCare() {
  const planId = await driver.planAt('invited');
  const leadResponsible = {
    organisationId: HEMTJANST,
    name: 'Hemtjänsten Centrum',
    principal: 'municipality',
    principalName: 'Göteborgs Stad',
    person: { name: 'Bo Biståndshandläggare', email: 'bo@example.se' },
  };
  const body = establishment();
  await driver.expectOk(planId, '/establishment', { ...body, content: { ...body.content, leadResponsible } });
  return planId;
}

describe('access after consent ends', () => {
  it('leaves the convener and the lead responsible, who may read and close but not change the plan', async () => {
    const planId = await planLedByHomeCare();
    const path = `/plans/${planId}`;
    expect((await api.call('GET', path, as(GERIATRIK))).status).toBe(200);

    const plan = (await api.call('GET', path)).json;
    const sharing = plan.consents.find((c: { kind: string }) => c.kind === 'informationSharing');
    await driver.expectOk(planId, `/consents/${sharing.id}/withdrawal`, {});

    // Geriatrics took part under the consent; now it is concealed from them, in lists too.
    const geriatrics = await api.call('GET', path, as(GERIATRIK));
    expect(geriatrics.status).toBe(404);
    expect(geriatrics.headers.get('content-type')).toBe('application/problem+json');
    const geriatricsList = await api.call('GET', '/plans?limit=100', as(GERIATRIK));
    expect(geriatricsList.json.items.map((p: { planId: string }) => p.planId)).not.toContain(planId);

    // The lead responsible reads it and finds it in its list, but may change nothing but its closure.
    expect((await api.call('GET', path, as(HEMTJANST))).status).toBe(200);
    const leadList = await api.call('GET', '/plans?limit=100', as(HEMTJANST));
    expect(leadList.json.items.map((p: { planId: string }) => p.planId)).toContain(planId);
    const etag = (await api.call('GET', path)).headers.get('etag') ?? '';
    const patch = await api.call('PATCH', path, {
      body: { longTermGoal: 'Ändrat' },
      headers: { 'if-match': etag },
      ...as(HEMTJANST),
    });
    expect(patch.status).toBe(403);
    expect(patch.json.detail).toContain('read the plan and close it');
    const closed = await api.call('POST', `${path}/closure`, {
      body: { reason: 'consentWithdrawn', informed: [], whereToTurn: 'Vårdcentralen Centrum.' },
      headers: { 'if-match': etag },
      ...as(HEMTJANST),
    });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.status).toBe('closed');

    // The convener keeps it too; closed, it is read-only for everyone.
    expect((await api.call('GET', path, as(VARDCENTRAL))).status).toBe(200);
    const late = await api.call('PATCH', path, {
      body: { longTermGoal: 'Ändrat' },
      headers: { 'if-match': closed.headers.get('etag') ?? '' },
    });
    expect(late.status).toBe(403);
    expect(late.json.detail).toBe('the plan is closed: it is read-only');
  });
});

describe('the convener and the lead responsible', () => {
  it('pass only by their holders’ hand, and only to an organisation a valid consent names', async () => {
    const planId = await planLedByHomeCare();
    const path = `/plans/${planId}`;
    const etag = async () => (await api.call('GET', path)).headers.get('etag') ?? '';
    const patchAs = async (org: string, body: object) =>
      api.call('PATCH', path, { body, headers: { 'if-match': await etag() }, ...as(org) });
    const convener = (organisationId: string) => ({ convener: { ...elsa.convener, organisationId } });

    // Geriatrics is named by the consent and may write, but not make itself convener or lead.
    const selfMade = await patchAs(GERIATRIK, convener(GERIATRIK));
    expect(selfMade.status).toBe(403);
    expect(selfMade.json).toMatchObject({ rule: 'convener-hands-over', pointer: '/convener' });
    const plan = (await api.call('GET', path)).json;
    const lead = { ...plan.content.leadResponsible, organisationId: GERIATRIK, principal: 'region' };
    const selfLead = await patchAs(GERIATRIK, { content: { leadResponsible: lead } });
    expect(selfLead.status).toBe(403);
    // The lead is chosen at a meeting: after establishment no edit names it, not even the lead's own.
    expect(selfLead.json).toMatchObject({ rule: 'agreed-at-meeting', pointer: '/content/leadResponsible' });
    const leadsOwn = await patchAs(HEMTJANST, { content: { leadResponsible: lead } });
    expect(leadsOwn.json).toMatchObject({ rule: 'agreed-at-meeting', pointer: '/content/leadResponsible' });

    // The convener cannot hand the record to an organisation no consent names…
    const outsider = await patchAs(VARDCENTRAL, {
      organisations: [...plan.organisations, { ...plan.organisations[0], organisationId: OTHER_ORG }],
      ...convener(OTHER_ORG),
    });
    expect(outsider.status).toBe(403);
    // Adding an organisation is the keeper's — after establishment the lead responsible's, not the convener's.
    expect(outsider.json).toMatchObject({ rule: 'keeper-only', pointer: '/organisations' });
    // …but can hand convening to one a consent names; and the lead hands over the lead at a follow-up.
    expect((await patchAs(VARDCENTRAL, convener(GERIATRIK))).status).toBe(200);
    const ifMatch = await etag();
    api.at(new Date('2027-01-09T12:00:00+01:00'));
    const handOver = await api
      .call('POST', `${path}/follow-ups`, {
        body: followUp({ content: { ...plan.content, leadResponsible: lead } }),
        headers: { 'if-match': ifMatch },
        ...as(HEMTJANST),
      })
      .finally(() => api.at(undefined));
    expect(handOver.status, handOver.text).toBe(200);
    expect((await api.call('GET', `${path}/audit`, as(GERIATRIK))).status).toBe(200);
  });
});

describe('GET /plans/{planId}/audit', () => {
  it('gives the lead responsible the log extract: every access and attempt, oldest first, page by page', async () => {
    const planId = await planLedByHomeCare();
    const path = `/plans/${planId}`;
    await api.call('GET', path, as(GERIATRIK));
    await api.call('GET', path, as(OTHER_ORG));
    await api.call('GET', path, as(HEMTJANST, ['report.read']));

    const entries = [];
    let cursor: string | undefined;
    do {
      const res = await api.call(
        'GET',
        `${path}/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        as(HEMTJANST),
      );
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(3);
      entries.push(...res.json.items);
      cursor = res.json.nextCursor;
    } while (cursor);

    const times = entries.map((e) => e.at);
    expect(times).toEqual([...times].sort());
    // Created, two consents, a kallelse, established: five writes by the convener, each with its entry.
    const writes = entries.filter((e) => e.organisationId === VARDCENTRAL && e.outcome === 'allowed');
    expect(writes.map((e) => e.action)).toEqual([
      'createPlan',
      'giveConsent',
      'giveConsent',
      'sendInvitation',
      'establish',
    ]);
    expect(entries).toContainEqual(
      expect.objectContaining({
        organisationId: GERIATRIK,
        userId: 'user-of-020',
        unitId: 'unit-1',
        action: 'getPlan',
        planId,
        outcome: 'allowed',
        status: 200,
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ organisationId: OTHER_ORG, outcome: 'denied', status: 404 }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ organisationId: HEMTJANST, outcome: 'denied', status: 403 }),
    );
    // Every entry of a request that read the plan names the individual by the same reference, never by
    // number or name. (A token without the scope is refused before the plan is read.)
    const refs = entries.filter((e) => e.status !== 403).map((e) => e.individualRef);
    expect(refs.length).toBe(entries.length - 1);
    expect(new Set(refs).size).toBe(1);
    expect(refs[0]).toMatch(/^[\w-]{43}$/);
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(PERSONAL_IDENTITY_NUMBER);
    expect(text).not.toContain(elsa.individual.name);
  });

  it('is for the lead responsible’s organisation only, and reading it is logged too', async () => {
    const planId = await planLedByHomeCare();
    const convener = await api.call('GET', `/plans/${planId}/audit`, as(VARDCENTRAL));
    expect(convener.status).toBe(403);
    expect(convener.headers.get('content-type')).toBe('application/problem+json');
    expect((await api.call('GET', `/plans/${planId}/audit`, as(OTHER_ORG))).status).toBe(404);
    const bad = await api.call('GET', `/plans/${planId}/audit?cursor=bm90LWEta2V5`, as(HEMTJANST));
    expect(bad.status).toBe(400);

    const again = await api.call('GET', `/plans/${planId}/audit?limit=100`, as(HEMTJANST));
    const reads = again.json.items.filter((e: { action: string }) => e.action === 'planAuditLog');
    expect(
      reads.map((e: { organisationId: string; status: number }) => [e.organisationId, e.status]),
    ).toEqual([
      [VARDCENTRAL, 403],
      [OTHER_ORG, 404],
      [HEMTJANST, 400],
    ]);
  });
});

describe('the audit log', () => {
  it('records a request that matches no route too: every verified caller leaves one entry', async () => {
    const res = await api.call('DELETE', '/plans', as(OTHER_ORG));
    expect(res.status).toBe(405);
    const entries = (await api.auditEntries()).filter((e) => e.requestId === res.json.requestId);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'unmatched',
        organisationId: OTHER_ORG,
        outcome: 'rejected',
        status: 405,
      }),
    ]);
  });
});

describe('GET /plans?personalIdentity=', () => {
  it('finds the individual’s plans the caller may see, in any written form of the number', async () => {
    const first = await driver.create();
    const second = await driver.create();
    const someoneElse = await driver.create({
      ...elsa,
      individual: { ...elsa.individual, personalIdentity: { type: 'personnummer', value: '19121212-1212' } },
    });
    for (const form of ['19420315-2386', '194203152386', '420315-2386', '4203152386']) {
      const res = await api.call('GET', `/plans?personalIdentity=${encodeURIComponent(form)}`);
      expect(res.status, res.text).toBe(200);
      const ids = res.json.items.map((p: { planId: string }) => p.planId);
      expect(ids).toEqual(expect.arrayContaining([first, second]));
      expect(ids).not.toContain(someoneElse);
    }
    // Home care takes part, but no consent names it yet: it finds nothing.
    const homeCare = await api.call('GET', '/plans?personalIdentity=194203152386', as(HEMTJANST));
    expect(homeCare.json.items.map((p: { planId: string }) => p.planId)).not.toContain(first);
  });

  it('reads the day of birth from the right digits of a 10-digit number, serials over 60 included', async () => {
    for (const [type, value, typed] of [
      ['personnummer', '19420315-6106', '420315-6106'],
      ['samordningsnummer', '19420375-1005', '4203751005'],
    ]) {
      const planId = await driver.create({
        ...elsa,
        individual: { ...elsa.individual, personalIdentity: { type, value } },
      });
      const res = await api.call('GET', `/plans?personalIdentity=${typed}`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.map((p: { planId: string }) => p.planId)).toContain(planId);
    }
  });

  it('refuses a number that is not one with 400 naming the parameter', async () => {
    const res = await api.call('GET', '/plans?personalIdentity=19420315-2387');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.errors[0]).toMatchObject({
      parameter: 'personalIdentity',
      detail: 'the check digit is wrong',
    });
  });

  it('lists a plan whose list item lacks its access facts to no one, not even the convener', async () => {
    const planId = await driver.create();
    const listed = async () =>
      (await api.call('GET', '/plans?limit=100')).json.items.map((p: { planId: string }) => p.planId);
    expect(await listed()).toContain(planId);
    const { DynamoDBDocumentClient, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { localClient } = await import('../../infra/local/dynamodb-local.ts');
    const { keys } = await import('../../shared/store/keys.ts');
    const client = DynamoDBDocumentClient.from(localClient(process.env.DYNAMODB_ENDPOINT ?? ''));
    await client.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: keys.membership(VARDCENTRAL, planId),
        UpdateExpression: 'REMOVE #access',
        ExpressionAttributeNames: { '#access': 'access' },
      }),
    );
    expect(await listed()).not.toContain(planId);
  });

  it('keeps no personal identity number in any key, index or audit entry', async () => {
    await driver.create();
    await api.call('GET', '/plans?personalIdentity=194203152386');
    const { DynamoDBDocumentClient, ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const { localClient } = await import('../../infra/local/dynamodb-local.ts');
    const client = DynamoDBDocumentClient.from(localClient(process.env.DYNAMODB_ENDPOINT ?? ''));
    const { Items = [] } = await client.send(new ScanCommand({ TableName: process.env.TABLE_NAME }));
    const keyValues = Items.flatMap((item) =>
      Object.entries(item)
        .filter(([name]) => /pk$|sk$|Pk$|Sk$|^due/.test(name))
        .map(([, value]) => String(value)),
    );
    expect(keyValues.some((value) => value.startsWith('PERSON#'))).toBe(true);
    // Keys hold UUIDs, whose digit runs can look like a number; look for Elsa's in every form instead.
    for (const form of ['194203152386', '4203152386', '19420315-2386', '420315-2386'])
      expect(keyValues.join('\n')).not.toContain(form);
    // Only the plan item itself holds the number: as data, where the individual's record belongs.
    const holders = Items.filter((item) => JSON.stringify(item).includes('194203152386'));
    expect(new Set(holders.map((item) => item.kind))).toEqual(new Set(['plan']));
    const audit = await api.auditEntries();
    const lookup = audit.filter((e) => e.action === 'listPlans' && e.individualRef);
    expect(lookup.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toMatch(PERSONAL_IDENTITY_NUMBER);
  });
});
