/**
 * Every rule of the SIP process (DOMAIN.md), each with a case it allows and a case it refuses. A refusal
 * is a 409 problem whose type names the rule, and it writes nothing: the plan keeps its version and the
 * table keeps its items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import {
  establishment,
  establishmentConsent,
  followUp,
  invitation,
  planDriver,
  sharingConsent,
} from '../support/process.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

const FK = {
  organisationId: 'SE2021005521-FK0000000001',
  name: 'Försäkringskassan',
  principal: 'other',
  principalName: 'Staten',
  unitKind: 'myndighet',
  participation: 'invited',
};
const withFk = { ...elsa, organisations: [...elsa.organisations, FK] };
const child = {
  ...elsa,
  individual: { personalIdentity: { type: 'personnummer', value: '20120604-9577' }, name: 'Leo Exempel' },
  initiation: { ...elsa.initiation, trigger: 'professionalAssessment' },
  representatives: [
    { kind: 'guardian', name: 'Lena Exempel', powers: ['requestPlan', 'consent', 'represent'] },
  ],
};
const withContent = (change: (content: typeof elsa.content) => object) => ({
  ...establishment(),
  content: change(structuredClone(elsa.content)),
});
const { leadResponsible: _lead, ...contentWithoutLead } = elsa.content;

/** A command to send; `planId` when it runs on another plan than the case's. */
type Step = { path: string; body: unknown; planId?: string };
interface Case {
  rule: string;
  /** The plan the command runs on. */
  given: () => Promise<string>;
  refused: Step | ((planId: string) => Promise<Step>);
  allowed: Step | ((planId: string) => Promise<Step>);
}

const consentWith = (change: object) => ({ path: '/consents', body: { ...sharingConsent(), ...change } });
const representativeId = async (planId: string) =>
  (await api.call('GET', `/plans/${planId}`)).json.representatives[0].id;
const firstConsent = async (planId: string) =>
  (await api.call('GET', `/plans/${planId}`)).json.consents[0].id;
const firstInvitation = async (planId: string) =>
  (await api.call('GET', `/plans/${planId}`)).json.invitations[0].id;
const closedPlan = async () => {
  const planId = await driver.planAt('initiated');
  await driver.expectOk(planId, '/closure', {
    reason: 'noNewNeedsExpected',
    informed: [],
    whereToTurn: 'Vårdcentralen.',
  });
  return planId;
};
const consentOnlyFor = async (recipients: string[]) => {
  const planId = await driver.planAt('initiated');
  await driver.expectOk(planId, '/consents', sharingConsent(undefined, recipients));
  return planId;
};

