/** Whole lives of plans over HTTP, against DynamoDB Local: scenario 1 (Elsa) from discharge to closure, and a restart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import {
  establishment,
  establishmentConsent,
  invitation,
  planDriver,
  sharingConsent,
} from '../support/process.ts';
import { elsa, GERIATRIK, GERIATRIK_OSTER, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let api: Awaited<ReturnType<typeof startTestApi>>;
let driver: ReturnType<typeof planDriver>;
beforeAll(async () => {
  api = await startTestApi();
  driver = planDriver(api);
});
afterAll(() => api?.close());

describe('Elsa’s plan, from discharge to closure', () => {
  it('goes through every step of the process and keeps the record of each', async () => {
    const planId = await driver.create(elsa);

    // Day 6: the ward reports her ready for discharge at 14:10; the three-day kallelse deadline starts.
    const ready = await driver.expectOk(planId, '/discharge-events', {
      event: 'readyForDischarge',
      at: '2026-11-08T14:10:00+01:00',
    });
    expect(ready.discharge.readyForDischargeAt).toBe('2026-11-08T14:10:00+01:00');

    // Oral consent to sharing with the vårdcentral, home care and the geriatric teams, and to establishing the plan.
    const consented = await driver.expectOk(
      planId,
      '/consents',
      sharingConsent('2026-11-08T15:00:00+01:00', [
        VARDCENTRAL,
        HEMTJANST,
        GERIATRIK,
        GERIATRIK_OSTER.organisationId,
      ]),
    );
    expect(consented.consents[0].expiresAt).toBe('2027-11-08T15:00:00.000+01:00');
    await driver.expectOk(planId, '/consents', establishmentConsent());

    // Day 8: the kallelse, for a digital meeting Elsa agreed to.
    const invited = await driver.expectOk(planId, '/invitations', invitation());
    expect(invited.status).toBe('invited');
    const invitationId = invited.invitations[0].id;
    expect(invited.invitations[0].invitees.map((i: { participation: string }) => i.participation)).toEqual([
      'summoned',
      'summoned',
    ]);

    // Home care attends; the geriatric team forwards to its colleagues, who send a substitute.
    await driver.expectOk(planId, `/invitations/${invitationId}/responses`, {
      organisationId: HEMTJANST,
      kind: 'attend',
      attendee: { name: 'Bo Biståndshandläggare', email: 'bo@example.se' },
    });
    const forwarded = await driver.expectOk(planId, `/invitations/${invitationId}/responses`, {
      organisationId: GERIATRIK,
      kind: 'forward',
      forwardedTo: GERIATRIK_OSTER,
    });
    expect(
      forwarded.invitations[0].invitees.map((i: { organisationId: string }) => i.organisationId),
    ).toContain(GERIATRIK_OSTER.organisationId);
    expect(forwarded.notices).toEqual([
      expect.objectContaining({
        kind: 'invitationForwarded',
        organisationId: GERIATRIK_OSTER.organisationId,
      }),
    ]);
    const substituted = await driver.expectOk(planId, `/invitations/${invitationId}/responses`, {
      organisationId: GERIATRIK_OSTER.organisationId,
      kind: 'substitute',
      attendee: { name: 'Sara Sjukgymnast', email: 'sara@example.se' },
    });
    const oster = substituted.invitations[0].invitees.find(
      (i: { organisationId: string }) => i.organisationId === GERIATRIK_OSTER.organisationId,
    );
    expect(oster.responses[0]).toMatchObject({ kind: 'substitute', attendee: { name: 'Sara Sjukgymnast' } });

    // Day 13: the plan is established; it came from a discharge, so KVÅ AU125.
    const established = await driver.expectOk(
      planId,
      '/establishment',
      establishment('2026-11-15T10:00:00+01:00'),
    );
    expect(established).toMatchObject({ status: 'established', establishment: { kvaCode: 'AU125' } });
    expect(established.content.interventions).toHaveLength(2);
    const [homeCare, physio] = established.content.interventions;

    // Day 55: the follow-up; the plan is revised and the next follow-up booked.
    const revised = await driver.expectOk(planId, '/follow-ups', {
      meeting: {
        heldAt: '2027-01-09T10:00:00+01:00',
        attendees: [{ name: 'Elsa Exempel' }],
        leader: { name: 'Anna Andersson' },
      },
      progress: 'Elsa går till brevlådan själv; till affären med sällskap.',
      interventions: [
        { interventionId: homeCare.id, done: true, effect: 'intended' },
        { interventionId: physio.id, done: true, effect: 'partly', comment: 'Fortsätter fyra veckor till.' },
      ],
      outcome: 'revised',
      nextFollowUp: { date: '2027-03-06', place: 'Elsas hem' },
    });
    expect(revised.followUps[0]).toMatchObject({ kvaCode: 'AW010', outcome: 'revised', early: false });
    expect(revised.content.followUp).toEqual({ date: '2027-03-06', place: 'Elsas hem' });

    // The second follow-up closes the plan: needs met, and Elsa is told where to turn.
    const closed = await driver.expectOk(planId, '/follow-ups', {
      meeting: {
        heldAt: '2027-03-06T10:00:00+01:00',
        attendees: [{ name: 'Elsa Exempel' }],
        leader: { name: 'Anna Andersson' },
      },
      progress: 'Elsa går till affären själv.',
      interventions: [{ interventionId: homeCare.id, done: true, effect: 'intended' }],
      outcome: 'closed',
      closure: {
        reason: 'needsMet',
        informed: ['Elsa Exempel', 'Hemtjänsten Centrum', 'Geriatriska teamet Öster'],
        whereToTurn: 'Ring vårdcentralen på 031-123 45 67 om du behöver stöd igen.',
      },
    });
    expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'needsMet' } });
    expect(closed.followUps).toHaveLength(2);

    // Every step is a version with its revision, written in the same transaction.
    const revisions = await api.call('GET', `/plans/${planId}/revisions`);
    expect(revisions.json.items.map((r: { action: string }) => r.action)).toEqual([
      'create',
      'recordDischargeEvent',
      'giveConsent',
      'giveConsent',
      'sendInvitation',
      'respondToInvitation',
      'respondToInvitation',
      'respondToInvitation',
      'establish',
      'recordFollowUp',
      'recordFollowUp',
    ]);

    // A closed plan is read-only: the access policy refuses every change.
    const late = await driver.send(planId, '/consents', sharingConsent());
    expect(late.status).toBe(403);
    expect(late.json.detail).toBe('the plan is closed: it is read-only');

    // The document the individual gets: written to her, escaped, with no script.
    const document = await api.call('GET', `/plans/${planId}/document`);
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toContain('text/html');
    expect(document.text).toContain('Elsas plan');
    expect(document.text).toContain('Att kunna bo kvar hemma och gå till affären själv.');
    expect(document.text).toContain('Planen är avslutad');
    expect(document.text).toContain('Ring vårdcentralen på 031-123 45 67');
    expect(document.text).not.toContain('När vi ses nästa gång');
    expect(document.text).not.toContain('<script');
    expect(document.text).not.toContain('194203152386');
  });
});

describe('a restart after a changed goal', () => {
  it('closes the plan with goalChanged and opens a new one, linked both ways, that needs new consent', async () => {
    const planId = await driver.planAt('established');
    const res = await driver.send(planId, '/restart', {
      longTermGoal: 'Att flytta till ett seniorboende nära dottern.',
      informed: ['Elsa Exempel', 'Hemtjänsten Centrum'],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/plans/${res.json.planId}`);
    expect(res.json).toMatchObject({
      status: 'initiated',
      restartOf: planId,
      consents: [],
      longTermGoal: 'Att flytta till ett seniorboende nära dottern.',
      individual: { personalIdentity: { value: '194203152386' } },
    });
    const old = await api.call('GET', `/plans/${planId}`);
    expect(old.json).toMatchObject({
      status: 'closed',
      restartedAs: res.json.planId,
      closure: { reason: 'goalChanged' },
    });

    const invite = await driver.send(res.json.planId, '/invitations', invitation());
    expect(invite.status).toBe(409);
    expect(invite.json.type).toBe('/problems/consent-missing');
  });
});

describe('commands on an existing plan', () => {
  it('need If-Match: 428 without it, 412 when stale, and nothing is written', async () => {
    const planId = await driver.planAt('initiated');
    const items = await api.itemCount();
    const missing = await api.call('POST', `/plans/${planId}/consents`, { body: sharingConsent() });
    expect(missing.status).toBe(428);
    const stale = await api.call('POST', `/plans/${planId}/consents`, {
      body: sharingConsent(),
      headers: { 'if-match': '"9"' },
    });
    expect(stale.status).toBe(412);
    expect(await api.itemCount()).toBe(items);
  });

  it('flag an established plan for follow-up or restart when the individual is admitted again', async () => {
    const planId = await driver.planAt('established');
    api.at(new Date('2026-12-01T09:00:00+01:00'));
    const plan = await driver
      .expectOk(planId, '/discharge-events', { event: 'admitted', at: '2026-12-01T08:00:00+01:00' })
      .finally(() => api.at(undefined));
    expect(plan.discharge).toMatchObject({ admittedAt: '2026-12-01T08:00:00+01:00', reviewNeeded: true });
    expect(plan.notices).toEqual([expect.objectContaining({ kind: 'admittedToInpatientCare' })]);
  });

  it('record that no SIP is needed as sent to every participating unit, ending the process', async () => {
    const planId = await driver.planAt('initiated');
    const plan = await driver.expectOk(planId, '/discharge-events', {
      event: 'sipNotNeeded',
      at: '2026-11-09T09:00:00+01:00',
      reason: 'Elsa klarar sig med hemtjänst som tidigare.',
    });
    expect(plan.status).toBe('notNeeded');
    expect(plan.discharge.sipNotNeeded.sentTo.sort()).toEqual([GERIATRIK, HEMTJANST, VARDCENTRAL].sort());
  });

  it('close an established plan when the consent to establish it is withdrawn', async () => {
    const planId = await driver.planAt('established');
    const current = (await api.call('GET', `/plans/${planId}`)).json;
    const consent = current.consents.find((c: { kind: string }) => c.kind === 'planEstablishment');
    const plan = await driver.expectOk(planId, `/consents/${consent.id}/withdrawal`, {});
    expect(plan).toMatchObject({ status: 'closed', closure: { reason: 'consentWithdrawn' } });
    expect(plan.closure.whereToTurn).toContain('Vårdcentralen Centrum');
  });
});

describe('the plan document', () => {
  it('escapes everything that comes from the record', async () => {
    const body = structuredClone(elsa);
    body.longTermGoal = '<script>alert("x")</script> & mer';
    const planId = await driver.create(body);
    const document = await api.call('GET', `/plans/${planId}/document`);
    expect(document.text).not.toContain('<script>');
    // What a browser reads there is the text as written: decoded, the goal's paragraph is the goal.
    const goal = /<p class="goal">([^<]*)<\/p>/.exec(document.text)?.[1] ?? '';
    const decoded = goal.replace(
      /&(lt|gt|quot|#39|amp);/g,
      (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '',
    );
    expect(decoded).toBe(body.longTermGoal);
    expect(document.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});
