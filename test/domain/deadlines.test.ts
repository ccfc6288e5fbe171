import { describe, expect, it } from 'vitest';
import {
  deadlinesOf,
  dueReminders,
  nextDueAt,
  reminderRecipient,
  stateOf,
} from '../../shared/domain/deadlines/deadlines.ts';
import { CreatePlanRequest, type Plan } from '../../shared/domain/plan.ts';
import { newPlan } from '../../shared/domain/plan-edits.ts';
import { elsa, GERIATRIK, HEMTJANST, VARDCENTRAL } from '../support/scenarios.ts';

let counter = 0;
const context = {
  actor: { userId: 'u', organisationId: VARDCENTRAL },
  now: new Date('2026-11-02T09:00:00Z'),
  newId: () => `00000000-0000-7000-8000-${String(++counter).padStart(12, '0')}`,
};
const base = (): Plan =>
  newPlan(
    CreatePlanRequest.parse({
      ...elsa,
      initiation: { ...elsa.initiation, noticedAt: '2026-11-02T10:00:00+01:00' },
    }),
    '0192a6b0-0000-7000-8000-0000000000aa',
    context,
  );

const at = (iso: string) => new Date(iso);
const deadline = (plan: Plan, key: string, now = at('2026-11-02T10:00:00+01:00')) => {
  const found = deadlinesOf(plan, now).find((d) => d.key === key || d.key.startsWith(`${key}@`));
  if (!found) throw new Error(`no deadline ${key}`);
  return found;
};
/** The reminders due (the kallelse deliveries, which go to invitees, are checked on their own below). */
const stagesDue = (plan: Plan, now: string, handled: ReadonlySet<string> = new Set()) =>
  dueReminders(plan, handled, at(now))
    .filter((r) => r.deadline !== undefined)
    // The kallelse deadline is keyed by the day of its discharge report; the tables leave that out.
    .map((r) => r.id.replace(/@\d{4}-\d{2}-\d{2}/, ''));
const withDischarge = (readyForDischargeAt: string): Plan => ({
  ...base(),
  discharge: { readyForDischargeAt },
});
const invitation = (startsAt: string, answered = false) => ({
  id: '0192a6b0-0000-7000-8000-0000000000b1',
  purpose: 'p',
  longTermGoal: 'g',
  questions: ['q'],
  startsAt,
  place: { kind: 'digital' as const },
  invitees: [
    {
      organisationId: VARDCENTRAL,
      participation: 'summoned' as const,
      contribution: 'c',
      responses: answered
        ? [
            {
              kind: 'attend' as const,
              attendee: { name: 'A' },
              respondedAt: startsAt,
              respondedBy: context.actor,
            },
          ]
        : [],
    },
  ],
  sentAt: '2026-11-05T09:00:00+01:00',
  sentBy: context.actor,
});
const established = (followUpDate: string): Plan => {
  const plan = base();
  return {
    ...plan,
    status: 'established',
    // Kallelse sent, answered and the meeting held: only the follow-up is left to watch.
    invitations: [invitation('2026-11-15T10:00:00+01:00', true)],
    meetings: [
      {
        id: '0192a6b0-0000-7000-8000-0000000000d1',
        invitationId: '0192a6b0-0000-7000-8000-0000000000b1',
        purpose: 'establishment',
        heldAt: '2026-11-15T10:00:00+01:00',
        attendees: [],
        leader: { name: 'Anna' },
      },
    ],
    content: { ...plan.content, followUp: { date: followUpDate, place: 'Hemma' } },
    establishment: { establishedAt: '2026-11-15T10:00:00+01:00', kvaCode: 'AU125' },
  };
};