const CASES: Case[] = [
  {
    rule: 'invitation-required',
    given: () => driver.planAt('consented'),
    refused: { path: '/establishment', body: establishment() },
    allowed: { path: '/invitations', body: invitation() },
  },
  {
    rule: 'not-established',
    given: () => driver.planAt('invited'),
    refused: { path: '/follow-ups', body: followUp() },
    allowed: { path: '/establishment', body: establishment() },
  },
  {
    rule: 'consent-missing',
    given: () => driver.planAt('initiated'),
    refused: { path: '/invitations', body: invitation() },
    allowed: { path: '/consents', body: sharingConsent() },
  },
  {
    rule: 'consent-expired',
    given: async () => {
      const planId = await driver.planAt('initiated');
      await driver.expectOk(planId, '/consents', {
        ...sharingConsent('2025-11-01T10:00:00+01:00'),
        expiresAt: '2026-11-01T10:00:00+01:00',
      });
      return planId;
    },
    refused: { path: '/invitations', body: invitation() },
    allowed: { path: '/consents', body: sharingConsent() },
  },
  {
    rule: 'consent-withdrawn',
    given: async () => {
      const planId = await driver.planAt('initiated');
      const plan = await driver.expectOk(planId, '/consents', sharingConsent());
      await driver.expectOk(planId, `/consents/${plan.consents[0].id}/withdrawal`, {});
      return planId;
    },
    refused: { path: '/invitations', body: invitation() },
    allowed: { path: '/consents', body: sharingConsent() },
  },
  {
    rule: 'recipient-not-in-consent',
    given: () => consentOnlyFor([VARDCENTRAL]),
    refused: { path: '/invitations', body: invitation() },
    allowed: {
      path: '/invitations',
      body: { ...invitation(), invitees: [{ organisationId: VARDCENTRAL, contribution: 'Samordning' }] },
    },
  },
  {
    rule: 'consent-longer-than-a-year',
    given: () => driver.planAt('initiated'),
    refused: consentWith({ expiresAt: '2027-11-08T15:01:00+01:00' }),
    allowed: consentWith({ expiresAt: '2027-11-08T15:00:00+01:00' }),
  },
  {
    rule: 'consent-in-future',
    given: () => driver.planAt('initiated'),
    refused: consentWith({ givenAt: '2030-01-01T10:00:00+01:00' }),
    allowed: consentWith({ givenAt: '2026-11-01T10:00:00+01:00' }),
  },
  {
    rule: 'consent-not-documented',
    given: () => driver.planAt('initiated'),
    refused: consentWith({ form: 'presumed', documentation: undefined }),
    allowed: consentWith({ form: 'written', documentation: undefined }),
  },
  {
    rule: 'consent-already-withdrawn',
    given: async () => {
      const planId = await driver.planAt('initiated');
      const plan = await driver.expectOk(planId, '/consents', sharingConsent());
      await driver.expectOk(planId, `/consents/${plan.consents[0].id}/withdrawal`, {});
      await driver.expectOk(planId, '/consents', sharingConsent());
      return planId;
    },
    refused: async (planId) => {
      const plan = (await api.call('GET', `/plans/${planId}`)).json;
      return { path: `/consents/${plan.consents[0].id}/withdrawal`, body: {} };
    },
    allowed: async (planId) => {
      const plan = (await api.call('GET', `/plans/${planId}`)).json;
      return { path: `/consents/${plan.consents[1].id}/withdrawal`, body: {} };
    },
  },
  {
    rule: 'unknown-consent',
    given: () => driver.planAt('consented'),
    refused: { path: '/consents/0192a6b0-0000-7000-8000-000000000000/withdrawal', body: {} },
    allowed: async (planId) => {
      const plan = (await api.call('GET', `/plans/${planId}`)).json;
      return { path: `/consents/${plan.consents[0].id}/withdrawal`, body: {} };
    },
  },
  {
    rule: 'representative-may-not-consent',
    given: () =>
      driver.planAt('initiated', {
        ...elsa,
        representatives: [
          { kind: 'trustee', name: 'Gustav God Man', powers: [] },
          { kind: 'administrator', name: 'Fia Förvaltare', powers: ['consent', 'represent'] },
        ],
      }),
    refused: async (planId) =>
      consentWith({ givenBy: { kind: 'representative', representativeId: await representativeId(planId) } }),
    allowed: async (planId) => {
      const plan = (await api.call('GET', `/plans/${planId}`)).json;
      return consentWith({
        givenBy: { kind: 'representative', representativeId: plan.representatives[1].id },
      });
    },
  },
  {
    rule: 'guardian-consent-required',
    given: () => driver.planAt('initiated', child),
    refused: consentWith({ givenBy: { kind: 'individual' } }),
    allowed: async (planId) =>
      consentWith({ givenBy: { kind: 'representative', representativeId: await representativeId(planId) } }),
  },
  {
    rule: 'not-informed-first',
    given: () => driver.planAt('initiated'),
    refused: { path: '/consent-refusal', body: { informedFirst: false } },
    allowed: { path: '/consent-refusal', body: { informedFirst: true } },
  },
  {
    rule: 'not-a-participant',
    given: () => driver.planAt('consented'),
    refused: {
      path: '/invitations',
      body: { ...invitation(), invitees: [{ organisationId: 'SE000-UNKNOWN', contribution: 'x' }] },
    },
    allowed: { path: '/invitations', body: invitation() },
  },
  {
    rule: 'not-a-principal',
    given: () => driver.planAt('invited', withFk),
    refused: {
      path: '/establishment',
      body: withContent((c) => ({
        ...c,
        leadResponsible: {
          ...c.leadResponsible,
          organisationId: FK.organisationId,
          principal: 'other',
          principalName: 'Staten',
        },
      })),
    },
    allowed: { path: '/establishment', body: establishment() },
  },
  {
    rule: 'digital-meeting-not-agreed',
    given: () => driver.planAt('consented', { ...elsa, participation: { ways: ['inPerson'] } }),
    refused: { path: '/invitations', body: invitation() },
    allowed: {
      path: '/invitations',
      body: { ...invitation(), place: { kind: 'home', address: 'Storgatan 1, Göteborg' } },
    },
  },
  {
    rule: 'unknown-invitation',
    given: () => driver.planAt('invited'),
    refused: {
      path: '/invitations/0192a6b0-0000-7000-8000-000000000000/responses',
      body: { organisationId: HEMTJANST, kind: 'attend', attendee: { name: 'Bo' } },
    },
    allowed: async (planId) => ({
      path: `/invitations/${await firstInvitation(planId)}/responses`,
      body: { organisationId: HEMTJANST, kind: 'attend', attendee: { name: 'Bo' } },
    }),
  },
  {
    rule: 'not-an-invitee',
    given: () => driver.planAt('invited'),
    refused: async (planId) => ({
      path: `/invitations/${await firstInvitation(planId)}/responses`,
      body: { organisationId: VARDCENTRAL, kind: 'attend', attendee: { name: 'Anna' } },
    }),
    allowed: async (planId) => ({
      path: `/invitations/${await firstInvitation(planId)}/responses`,
      body: { organisationId: HEMTJANST, kind: 'attend', attendee: { name: 'Bo' } },
    }),
  },
  {
    rule: 'summoned-cannot-decline',
    given: async () => {
      const planId = await driver.planAt('initiated', withFk);
      await driver.expectOk(planId, '/consents', sharingConsent(undefined, [HEMTJANST, FK.organisationId]));
      await driver.expectOk(planId, '/invitations', {
        ...invitation(),
        invitees: [
          { organisationId: HEMTJANST, contribution: 'Hemtjänst' },
          { organisationId: FK.organisationId, contribution: 'Rehabiliteringsmöte' },
        ],
      });
      return planId;
    },
    refused: async (planId) => ({
      path: `/invitations/${await firstInvitation(planId)}/responses`,
      body: { organisationId: HEMTJANST, kind: 'decline' },
    }),
    allowed: async (planId) => ({
      path: `/invitations/${await firstInvitation(planId)}/responses`,
      body: { organisationId: FK.organisationId, kind: 'decline', note: 'Planerat avstämningsmöte i mars.' },
    }),
  },
  {
    rule: 'forward-outside-principal',
    given: () => driver.planAt('invited'),
    refused: async (planId) => ({
      path: `/invitations/${await firstInvitation(planId)}/responses`,
      body: {
        organisationId: GERIATRIK,
        kind: 'forward',
        forwardedTo: {
          ...elsa.organisations[2],
          organisationId: 'SE2321000222-E000000000001',
          principalName: 'Region Halland',
        },
      },
    }),
    allowed: async (planId) => ({
      path: `/invitations/${await firstInvitation(planId)}/responses`,
      body: { organisationId: GERIATRIK, kind: 'forward', forwardedTo: elsa.organisations[0] },
    }),
  },
  {
    rule: 'lead-responsible-required',
    given: () => driver.planAt('invited'),
    refused: { path: '/establishment', body: { ...establishment(), content: contentWithoutLead } },
    allowed: { path: '/establishment', body: establishment() },
  },
  {
    rule: 'lead-responsible-unreachable',
    given: () => driver.planAt('invited'),
    refused: {
      path: '/establishment',
      body: withContent((c) => ({
        ...c,
        leadResponsible: { ...c.leadResponsible, person: { name: 'Anna Andersson' } },
      })),
    },
    allowed: withContentStep((c) => ({
      ...c,
      leadResponsible: { ...c.leadResponsible, person: { name: 'Anna Andersson', mobile: '+46701234567' } },
    })),
  },
  {
    rule: 'intervention-required',
    given: () => driver.planAt('invited'),
    refused: withContentStep((c) => ({ ...c, interventions: [] })),
    allowed: { path: '/establishment', body: establishment() },
  },
  {
    rule: 'follow-up-required',
    given: () => driver.planAt('established'),
    refused: { path: '/follow-ups', body: followUp({ nextFollowUp: undefined }) },
    allowed: { path: '/follow-ups', body: followUp() },
  },
  {
    rule: 'follow-up-in-past',
    given: () => driver.planAt('invited'),
    refused: withContentStep((c) => ({ ...c, followUp: { date: '2026-11-14', place: 'Hemma' } })),
    allowed: withContentStep((c) => ({ ...c, followUp: { date: '2026-11-16', place: 'Hemma' } })),
  },
  {
    rule: 'unknown-intervention',
    given: () => driver.planAt('established'),
    refused: {
      path: '/follow-ups',
      body: followUp({
        interventions: [
          { interventionId: '0192a6b0-0000-7000-8000-000000000000', done: true, effect: 'intended' },
        ],
      }),
    },
    allowed: async (planId) => {
      const plan = (await api.call('GET', `/plans/${planId}`)).json;
      return {
        path: '/follow-ups',
        body: followUp({
          interventions: [
            { interventionId: plan.content.interventions[0].id, done: true, effect: 'intended' },
          ],
        }),
      };
    },
  },
  {
    rule: 'guardian-required',
    given: async () => {
      const planId = await driver.planAt('initiated', child);
      const guardian = { kind: 'representative', representativeId: await representativeId(planId) };
      await driver.expectOk(planId, '/consents', { ...sharingConsent(), givenBy: guardian });
      await driver.expectOk(planId, '/consents', { ...establishmentConsent(), givenBy: guardian });
      await driver.expectOk(planId, '/invitations', invitation());
      // The guardians are then left out of the record by mistake.
      await driver.patch(planId, { representatives: [] });
      return planId;
    },
    refused: {
      path: '/establishment',
      body: { ...establishment(), childsVoice: 'Leo var med första halvtimmen.' },
    },
    allowed: async (planId) => {
      await driver.patch(planId, { representatives: child.representatives });
      return {
        path: '/establishment',
        body: { ...establishment(), childsVoice: 'Leo var med första halvtimmen.' },
      };
    },
  },
  {
    rule: 'child-voice-missing',
    given: async () => {
      const planId = await driver.planAt('initiated', child);
      const guardian = { kind: 'representative', representativeId: await representativeId(planId) };
      await driver.expectOk(planId, '/consents', { ...sharingConsent(), givenBy: guardian });
      await driver.expectOk(planId, '/consents', { ...establishmentConsent(), givenBy: guardian });
      await driver.expectOk(planId, '/invitations', invitation());
      return planId;
    },
    refused: { path: '/establishment', body: establishment() },
    allowed: {
      path: '/establishment',
      body: {
        ...establishment(),
        childsVoice: 'Leo ville vara med en del av mötet och sa att han vill gå i skolan.',
      },
    },
  },
  {
    rule: 'not-a-request',
    given: () => driver.planAt('initiated'),
    refused: { path: '/request-refusal', body: { reason: 'Behovet kan mötas inom en verksamhet.' } },
    allowed: async () => ({
      planId: await driver.planAt('initiated', {
        ...elsa,
        initiation: { ...elsa.initiation, trigger: 'ownRequest' },
      }),
      path: '/request-refusal',
      body: { reason: 'Behovet kan mötas inom en verksamhet.' },
    }),
  },
  {
    rule: 'sip-already-established',
    given: () => driver.planAt('established'),
    refused: {
      path: '/discharge-events',
      body: { event: 'sipNotNeeded', at: '2026-11-10T08:00:00+01:00', reason: 'Klarar sig själv.' },
    },
    allowed: { path: '/discharge-events', body: { event: 'admitted', at: '2026-11-10T08:00:00+01:00' } },
  },
  // Time: a reported moment has happened; a kallelse calls a meeting ahead; meetings keep their order.
  // The API's clock stands on 2026-11-10 (TEST_NOW); a meeting is recorded an hour after it was held.
  {
    rule: 'moment-in-future',
    given: () => driver.planAt('initiated'),
    refused: {
      path: '/discharge-events',
      body: { event: 'readyForDischarge', at: '2026-11-20T14:10:00+01:00' },
    },
    allowed: {
      path: '/discharge-events',
      body: { event: 'readyForDischarge', at: '2026-11-08T14:10:00+01:00' },
    },
  },
  {
    rule: 'meeting-not-after-kallelse',
    given: () => driver.planAt('consented'),
    refused: { path: '/invitations', body: invitation('2026-11-09T10:00:00+01:00') },
    allowed: { path: '/invitations', body: invitation() },
  },
  {
    rule: 'meeting-ends-before-start',
    given: () => driver.planAt('consented'),
    refused: { path: '/invitations', body: { ...invitation(), endsAt: '2026-11-15T09:00:00+01:00' } },
    allowed: { path: '/invitations', body: { ...invitation(), endsAt: '2026-11-15T11:00:00+01:00' } },
  },
  {
    rule: 'meeting-before-kallelse',
    given: () => driver.planAt('invited'),
    refused: { path: '/establishment', body: establishment('2026-11-09T10:00:00+01:00') },
    allowed: { path: '/establishment', body: establishment() },
  },
  {
    rule: 'follow-up-before-establishment',
    given: () => driver.planAt('established'),
    refused: {
      path: '/follow-ups',
      body: followUp({
        meeting: { heldAt: '2026-11-14T10:00:00+01:00', attendees: [], leader: { name: 'A' } },
      }),
    },
    allowed: { path: '/follow-ups', body: followUp() },
  },
  {
    rule: 'not-a-recipient',
    given: () => driver.planAt('consented'),
    refused: async (planId) => ({
      path: `/consents/${await firstConsent(planId)}/withdrawal`,
      body: { recipients: ['SE2321000131-E000000000777'] },
    }),
    allowed: async (planId) => ({
      path: `/consents/${await firstConsent(planId)}/withdrawal`,
      body: { recipients: [GERIATRIK] },
    }),
  },
  {
    rule: 'recipient-already-withdrawn',
    given: async () => {
      const planId = await driver.planAt('consented');
      await driver.expectOk(planId, `/consents/${await firstConsent(planId)}/withdrawal`, {
        recipients: [GERIATRIK],
      });
      return planId;
    },
    refused: async (planId) => ({
      path: `/consents/${await firstConsent(planId)}/withdrawal`,
      body: { recipients: [GERIATRIK] },
    }),
    allowed: async (planId) => ({
      path: `/consents/${await firstConsent(planId)}/withdrawal`,
      body: { recipients: [HEMTJANST] },
    }),
  },
  {
    rule: 'withdrawal-before-consent',
    given: () => driver.planAt('consented'),
    refused: async (planId) => ({
      path: `/consents/${await firstConsent(planId)}/withdrawal`,
      body: { withdrawnAt: '2026-11-07T10:00:00+01:00' },
    }),
    allowed: async (planId) => ({ path: `/consents/${await firstConsent(planId)}/withdrawal`, body: {} }),
  },
];

