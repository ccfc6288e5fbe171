/**
 * Who may change what (DOMAIN.md, "Who may change what"): every rule of authority and every invariant,
 * each with the request it refuses — a 403 or 409 problem whose `type` names the rule and whose `pointer`
 * names the part, nothing written — and the request it lets through. The refused cases are the ones seen
 * when the scenarios were tried against the service as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRequest } from '../../infra/local/auth.ts';
import { OTHER_ORG, startTestApi } from '../support/api.ts';
import { establishment, followUp, planDriver, sharingConsent } from '../support/process.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

// biome-ignore lint/suspicious/noExplicitAny: the tests read and reshape plans as a client would
type Json = any;
type Request =
  | { patch: (plan: Json) => object; as: string }
  | { command: string; body: (plan: Json) => object; as: string; at?: string };

interface Case {
  name: string;
  given: () => Promise<string>;
  refused: Request;
  status: 403 | 409;
  rule: string;
  pointer: string;
  allowed: Request;
}

/** Elsa's plan established with home care as lead responsible: the keeper is then home care, not the convener. */
async function ledByHomeCare() {
  const planId = await driver.planAt('invited');
  const body = establishment();
  const leadResponsible = {
    organisationId: HEMTJANST,
    name: 'Hemtjänsten Centrum',
    principal: 'municipality',
    principalName: 'Göteborgs Stad',
    person: { name: 'Bo Biståndshandläggare', email: 'bo@example.se' },
  };
  await driver.expectOk(planId, '/establishment', { ...body, content: { ...body.content, leadResponsible } });
  return planId;
}

const established = () => driver.planAt('established');
const intervention = (plan: Json, org: string) =>
  plan.content.interventions.findIndex((i: Json) => i.responsibleOrganisationId === org);
/** The plan's interventions, with one field of one changed. */
const changeIntervention = (plan: Json, index: number, change: object) => ({
  content: {
    interventions: plan.content.interventions.map((i: Json, n: number) =>
      n === index ? { ...i, ...change } : i,
    ),
  },
});
const outsider = {
  ...elsa.organisations[1],
  organisationId: OTHER_ORG,
  name: 'Föreningen Utanför',
  principal: 'other',
  participation: 'invited',
};