describe('kallelse after discharge: by the end of the third calendar day after utskrivningsklar', () => {
  it.each([
    // readyForDischargeAt, now, reminders due
    ['2026-11-08T14:10:00+01:00', '2026-11-09T23:59:00+01:00', []],
    ['2026-11-08T14:10:00+01:00', '2026-11-10T00:00:00+01:00', ['kallelseAfterDischarge/reminder']],
    ['2026-11-08T14:10:00+01:00', '2026-11-11T23:59:00+01:00', ['kallelseAfterDischarge/reminder']],
    [
      '2026-11-08T14:10:00+01:00',
      '2026-11-12T00:01:00+01:00',
      ['kallelseAfterDischarge/reminder', 'kallelseAfterDischarge/overdue'],
    ],
    // Spring forward on 29 March 2026: day 2 starts at 00:00 +01:00, the deadline ends at 00:00 +02:00.
    ['2026-03-27T12:00:00+01:00', '2026-03-28T23:59:00+01:00', []],
    ['2026-03-27T12:00:00+01:00', '2026-03-29T00:00:00+01:00', ['kallelseAfterDischarge/reminder']],
    ['2026-03-27T12:00:00+01:00', '2026-03-30T23:59:00+02:00', ['kallelseAfterDischarge/reminder']],
    [
      '2026-03-27T12:00:00+01:00',
      '2026-03-31T00:00:00+02:00',
      ['kallelseAfterDischarge/reminder', 'kallelseAfterDischarge/overdue'],
    ],
    // Fall back on 25 October 2026: the day has 25 hours, and still ends at midnight.
    ['2026-10-23T12:00:00+02:00', '2026-10-26T23:59:00+01:00', ['kallelseAfterDischarge/reminder']],
    [
      '2026-10-23T12:00:00+02:00',
      '2026-10-27T00:00:00+01:00',
      ['kallelseAfterDischarge/reminder', 'kallelseAfterDischarge/overdue'],
    ],
  ])('ready %s, at %s → %j', (ready, now, expected) => {
    const due = stagesDue(withDischarge(ready), now).filter((id) => id.startsWith('kallelse'));
    expect(due).toEqual(expected);
  });

  it('turns overdue exactly at the end of the third day', () => {
    const plan = withDischarge('2026-11-08T14:10:00+01:00');
    const kallelse = deadline(plan, 'kallelseAfterDischarge');
    expect(kallelse.dueAt.toISOString()).toBe('2026-11-11T23:00:00.000Z');
    expect(stateOf(kallelse, at('2026-11-11T23:59:00+01:00'))).toBe('due');
    expect(stateOf(kallelse, at('2026-11-12T00:00:00+01:00'))).toBe('overdue');
    expect(stateOf(kallelse, at('2026-11-09T12:00:00+01:00'))).toBe('upcoming');
  });

  it('is met once a kallelse is sent, and then reminds no more', () => {
    const plan = {
      ...withDischarge('2026-11-08T14:10:00+01:00'),
      invitations: [invitation('2026-11-15T10:00:00+01:00', true)],
    };
    expect(deadline(plan, 'kallelseAfterDischarge').met).toBe(true);
    expect(stagesDue(plan, '2026-11-13T12:00:00+01:00').filter((id) => id.startsWith('kallelse'))).toEqual(
      [],
    );
  });
});

describe('meeting after the need was noticed, and starting without delay', () => {
  it.each([
    // Day 5 after 2 November ends at midnight into 8 November.
    ['2026-11-07T23:59:00+01:00', []],
    ['2026-11-08T00:00:00+01:00', ['startWithoutDelay/overdue']],
    ['2026-11-15T23:59:00+01:00', ['startWithoutDelay/overdue']],
    ['2026-11-16T00:00:00+01:00', ['startWithoutDelay/overdue', 'meetingAfterNeed/reminder']],
    ['2026-11-23T23:59:00+01:00', ['startWithoutDelay/overdue', 'meetingAfterNeed/reminder']],
    [
      '2026-11-24T00:00:00+01:00',
      ['startWithoutDelay/overdue', 'meetingAfterNeed/reminder', 'meetingAfterNeed/overdue'],
    ],
  ])('noticed 2 November 10:00, at %s → %j', (now, expected) => {
    expect(stagesDue(base(), now)).toEqual(expected);
  });

  it('drops the day-14 reminder once a meeting is booked, but still watches day 21', () => {
    const plan = { ...base(), invitations: [invitation('2026-11-30T10:00:00+01:00', true)] };
    expect(stagesDue(plan, '2026-11-24T00:00:00+01:00')).toEqual(['meetingAfterNeed/overdue']);
    expect(deadline(plan, 'startWithoutDelay').met).toBe(true);
  });
});