function withContentStep(change: (content: typeof elsa.content) => object): Step {
  return { path: '/establishment', body: withContent(change) };
}

describe('every rule of the process', () => {
  it.each(CASES)(
    '$rule: refused with 409 and nothing written; the allowed case goes through',
    async ({ rule, given, refused, allowed }) => {
      const planId = await given();
      const before = await api.call('GET', `/plans/${planId}`);
      const itemsBefore = await api.itemCount();
      const refusedStep = typeof refused === 'function' ? await refused(planId) : refused;
      const res = await driver.send(planId, refusedStep.path, refusedStep.body);
      expect(res.status, res.text).toBe(409);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({ type: `/problems/${rule}`, status: 409, rule });
      expect(await api.itemCount()).toBe(itemsBefore);
      expect((await api.call('GET', `/plans/${planId}`)).json).toEqual(before.json);

      const allowedStep = typeof allowed === 'function' ? await allowed(planId) : allowed;
      const ok = await driver.send(allowedStep.planId ?? planId, allowedStep.path, allowedStep.body);
      expect(ok.status, ok.text).toBeLessThan(300);
    },
  );

  it('covers every rule a command can refuse with', async () => {
    const { RULES } = await import('../../shared/domain/commands/rules.ts');
    // A change to an ended plan is refused before any command runs, by the access policy (403, tested
    // below); `plan-closed` remains the lifecycle's own guard for callers inside the service.
    const overHttp = Object.keys(RULES).filter((rule) => rule !== 'plan-closed');
    expect(CASES.map((c) => c.rule).sort()).toEqual(overHttp.sort());
  });

  it('refuses every change to a closed plan with 403, and writes nothing', async () => {
    const planId = await closedPlan();
    const before = await api.call('GET', `/plans/${planId}`);
    const itemsBefore = await api.itemCount();
    for (const step of [consentWith({}), { path: '/closure', body: {} }]) {
      const res = await driver.send(planId, step.path, step.body);
      expect(res.status, res.text).toBe(403);
      expect(res.json).toMatchObject({
        type: '/problems/forbidden',
        detail: 'the plan is closed: it is read-only',
      });
    }
    const patch = await api.call('PATCH', `/plans/${planId}`, {
      body: { longTermGoal: 'Ny' },
      headers: { 'if-match': before.headers.get('etag') ?? '' },
    });
    expect(patch.status).toBe(403);
    expect(await api.itemCount()).toBe(itemsBefore);
    expect((await api.call('GET', `/plans/${planId}`)).json).toEqual(before.json);
  });
});
