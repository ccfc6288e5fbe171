import { describe, expect, it } from 'vitest';
import { changedPaths } from '../../shared/domain/changes.ts';
import { Consent, consentPeriodProblem } from '../../shared/domain/consent.ts';
import { applyMergePatch } from '../../shared/domain/json-merge-patch.ts';
import { ParticipatingOrganisation, Representative } from '../../shared/domain/people.ts';
import { CreatePlanRequest, Plan } from '../../shared/domain/plan.ts';
import { editPlan, newPlan } from '../../shared/domain/plan-edits.ts';
import { FollowUp, Invitation } from '../../shared/domain/process.ts';
import { elsa, minimal, VARDCENTRAL } from '../support/scenarios.ts';

const actor = { userId: 'u1', organisationId: VARDCENTRAL };
let counter = 0;
const context = (now = new Date('2026-11-24T08:00:00Z')) => ({
  actor,
  now,
  newId: () => `00000000-0000-7000-8000-${String(++counter).padStart(12, '0')}`,
});
const PLAN_ID = '0192a6b0-0000-7000-8000-000000000001';

describe('a new plan', () => {
  it('starts initiated at version 1, with the convener defaulting to whoever noticed the need', () => {
    const plan = newPlan(CreatePlanRequest.parse(minimal), PLAN_ID, context());
    expect(plan).toMatchObject({
      planId: PLAN_ID,
      status: 'initiated',
      version: 1,
      convener: minimal.initiation.noticedBy,
    });
    expect(plan.createdAt).toBe('2026-11-24T09:00:00.000+01:00');
    expect(Plan.safeParse(plan).success).toBe(true);
  });

  it('is a valid plan with every part of scenario 1 (Elsa)', () => {
    const plan = newPlan(CreatePlanRequest.parse(elsa), PLAN_ID, context());
    const result = Plan.safeParse(plan);
    expect(result.error?.issues ?? []).toEqual([]);
    expect(plan.individual.personalIdentity.value).toBe('194203152386');
    expect(plan.representatives?.[0]?.id).toBeDefined();
  });
});

describe('editing a plan', () => {
  const plan = newPlan(CreatePlanRequest.parse(elsa), PLAN_ID, context());

  it('records the changed fields as JSON Pointers and bumps the version', () => {
    const edit = editPlan(
      plan,
      { longTermGoal: 'Att bo kvar hemma.', content: { followUp: { date: '2027-01-16' } } },
      context(),
    );
    expect(edit.changes.sort()).toEqual(['/content/followUp/date', '/longTermGoal']);
    expect(edit.plan.version).toBe(2);
    expect(edit.plan.content?.followUp).toEqual({ date: '2027-01-16', place: 'Elsas hem' });
  });

  it('refuses to remove the convener or the individual', () => {
    expect(() => editPlan(plan, { convener: null }, context())).toThrow(/convener/);
    expect(() => editPlan(plan, { individual: null }, context())).toThrow(/individual/);
  });

  it('canonicalises a personal identity given in the ten-digit form', () => {
    const edit = editPlan(plan, { individual: { personalIdentity: { value: '420315-2386' } } }, context());
    expect(edit.changes).toEqual([]);
  });
});