describe('answers to a kallelse', () => {
  it('reminds two days before the meeting about summoned parties without an answer', () => {
    const plan = {
      ...base(),
      status: 'invited' as const,
      invitations: [invitation('2026-11-15T10:00:00+01:00')],
    };
    const key = 'invitationResponses:0192a6b0-0000-7000-8000-0000000000b1';
    expect(stagesDue(plan, '2026-11-12T23:59:00+01:00')).not.toContain(`${key}/reminder`);
    expect(stagesDue(plan, '2026-11-13T00:00:00+01:00')).toContain(`${key}/reminder`);
    const answered = { ...plan, invitations: [invitation('2026-11-15T10:00:00+01:00', true)] };
    expect(deadline(answered, key).met).toBe(true);
  });
});

describe('follow-up', () => {
  it.each([
    ['2027-01-01T23:59:00+01:00', []],
    ['2027-01-02T00:00:00+01:00', ['reminder']],
    ['2027-01-09T00:00:00+01:00', ['reminder', 'dueDay']],
    ['2027-01-09T23:59:00+01:00', ['reminder', 'dueDay']],
    ['2027-01-10T00:00:00+01:00', ['reminder', 'dueDay', 'overdue']],
    ['2027-01-17T00:00:00+01:00', ['reminder', 'dueDay', 'overdue', 'overdue-2']],
  ])('follow-up on 9 January, at %s → %j', (now, expected) => {
    const due = stagesDue(established('2027-01-09'), now).filter((id) => id.startsWith('followUp'));
    expect(due).toEqual(expected.map((stage) => `followUp:2027-01-09/${stage}`));
  });

  it('handles 29 February', () => {
    const followUp = deadline(established('2028-02-29'), 'followUp:2028-02-29');
    expect(followUp.stages.map((s) => [s.name, s.at.toISOString()])).toEqual([
      ['reminder', '2028-02-21T23:00:00.000Z'],
      ['dueDay', '2028-02-28T23:00:00.000Z'],
      ['overdue', '2028-02-29T23:00:00.000Z'],
      ['overdue-2', '2028-03-07T23:00:00.000Z'],
    ]);
  });

  it('repeats weekly until recorded: after each repeat handled, the next one', () => {
    const plan = established('2027-01-09');
    const handled = new Set(
      ['reminder', 'dueDay', 'overdue', 'overdue-2'].map((stage) => `followUp:2027-01-09/${stage}`),
    );
    handled.add(`kallelse:0192a6b0-0000-7000-8000-0000000000b1#0:${VARDCENTRAL}/sent`);
    // Asked on 17 January, when overdue-2 went out: the next is a week later, 24 January.
    expect(nextDueAt(plan, at('2027-01-17T00:00:00+01:00'), undefined, handled)?.toISOString()).toBe(
      '2027-01-23T23:00:00.000Z',
    );
    expect(
      stagesDue(plan, '2027-01-24T00:00:00+01:00', handled).filter((id) => id.startsWith('followUp')),
    ).toEqual(['followUp:2027-01-09/overdue-3']);
  });

  it('after downtime lists every repeat that came due at once, so that only the latest is sent', () => {
    // Three weeks and a day past the date with nothing handled: overdue, overdue-2, -3 and -4 are all due.
    const due = stagesDue(established('2027-01-09'), '2027-01-31T00:00:00+01:00').filter((id) =>
      id.startsWith('followUp'),
    );
    expect(due.slice(-2)).toEqual(['followUp:2027-01-09/overdue-3', 'followUp:2027-01-09/overdue-4']);
  });
});