const CASES: Case[] = [
  {
    name: 'a participant changes another organisation’s intervention',
    given: established,
    refused: {
      as: GERIATRIK,
      patch: (p) =>
        changeIntervention(p, intervention(p, HEMTJANST), { description: 'Ingen utredning behövs' }),
    },
    status: 403,
    rule: 'own-interventions-only',
    pointer: '/content/interventions/0',
    allowed: {
      as: HEMTJANST,
      patch: (p) => changeIntervention(p, intervention(p, HEMTJANST), { frequency: 'tre gånger om dagen' }),
    },
  },
  {
    name: 'the lead responsible changes another organisation’s intervention',
    given: established,
    refused: {
      as: VARDCENTRAL,
      patch: (p) => changeIntervention(p, intervention(p, GERIATRIK), { performer: 'Någon annan' }),
    },
    status: 403,
    rule: 'own-interventions-only',
    pointer: '/content/interventions/1',
    allowed: {
      as: GERIATRIK,
      patch: (p) => changeIntervention(p, intervention(p, GERIATRIK), { performer: 'Fysioterapeut Lisa' }),
    },
  },
  {
    name: 'an edit strips the lead responsible from an established plan',
    given: established,
    refused: { as: VARDCENTRAL, patch: () => ({ content: { leadResponsible: null } }) },
    status: 403,
    rule: 'agreed-at-meeting',
    pointer: '/content/leadResponsible',
    allowed: {
      as: VARDCENTRAL,
      patch: (p) => ({
        content: {
          leadResponsible: {
            ...p.content.leadResponsible,
            person: { ...p.content.leadResponsible.person, mobile: '+46709876543' },
          },
        },
      }),
    },
  },
  {
    name: 'an edit strips the interventions',
    given: established,
    refused: { as: VARDCENTRAL, patch: () => ({ content: { interventions: null } }) },
    status: 403,
    rule: 'agreed-at-meeting',
    pointer: '/content/interventions',
    allowed: { as: VARDCENTRAL, command: '/follow-ups', body: () => followUp() },
  },
  {
    name: 'an edit strips the follow-up',
    given: established,
    refused: { as: VARDCENTRAL, patch: () => ({ content: { followUp: null } }) },
    status: 403,
    rule: 'agreed-at-meeting',
    pointer: '/content/followUp',
    allowed: { as: VARDCENTRAL, command: '/follow-ups', body: () => followUp() },
  },
  {
    name: 'the convener names itself lead responsible after establishment',
    given: ledByHomeCare,
    refused: {
      as: VARDCENTRAL,
      patch: (p) => ({
        content: { leadResponsible: { ...p.content.leadResponsible, organisationId: VARDCENTRAL } },
      }),
    },
    status: 403,
    rule: 'agreed-at-meeting',
    pointer: '/content/leadResponsible',
    allowed: {
      as: HEMTJANST,
      command: '/follow-ups',
      body: (p) =>
        followUp({ content: { ...p.content, leadResponsible: { ...elsa.content.leadResponsible } } }),
    },
  },
  {
    name: 'the goals change by an edit after establishment',
    given: established,
    refused: { as: VARDCENTRAL, patch: () => ({ longTermGoal: 'Något annat' }) },
    status: 403,
    rule: 'agreed-at-meeting',
    pointer: '/longTermGoal',
    allowed: {
      as: VARDCENTRAL,
      command: '/follow-ups',
      body: (p) => followUp({ content: { ...p.content } }),
    },
  },
  {
    name: 'a participant drafts what the convener drafts before the meeting',
    given: () => driver.planAt('consented'),
    refused: {
      as: HEMTJANST,
      patch: () => ({ content: { followUp: { date: '2027-01-16', place: 'Hemma' } } }),
    },
    status: 403,
    rule: 'keeper-only',
    pointer: '/content/followUp',
    allowed: {
      as: VARDCENTRAL,
      patch: () => ({ content: { followUp: { date: '2027-01-16', place: 'Hemma' } } }),
    },
  },
  {
    name: 'a participant that is neither convener nor lead lets an outsider in',
    given: () => driver.planAt('consented'),
    refused: { as: HEMTJANST, patch: (p) => ({ organisations: [...p.organisations, outsider] }) },
    status: 403,
    rule: 'keeper-only',
    pointer: '/organisations',
    allowed: { as: VARDCENTRAL, patch: (p) => ({ organisations: [...p.organisations, outsider] }) },
  },
  {
    name: 'a participant changes another organisation’s contact person',
    given: () => driver.planAt('consented'),
    refused: {
      as: HEMTJANST,
      patch: (p) => ({
        organisations: p.organisations.map((o: Json) =>
          o.organisationId === GERIATRIK ? { ...o, contactPerson: { name: 'Fel Person' } } : o,
        ),
      }),
    },
    status: 403,
    rule: 'keeper-only',
    pointer: '/organisations',
    allowed: {
      as: HEMTJANST,
      patch: (p) => ({
        organisations: p.organisations.map((o: Json) =>
          o.organisationId === HEMTJANST
            ? { ...o, contactPerson: { name: 'Bo B', email: 'bo@example.se' } }
            : o,
        ),
      }),
    },
  },
  {
    name: 'a participant edits the individual’s details',
    given: () => driver.planAt('consented'),
    refused: { as: GERIATRIK, patch: (p) => ({ individual: { ...p.individual, name: 'Elsa Annan' } }) },
    status: 403,
    rule: 'keeper-only',
    pointer: '/individual',
    allowed: {
      as: VARDCENTRAL,
      patch: (p) => ({ individual: { ...p.individual, name: 'Elsa Exempel-Ny' } }),
    },
  },
  {
    name: 'a participant that is neither convener nor lead records a consent naming an outsider',
    given: () => driver.planAt('consented'),
    refused: {
      as: HEMTJANST,
      command: '/consents',
      body: () => sharingConsent(undefined, [OTHER_ORG]),
    },
    status: 403,
    rule: 'keeper-only',
    pointer: '',
    allowed: { as: VARDCENTRAL, command: '/consents', body: () => sharingConsent(undefined, [HEMTJANST]) },
  },
  {
    name: 'home care records the answer of the geriatric team',
    given: () => driver.planAt('invited'),
    refused: {
      as: HEMTJANST,
      command: '/invitations/{invitationId}/responses',
      body: () => ({ organisationId: GERIATRIK, kind: 'attend', attendee: { name: 'Gun' } }),
    },
    status: 403,
    rule: 'own-answer-only',
    pointer: '/organisationId',
    allowed: {
      as: GERIATRIK,
      command: '/invitations/{invitationId}/responses',
      body: () => ({ organisationId: GERIATRIK, kind: 'attend', attendee: { name: 'Gun' } }),
    },
  },
  {
    name: 'a unit that is neither lead nor convener records a follow-up',
    given: established,
    refused: { as: GERIATRIK, command: '/follow-ups', body: () => followUp({ progress: 'x' }) },
    status: 403,
    rule: 'keeper-only',
    pointer: '',
    allowed: { as: VARDCENTRAL, command: '/follow-ups', body: () => followUp() },
  },
  {
    name: 'a unit that is neither lead nor convener restarts the plan',
    given: established,
    refused: { as: HEMTJANST, command: '/restart', body: () => ({ longTermGoal: 'Nytt mål', informed: [] }) },
    status: 403,
    rule: 'keeper-only',
    pointer: '',
    allowed: {
      as: VARDCENTRAL,
      command: '/restart',
      body: () => ({ longTermGoal: 'Nytt mål', informed: [] }),
    },
  },
  {
    name: 'the convener holds a follow-up once another organisation is lead',
    given: ledByHomeCare,
    refused: { as: VARDCENTRAL, command: '/follow-ups', body: () => followUp() },
    status: 403,
    rule: 'keeper-only',
    pointer: '',
    allowed: { as: HEMTJANST, command: '/follow-ups', body: () => followUp() },
  },
  {
    name: 'a participant sends the kallelse',
    given: () => driver.planAt('consented'),
    refused: {
      as: GERIATRIK,
      command: '/invitations',
      body: () => ({
        purpose: 'Möte',
        questions: ['Vad behövs?'],
        startsAt: '2026-11-15T10:00:00+01:00',
        place: { kind: 'home', address: 'Storgatan 1' },
        invitees: [{ organisationId: HEMTJANST, contribution: 'Hemtjänst' }],
      }),
    },
    status: 403,
    rule: 'keeper-only',
    pointer: '',
    allowed: {
      as: VARDCENTRAL,
      command: '/invitations',
      body: () => ({
        purpose: 'Möte',
        questions: ['Vad behövs?'],
        startsAt: '2026-11-15T10:00:00+01:00',
        place: { kind: 'home', address: 'Storgatan 1' },
        invitees: [{ organisationId: HEMTJANST, contribution: 'Hemtjänst' }],
      }),
    },
  },
  {
    name: 'a participant records that no SIP is needed',
    given: () => driver.planAt('consented'),
    refused: {
      as: GERIATRIK,
      command: '/discharge-events',
      body: () => ({ event: 'sipNotNeeded', at: '2026-11-09T10:00:00+01:00', reason: 'Klarar sig.' }),
    },
    status: 403,
    rule: 'keeper-only',
    pointer: '/event',
    allowed: {
      as: GERIATRIK,
      command: '/discharge-events',
      body: () => ({ event: 'readyForDischarge', at: '2026-11-09T10:00:00+01:00' }),
    },
  },
  {
    name: 'the keeper removes an organisation that is still invited to the meeting',
    // No draft content: the geriatric team is named only as an invitee.
    given: () => driver.planAt('invited', { ...elsa, content: undefined }),
    refused: {
      as: VARDCENTRAL,
      patch: (p) => ({ organisations: p.organisations.filter((o: Json) => o.organisationId !== GERIATRIK) }),
    },
    status: 409,
    rule: 'not-a-participant',
    pointer: '/invitations/0/invitees/1/organisationId',
    allowed: {
      as: VARDCENTRAL,
      patch: (p) => ({ organisations: [...p.organisations, outsider] }),
    },
  },
];

