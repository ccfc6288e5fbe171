/**
 * The notice that a plan has ended, as pure functions of the plan: one to each participating organisation
 * when it is closed, restarted or assessed as not needed, and the address each is told at. The expected ids
 * and addresses are written by hand from the rule (docs/reminders.md, "When a plan ends").
 */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../shared/domain/commands/index.ts';
import { dueReminders, nextDueAt } from '../../shared/domain/deadlines/deadlines.ts';
import { deliveriesOf, endingOf } from '../../shared/domain/deadlines/deliveries.ts';
import { organisationEmail } from '../../shared/domain/participants.ts';
import type { Person } from '../../shared/domain/people.ts';
import { CreatePlanRequest, type Plan } from '../../shared/domain/plan.ts';
import { newPlan } from '../../shared/domain/plan-edits.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let counter = 0;
const NOW = new Date('2026-11-20T14:00:00+01:00');
const context = {
  actor: { userId: 'u', organisationId: VARDCENTRAL },
  now: NOW,
  newId: () => `00000000-0000-7000-8000-${String(++counter).padStart(12, '0')}`,
};
/** Elsa's plan, just created: the geriatric ward noticed the need, the vårdcentral convenes. */
const base = (): Plan =>
  newPlan(
    CreatePlanRequest.parse({
      ...elsa,
      initiation: { ...elsa.initiation, noticedAt: '2026-11-02T10:00:00+01:00' },
    }),
    '0192a6b0-0000-7000-8000-0000000000aa',
    context,
  );
const closeInput = { reason: 'needsMet', informed: [], whereToTurn: 'Ring vårdcentralen.' };
const noticeIds = (plan: Plan) =>
  deliveriesOf(plan, NOW)
    .filter((d) => d.kind === 'planEnded')
    .map((d) => d.id)
    .sort();

describe('the ending notices', () => {
  it('none while the plan is open', () => {
    expect(noticeIds(base())).toEqual([]);
  });

  it('a closed plan: one to each participating organisation, due when it closed, never moot', () => {
    const { plan } = runCommand('close', base(), closeInput, context);
    expect(noticeIds(plan)).toEqual(
      [
        `planEnded:${GERIATRIK}/closed`,
        `planEnded:${HEMTJANST}/closed`,
        `planEnded:${VARDCENTRAL}/closed`,
      ].sort(),
    );
    const notices = deliveriesOf(plan, new Date('2030-01-01T00:00:00Z')).filter(
      (d) => d.kind === 'planEnded',
    );
    expect(notices.every((d) => !d.moot && d.at.getTime() === NOW.getTime())).toBe(true);
  });

  it('a restarted plan says so; the new plan owes no notice', () => {
    const { plan, created } = runCommand(
      'restart',
      base(),
      { longTermGoal: 'Ett nytt mål.', informed: [] },
      context,
    );
    expect(noticeIds(plan)).toEqual(
      [
        `planEnded:${GERIATRIK}/restarted`,
        `planEnded:${HEMTJANST}/restarted`,
        `planEnded:${VARDCENTRAL}/restarted`,
      ].sort(),
    );
    expect(noticeIds(created as Plan)).toEqual([]);
  });

  it('SIP not needed: due when it was recorded, not when inpatient care assessed it', () => {
    const { plan } = runCommand(
      'recordDischargeEvent',
      base(),
      { event: 'sipNotNeeded', at: '2026-11-19T08:00:00+01:00', reason: 'Klarar sig själv.' },
      context,
    );
    expect(noticeIds(plan)).toEqual(
      [
        `planEnded:${GERIATRIK}/notNeeded`,
        `planEnded:${HEMTJANST}/notNeeded`,
        `planEnded:${VARDCENTRAL}/notNeeded`,
      ].sort(),
    );
    expect(endingOf(plan)?.at).toEqual(NOW);
  });

  it('a refused consent ends the process before any plan: no notice', () => {
    const { plan } = runCommand('refuseConsent', base(), { informedFirst: true }, context);
    expect(plan.status).toBe('consentRefused');
    expect(noticeIds(plan)).toEqual([]);
  });

  it('are what is left of a closed plan, and once handled nothing is', () => {
    const { plan } = runCommand(
      'close',
      { ...base(), discharge: { readyForDischargeAt: '2026-11-08T14:10:00+01:00' } },
      closeInput,
      context,
    );
    const later = new Date('2030-01-01T00:00:00Z');
    const due = dueReminders(plan, new Set(), later).map((r) => r.id);
    expect(due.sort()).toEqual(noticeIds(plan));
    expect(nextDueAt(plan, later)).toEqual(NOW);
    expect(nextDueAt(plan, later, undefined, new Set(due))).toBeUndefined();
    expect(dueReminders(plan, new Set(due), later)).toEqual([]);
  });
});