describe('consent expiry', () => {
  const consent = {
    id: '0192a6b0-0000-7000-8000-0000000000c1',
    kind: 'informationSharing' as const,
    form: 'written' as const,
    givenBy: { kind: 'individual' as const },
    recipients: [VARDCENTRAL],
    scope: 's',
    givenAt: '2025-02-28T10:00:00+01:00',
    expiresAt: '2026-02-28T10:00:00+01:00',
    recordedAt: '2025-02-28T10:00:00+01:00',
    recordedBy: context.actor,
  };

  it('reminds 30 and 7 days before a consent given on 2025-02-28 lapses, then lapses it', () => {
    const plan = { ...base(), consents: [consent] };
    const expiry = deadline(plan, `consentExpiry:${consent.id}`);
    expect(expiry.stages.map((s) => [s.name, s.at.toISOString()])).toEqual([
      ['reminder-30d', '2026-01-29T09:00:00.000Z'],
      ['reminder-7d', '2026-02-21T09:00:00.000Z'],
      ['lapse', '2026-02-28T09:00:00.000Z'],
    ]);
    expect(
      stagesDue(plan, '2026-02-28T09:59:00+01:00').filter((id) => id.startsWith('consent')),
    ).toHaveLength(2);
    expect(
      stagesDue(plan, '2026-02-28T10:00:00+01:00').filter((id) => id.startsWith('consent')),
    ).toHaveLength(3);
  });

  it('keeps the wall-clock time across the change to summer time', () => {
    const summer = {
      ...consent,
      givenAt: '2025-04-20T10:00:00+02:00',
      expiresAt: '2026-04-20T10:00:00+02:00',
    };
    const expiry = deadline({ ...base(), consents: [summer] }, `consentExpiry:${consent.id}`);
    // 30 days before 20 April 10:00 (summer time) is 21 March 10:00 (winter time).
    expect(expiry.stages[0]?.at.toISOString()).toBe('2026-03-21T09:00:00.000Z');
  });

  it('is met when renewed by a later consent of the same kind, and when withdrawn it is dropped', () => {
    const renewal = {
      ...consent,
      id: '0192a6b0-0000-7000-8000-0000000000c2',
      givenAt: '2026-02-01T10:00:00+01:00',
      expiresAt: '2027-02-01T10:00:00+01:00',
    };
    expect(deadline({ ...base(), consents: [consent, renewal] }, `consentExpiry:${consent.id}`).met).toBe(
      true,
    );
    const withdrawn = { ...consent, withdrawnAt: '2025-06-01T10:00:00+02:00' };
    expect(
      deadlinesOf({ ...base(), consents: [withdrawn] }, at('2026-01-01T00:00:00Z')).some(
        (d) => d.kind === 'consentExpiry',
      ),
    ).toBe(false);
  });

  it('is renewed to share only by a consent naming every recipient the old one still names', () => {
    const HOME_CARE = 'SE2120001801-E000000000010';
    const named = { ...consent, recipients: [VARDCENTRAL, HOME_CARE] };
    const renewal = {
      ...consent,
      id: '0192a6b0-0000-7000-8000-0000000000c2',
      givenAt: '2026-02-01T10:00:00+01:00',
      expiresAt: '2027-02-01T10:00:00+01:00',
      recipients: [VARDCENTRAL],
    };
    const key = `consentExpiry:${consent.id}`;
    // Home care would lose access at the lapse: not renewed, the lead is still reminded.
    expect(deadline({ ...base(), consents: [named, renewal] }, key).met).toBe(false);
    // Once the individual withdrew it for home care, the renewal covers all that is left.
    const withdrawal = {
      organisationId: HOME_CARE,
      withdrawnAt: '2025-06-01T10:00:00+02:00',
      recordedAt: '2025-06-01T10:00:00+02:00',
      recordedBy: context.actor,
    };
    expect(
      deadline({ ...base(), consents: [{ ...named, withdrawals: [withdrawal] }, renewal] }, key).met,
    ).toBe(true);
  });
});