const tokenOf = (org: string): Partial<TokenRequest> => ({
  organisationId: org,
  userId: `user-of-${org.slice(-3)}`,
});

async function send(planId: string, request: Request) {
  const current = await api.call('GET', `/plans/${planId}`);
  const plan = current.json;
  const ifMatch = current.headers.get('etag') ?? '';
  if ('patch' in request) {
    return api.call('PATCH', `/plans/${planId}`, {
      body: request.patch(plan),
      headers: { 'if-match': ifMatch, 'content-type': 'application/merge-patch+json' },
      as: tokenOf(request.as),
    });
  }
  const path = request.command.replace('{invitationId}', plan.invitations[0]?.id ?? '');
  const body = request.body(plan) as { meeting?: { heldAt: string } };
  // A meeting is recorded after it was held.
  if (body.meeting) api.at(new Date(Date.parse(body.meeting.heldAt) + 3_600_000));
  return api
    .call('POST', `/plans/${planId}${path}`, {
      body,
      headers: { 'if-match': ifMatch },
      as: tokenOf(request.as),
    })
    .finally(() => api.at(undefined));
}

describe('who may change what', () => {
  it.each(CASES)('$name: refused with $status $rule at $pointer, nothing written', async (c) => {
    const planId = await c.given();
    const before = await api.call('GET', `/plans/${planId}`);
    const revisionsBefore = (await api.call('GET', `/plans/${planId}/revisions`)).json.items.length;
    const itemsBefore = await api.itemCount();

    const res = await send(planId, c.refused);
    expect(res.status, res.text).toBe(c.status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({
      type: `/problems/${c.rule}`,
      status: c.status,
      rule: c.rule,
      pointer: c.pointer,
    });
    expect(await api.itemCount()).toBe(itemsBefore);
    const after = await api.call('GET', `/plans/${planId}`);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(after.json).toEqual(before.json);
    expect((await api.call('GET', `/plans/${planId}/revisions`)).json.items).toHaveLength(revisionsBefore);

    const ok = await send(planId, c.allowed);
    expect(ok.status, ok.text).toBeLessThan(300);
  });

  it('never refuses a withdrawal: one that leaves the lead without consent makes an early follow-up due, held by the convener', async () => {
    const planId = await ledByHomeCare();
    let plan = (await api.call('GET', `/plans/${planId}`)).json;
    // Elsa withdraws the consent that named home care, the lead responsible's organisation.
    const sharing = plan.consents.find((c: Json) => c.kind === 'informationSharing');
    const res = await api.call('POST', `/plans/${planId}/consents/${sharing.id}/withdrawal`, {
      body: {},
      headers: { 'if-match': `"${plan.version}"` },
      as: tokenOf(VARDCENTRAL),
    });
    expect(res.status, res.text).toBe(200);
    plan = res.json;
    expect(plan.status).toBe('established');
    expect(plan.earlyFollowUp).toMatchObject({ reason: 'leadResponsibleWithoutConsent' });
    expect(plan.notices).toContainEqual(
      expect.objectContaining({ kind: 'leadResponsibleWithoutConsent', organisationId: HEMTJANST }),
    );
    // Home care may no longer change the plan; the convener holds the early follow-up and chooses the lead again.
    expect(
      (await send(planId, { as: HEMTJANST, command: '/follow-ups', body: () => followUp() })).status,
    ).toBe(403);
    const consent = sharingConsent('2026-11-10T08:00:00+01:00', [VARDCENTRAL, GERIATRIK]);
    expect((await send(planId, { as: VARDCENTRAL, command: '/consents', body: () => consent })).status).toBe(
      200,
    );
    const held = await send(planId, {
      as: VARDCENTRAL,
      command: '/follow-ups',
      body: (p) =>
        followUp({
          meeting: { heldAt: '2026-11-20T10:00:00+01:00', attendees: [], leader: { name: 'Anna Andersson' } },
          content: { ...p.content, leadResponsible: elsa.content.leadResponsible },
        }),
    });
    expect(held.status, held.text).toBe(200);
    expect(held.json.earlyFollowUp).toBeUndefined();
    expect(held.json.followUps.at(-1).early).toBe(true);
  });

  it('lets an organisation a consent names record the individual’s withdrawal of it, and no one else', async () => {
    const planId = await driver.planAt('consented');
    const plan = (await api.call('GET', `/plans/${planId}`)).json;
    const consent = plan.consents.find((c: Json) => c.kind === 'informationSharing');
    const withdraw = (org: string) =>
      api.call('POST', `/plans/${planId}/consents/${consent.id}/withdrawal`, {
        body: {},
        headers: { 'if-match': `"${plan.version}"` },
        as: tokenOf(org),
      });
    // Geriatrics is named by the consent: the individual may tell it, and it records the withdrawal.
    const res = await withdraw(GERIATRIK);
    expect(res.status, res.text).toBe(200);
    expect(res.json.consents.find((c: Json) => c.id === consent.id).withdrawnAt).toBeDefined();
  });
});