describe('the address an organisation is told at', () => {
  /** Elsa's plan with the people named for the vårdcentral (convener and lead) given their own addresses. */
  const named = (): Plan => {
    const plan = base();
    const lead = plan.content?.leadResponsible;
    if (!lead) throw new Error('Elsa’s plan names a lead responsible');
    return {
      ...plan,
      convener: { ...plan.convener, person: { name: 'Kim Kallare', email: 'convener@example.se' } },
      content: {
        ...plan.content,
        leadResponsible: { ...lead, person: { name: 'Lo Lead', email: 'lead@example.se' } },
      },
    };
  };

  it('the lead responsible, then the convener, before the organisation’s contact', () => {
    const plan = named();
    const lead = plan.content?.leadResponsible;
    if (!lead) throw new Error('Elsa’s plan names a lead responsible');
    expect(organisationEmail(plan, VARDCENTRAL)).toBe('lead@example.se');
    const noLeadAddress = {
      ...plan,
      content: { ...plan.content, leadResponsible: { ...lead, person: { name: 'Lo Lead' } } },
    };
    expect(organisationEmail(noLeadAddress, VARDCENTRAL)).toBe('convener@example.se');
    const noRoleAddress = {
      ...noLeadAddress,
      convener: { ...plan.convener, person: { name: 'Kim Kallare' } },
    };
    // Anna, the vårdcentral's contact person among the organisations.
    expect(organisationEmail(noRoleAddress, VARDCENTRAL)).toBe('anna.andersson@example.se');
  });

  it('the contact person, then the plan’s contacts, then the latest kallelse, then who noticed the need', () => {
    const plan = base();
    const invitation = (id: string, email: string | undefined) => ({
      id,
      purpose: 'p',
      longTermGoal: 'g',
      questions: ['q'],
      startsAt: '2026-11-15T10:00:00+01:00',
      place: { kind: 'digital' as const },
      invitees: [
        {
          organisationId: GERIATRIK,
          participation: 'summoned' as const,
          contribution: 'c',
          contact: { name: 'Någon', ...(email && { email }) },
          responses: [],
        },
      ],
      sentAt: '2026-11-05T09:00:00+01:00',
      sentBy: context.actor,
    });
    const withGeriatrik = (contact: {
      contactPerson?: Person;
      contacts?: boolean;
      invitations?: Plan['invitations'];
    }) => ({
      ...plan,
      organisations: plan.organisations?.map((o) =>
        o.organisationId === GERIATRIK && contact.contactPerson
          ? { ...o, contactPerson: contact.contactPerson }
          : o,
      ),
      content: {
        ...plan.content,
        ...(contact.contacts && {
          contacts: [
            { organisationId: GERIATRIK, person: { name: 'Kontakt', email: 'contacts@example.se' } },
          ],
        }),
      },
      invitations: contact.invitations ?? [],
    });
    const kallelser = [
      invitation('0192a6b0-0000-7000-8000-0000000000b1', 'first@example.se'),
      invitation('0192a6b0-0000-7000-8000-0000000000b2', 'latest@example.se'),
      // The latest of all names a contact without an address: the one before is used.
      invitation('0192a6b0-0000-7000-8000-0000000000b3', undefined),
    ] as Plan['invitations'];
    const contactPerson = { name: 'Per', email: 'contactperson@example.se' };
    expect(
      organisationEmail(withGeriatrik({ contactPerson, contacts: true, invitations: kallelser }), GERIATRIK),
    ).toBe('contactperson@example.se');
    expect(organisationEmail(withGeriatrik({ contacts: true, invitations: kallelser }), GERIATRIK)).toBe(
      'contacts@example.se',
    );
    expect(organisationEmail(withGeriatrik({ invitations: kallelser }), GERIATRIK)).toBe('latest@example.se');
    // Karin Berg of the geriatric ward noticed the need.
    expect(organisationEmail(withGeriatrik({}), GERIATRIK)).toBe('karin.berg@example.se');
  });

  it('none when the plan names no address for the organisation', () => {
    // Home care has no contact person, no contact in the content and no kallelse.
    expect(organisationEmail(base(), HEMTJANST)).toBeUndefined();
  });
});