describe('JSON Merge Patch (RFC 7396)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: ['b'] }, { a: ['c', 'd'] }, { a: ['c', 'd'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('merges %j with %j into %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('keeps __proto__ as a plain member instead of changing the prototype', () => {
    const merged = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('changed paths', () => {
  it('lists added, removed and changed leaves, escaping ~ and /', () => {
    expect(
      changedPaths({ a: 1, b: { c: 2 }, 'x/y': 1 }, { a: 1, b: { c: 3, d: 4 }, 'x/y': 2 }).sort(),
    ).toEqual(['/b/c', '/b/d', '/x~1y']);
    expect(changedPaths({ list: [1, 2] }, { list: [1] })).toEqual(['/list/1']);
    expect(changedPaths({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });
});

describe('the parts of the model', () => {
  const consent = {
    id: '0192a6b0-0000-7000-8000-0000000000c1',
    kind: 'informationSharing',
    form: 'oral',
    givenBy: { kind: 'individual' },
    recipients: [VARDCENTRAL],
    scope: 'Uppgifter om hälsa och behov av stöd i hemmet.',
    givenAt: '2025-02-28T10:00:00+01:00',
    expiresAt: '2026-02-28T10:00:00+01:00',
    recordedAt: '2025-02-28T10:05:00+01:00',
    recordedBy: actor,
  };

  it('lets a consent last exactly one year and not a minute more', () => {
    expect(Consent.safeParse(consent).success).toBe(true);
    expect(consentPeriodProblem(consent.givenAt, '2026-02-28T10:01:00+01:00')).toBe(
      'a consent lasts at most one year from when it was given',
    );
    expect(consentPeriodProblem(consent.givenAt, consent.givenAt)).toBe(
      'a consent must expire after it was given',
    );
  });

  it('never lets a consent be general: it names at least one recipient', () => {
    const result = Consent.safeParse({ ...consent, recipients: [] });
    expect(result.error?.issues[0]?.path).toEqual(['recipients']);
  });

  it.each([
    [{ kind: 'administrator', name: 'F', powers: ['consent', 'represent'] }, true],
    [{ kind: 'trustee', name: 'G', powers: ['consent'] }, false],
    [{ kind: 'trustee', name: 'G', powers: ['consent'], individualConsented: true }, true],
    [{ kind: 'personalAgent', name: 'P', powers: ['attendMeetings'] }, false],
    [{ kind: 'personalAgent', name: 'P', powers: ['attendMeetings'], commissioned: true }, true],
    [{ kind: 'nextOfKin', name: 'N', powers: ['consent'], individualConsented: true }, false],
    [{ kind: 'nextOfKin', name: 'N', powers: ['requestPlan'] }, true],
    [{ kind: 'nextOfKin', name: 'N', powers: ['attendMeetings'] }, false],
    [{ kind: 'guardian', name: 'V', powers: ['requestPlan', 'consent', 'represent'] }, true],
    // The young person objects to a guardian taking part: it attends no meeting and is told nothing, but
    // keeps custody (it may still consent for the child).
    [{ kind: 'guardian', name: 'V', powers: ['consent'], youngPersonObjects: true }, true],
    [{ kind: 'guardian', name: 'V', powers: ['attendMeetings'], youngPersonObjects: true }, false],
    [{ kind: 'guardian', name: 'V', powers: ['receiveInformation'], youngPersonObjects: true }, false],
    [{ kind: 'guardian', name: 'V', powers: ['attendMeetings'], youngPersonObjects: false }, true],
    [{ kind: 'nextOfKin', name: 'N', powers: [], youngPersonObjects: true }, false],
  ])('checks what a representative may do: %j → %s', (representative, valid) => {
    expect(Representative.safeParse(representative).success).toBe(valid);
  });

  it('lets only units under a municipality or a region be summoned', () => {
    const fk = {
      organisationId: 'SE202100-5521',
      name: 'Försäkringskassan',
      principal: 'other',
      principalName: 'Staten',
      unitKind: 'myndighet',
    };
    expect(ParticipatingOrganisation.safeParse({ ...fk, participation: 'invited' }).success).toBe(true);
    expect(ParticipatingOrganisation.safeParse({ ...fk, participation: 'summoned' }).success).toBe(false);
  });

  it('validates a kallelse and a follow-up as the process will record them', () => {
    const invitation = {
      id: '0192a6b0-0000-7000-8000-0000000000a1',
      purpose: 'Planera stöd efter utskrivning.',
      longTermGoal: 'Att kunna bo kvar hemma.',
      questions: ['Vem gör vad efter hemgång?'],
      startsAt: '2026-11-15T10:00:00+01:00',
      place: { kind: 'digital' },
      invitees: [
        {
          organisationId: VARDCENTRAL,
          participation: 'summoned',
          contribution: 'Medicinsk bedömning',
          responses: [],
        },
      ],
      sentAt: '2026-11-10T09:00:00+01:00',
      sentBy: actor,
    };
    expect(Invitation.safeParse(invitation).error?.issues ?? []).toEqual([]);
    expect(Invitation.safeParse({ ...invitation, questions: [] }).success).toBe(false);
    const followUp = {
      id: '0192a6b0-0000-7000-8000-0000000000f1',
      heldAt: '2027-01-09T10:00:00+01:00',
      early: false,
      progress: 'Går till affären med stöd.',
      interventions: [],
      outcome: 'revised',
      nextFollowUp: { date: '2027-03-01', place: 'Hemmet' },
      kvaCode: 'AW010',
      recordedAt: '2027-01-09T11:00:00+01:00',
      recordedBy: actor,
    };
    expect(FollowUp.safeParse(followUp).error?.issues ?? []).toEqual([]);
  });
});