describe('the kallelse to the invitees', () => {
  it('is due as soon as it is sent, once per meeting time', () => {
    const plan = {
      ...base(),
      status: 'invited' as const,
      invitations: [invitation('2026-11-15T10:00:00+01:00')],
    };
    const deliveries = dueReminders(plan, new Set(), at('2026-11-05T09:00:00+01:00')).filter(
      (r) => r.delivery !== undefined,
    );
    expect(deliveries.map((r) => r.id)).toEqual([
      `kallelse:0192a6b0-0000-7000-8000-0000000000b1#0:${VARDCENTRAL}/sent`,
    ]);
    // Not a deadline: no deadline kind stands for it.
    expect(deadlinesOf(plan, at('2026-11-05T09:00:00+01:00')).map((d) => d.kind)).not.toContain('kallelse');
  });

  it('is moot once the meeting time has passed, and for an invitee that forwarded it', () => {
    const plan = {
      ...base(),
      status: 'invited' as const,
      invitations: [invitation('2026-11-15T10:00:00+01:00')],
    };
    const deliveriesAt = (iso: string) =>
      dueReminders(plan, new Set(), at(iso)).filter((r) => r.delivery !== undefined);
    expect(deliveriesAt('2026-11-15T09:59:00+01:00')).toHaveLength(1);
    expect(deliveriesAt('2026-11-15T10:00:00+01:00')).toEqual([]);
    const [invite] = plan.invitations;
    const forwarded = {
      ...plan,
      invitations: [
        {
          ...invite,
          invitees: invite?.invitees.map((i) => ({
            ...i,
            responses: [
              {
                kind: 'forward' as const,
                respondedAt: '2026-11-05T10:00:00+01:00',
                respondedBy: context.actor,
              },
            ],
          })),
        },
      ],
    } as Plan;
    expect(
      dueReminders(forwarded, new Set(), at('2026-11-05T11:00:00+01:00')).filter((r) => r.delivery),
    ).toEqual([]);
  });

  it('answers are moot once the plan is established, even when a summoned party never answered', () => {
    const plan = { ...established('2027-01-09'), invitations: [invitation('2026-11-15T10:00:00+01:00')] };
    expect(deadline(plan, 'invitationResponses:0192a6b0-0000-7000-8000-0000000000b1').met).toBe(true);
  });
});

describe('who is reminded, and when nothing is left', () => {
  it('reminds the convener until a lead responsible exists, then the lead responsible', () => {
    expect(reminderRecipient(base())).toMatchObject({ role: 'convener', organisationId: VARDCENTRAL });
    const plan = established('2027-01-09');
    expect(reminderRecipient(plan)).toMatchObject({
      role: 'leadResponsible',
      person: elsa.content.leadResponsible.person,
    });
  });

  it('leaves a closed plan with every deadline met, and nothing due but its ending notices', () => {
    const closedAt = '2026-11-20T10:00:00.000+01:00';
    const closed: Plan = {
      ...withDischarge('2026-11-08T14:10:00+01:00'),
      status: 'closed',
      closure: {
        closedAt,
        reason: 'needsMet',
        informed: [],
        whereToTurn: 'Vårdcentralen.',
        recordedBy: context.actor,
      },
    };
    const later = at('2030-01-01T00:00:00Z');
    expect(deadlinesOf(closed, later).every((d) => d.met)).toBe(true);
    const notices = [GERIATRIK, VARDCENTRAL, HEMTJANST].map((org) => `planEnded:${org}/closed`);
    expect(
      dueReminders(closed, new Set(), later)
        .map((r) => r.id)
        .sort(),
    ).toEqual(notices.sort());
    expect(nextDueAt(closed, later, undefined, new Set(notices))).toBeUndefined();
    expect(dueReminders(closed, new Set(notices), later)).toEqual([]);
  });
});
