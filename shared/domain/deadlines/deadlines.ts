/**
 * The deadlines the service watches (DOMAIN.md, "Deadlines the service watches"), as pure functions of a plan.
 *
 * Each deadline has a stable key, the moment it is due (`dueAt`: the end of its last calendar day, which is
 * when it turns overdue), and its stages — the moments a reminder goes out. A deadline that is met has no
 * reminders left. Which stages were already sent is read from the plan (`plan.reminders`), so the next due
 * moment of a plan is a function of the plan alone, and is kept in the due-time index with every write.
 */
import { ENDED } from '../commands/lifecycle.ts';
import type { Plan } from '../plan.ts';
import { addCalendarDays, addStockholmDays, startOfStockholmDay, toStockholmDate } from '../time.ts';
import { DEFAULT_DEADLINE_SETTINGS, type DeadlineSettings } from './settings.ts';

export type DeadlineKind =
  | 'kallelseAfterDischarge'
  | 'meetingAfterNeed'
  | 'startWithoutDelay'
  | 'invitationResponses'
  | 'followUp'
  | 'consentExpiry'
  /** Not a deadline but a delivery: the kallelse to each invitee, sent through the same exactly-once path. */
  | 'kallelseDelivery';

export interface Stage {
  /** `reminder`, `reminder-30d`, `dueDay`, `overdue`, `overdue-2`, … `lapse` */
  name: string;
  at: Date;
}

export interface Deadline {
  /** Stable across versions of the plan: `followUp:2027-01-09`, `consentExpiry:<consentId>` … */
  key: string;
  kind: DeadlineKind;
  dueAt: Date;
  met: boolean;
  stages: Stage[];
  /** For a delivery: the kallelse and the invitee it goes to. */
  subject?: { invitationId: string; organisationId: string };
}

export type DeadlineState = 'upcoming' | 'due' | 'overdue' | 'met';

/** The id of one reminder: one deadline, one stage. Sent exactly once. */
export const reminderId = (deadline: Pick<Deadline, 'key'>, stage: Pick<Stage, 'name'>) =>
  `${deadline.key}/${stage.name}`;

/** The end of the `days`-th calendar day after an instant's Stockholm date (= the start of the next day). */
const endOfDayAfter = (instant: string, days: number) =>
  startOfStockholmDay(addCalendarDays(toStockholmDate(new Date(instant)), days + 1));
const startOfDayAfter = (instant: string, days: number) =>
  startOfStockholmDay(addCalendarDays(toStockholmDate(new Date(instant)), days));

/** Every deadline of the plan, met or not. */
export function deadlinesOf(plan: Plan, settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS): Deadline[] {
  const ended = ENDED.includes(plan.status);
  const invited = plan.invitations.length > 0;
  const met = (condition: boolean) => ended || condition;
  const deadlines: Deadline[] = [];
  const noticedAt = plan.initiation.noticedAt;

  const ready = plan.discharge?.readyForDischargeAt;
  if (ready) {
    const dueAt = endOfDayAfter(ready, settings.kallelseAfterDischargeDays);
    // Keyed by the report, so a plan discharged again is watched again; met by a kallelse sent since.
    const readyAt = new Date(ready);
    deadlines.push({
      key: `kallelseAfterDischarge@${toStockholmDate(readyAt)}`,
      kind: 'kallelseAfterDischarge',
      dueAt,
      met: met(
        plan.invitations.some((i) => new Date(i.sentAt) >= readyAt || new Date(i.startsAt) >= readyAt),
      ),
      stages: [
        { name: 'reminder', at: startOfDayAfter(ready, settings.kallelseReminderDay) },
        { name: 'overdue', at: dueAt },
      ],
    });
  }

  const meetingHeld = plan.meetings.length > 0 || plan.establishment !== undefined;
  const meetingDue = endOfDayAfter(noticedAt, settings.meetingDays);
  deadlines.push({
    key: 'meetingAfterNeed',
    kind: 'meetingAfterNeed',
    dueAt: meetingDue,
    met: met(meetingHeld),
    stages: [
      // The reminder is for a meeting not yet booked; once a kallelse is out, only overdue remains.
      ...(invited ? [] : [{ name: 'reminder', at: startOfDayAfter(noticedAt, settings.meetingReminderDay) }]),
      { name: 'overdue', at: meetingDue },
    ],
  });

  // Due at the end of that day, like every deadline on a date.
  const startAt = endOfDayAfter(noticedAt, settings.startWithoutDelayDays);
  deadlines.push({
    key: 'startWithoutDelay',
    kind: 'startWithoutDelay',
    dueAt: startAt,
    met: met(invited),
    stages: [{ name: 'overdue', at: startAt }],
  });

  for (const invitation of plan.invitations) {
    const summoned = invitation.invitees.filter((i) => i.participation === 'summoned');
    const answered = summoned.every((i) => i.responses.length > 0);
    const held = plan.meetings.some((m) => m.invitationId === invitation.id);
    const meetingDate = toStockholmDate(new Date(invitation.startsAt));
    deadlines.push({
      key: `invitationResponses:${invitation.id}`,
      kind: 'invitationResponses',
      dueAt: new Date(invitation.startsAt),
      met: met(answered || held),
      stages: [
        {
          name: 'reminder',
          at: startOfStockholmDay(addCalendarDays(meetingDate, -settings.responsesDaysBefore)),
        },
      ],
    });
  }

  const followUp = plan.status === 'established' ? plan.content?.followUp : undefined;
  if (followUp) {
    const key = `followUp:${followUp.date}`;
    const overdueAt = startOfStockholmDay(addCalendarDays(followUp.date, 1));
    // Weekly after it turns overdue, until recorded: as many repeats as were sent, and the next one.
    const sentRepeats = (plan.reminders ?? []).filter(
      (r) => r.deadlineKey === key && r.stage.startsWith('overdue-'),
    ).length;
    const repeats = Array.from({ length: sentRepeats + 1 }, (_, i) => ({
      name: `overdue-${i + 2}`,
      at: startOfStockholmDay(addCalendarDays(followUp.date, 1 + settings.followUpRepeatDays * (i + 1))),
    }));
    deadlines.push({
      key,
      kind: 'followUp',
      dueAt: overdueAt,
      met: false,
      stages: [
        {
          name: 'reminder',
          at: startOfStockholmDay(addCalendarDays(followUp.date, -settings.followUpReminderDaysBefore)),
        },
        { name: 'dueDay', at: startOfStockholmDay(followUp.date) },
        { name: 'overdue', at: overdueAt },
        ...repeats,
      ],
    });
  }

  for (const consent of plan.consents) {
    if (consent.withdrawnAt) continue;
    const expiresAt = new Date(consent.expiresAt);
    // Renewed: a later consent of the same kind, not withdrawn, that lasts longer.
    const renewed = plan.consents.some(
      (other) =>
        other.id !== consent.id &&
        other.kind === consent.kind &&
        !other.withdrawnAt &&
        new Date(other.expiresAt) > expiresAt,
    );
    deadlines.push({
      key: `consentExpiry:${consent.id}`,
      kind: 'consentExpiry',
      dueAt: expiresAt,
      met: met(renewed),
      stages: [
        ...settings.consentReminderDaysBefore.map((days) => ({
          name: `reminder-${days}d`,
          at: addStockholmDays(expiresAt, -days),
        })),
        { name: 'lapse', at: expiresAt },
      ],
    });
  }
  return deadlines;
}

/**
 * The kallelser to deliver to the invitees: not deadlines, but sent through the same exactly-once path as
 * the reminders, one per invitee and version of the meeting (the calendar UID stays the invitation's).
 */
export function deliveriesOf(plan: Plan): Deadline[] {
  const ended = ENDED.includes(plan.status);
  return plan.invitations.flatMap((invitation) => {
    const at = new Date(invitation.rescheduledAt ?? invitation.sentAt);
    const version = invitation.reschedules ?? 0;
    // One per invitee and version of the meeting: an invitee added by forwarding gets it too, and every
    // move of the meeting (even back to an earlier time) sends an update.
    return invitation.invitees.map((invitee) => ({
      key: `kallelse:${invitation.id}#${version}:${invitee.organisationId}`,
      kind: 'kallelseDelivery' as const,
      dueAt: at,
      met: ended,
      stages: [{ name: 'sent', at }],
      subject: { invitationId: invitation.id, organisationId: invitee.organisationId },
    }));
  });
}

/** Everything the check watches: the deadlines and the deliveries. */
const watched = (plan: Plan, settings: DeadlineSettings) => [
  ...deadlinesOf(plan, settings),
  ...deliveriesOf(plan),
];

/** `met`; `overdue` from `dueAt`; `due` from its first stage; `upcoming` before. */
export function stateOf(deadline: Deadline, now: Date): DeadlineState {
  if (deadline.met) return 'met';
  if (now >= deadline.dueAt) return 'overdue';
  const first = deadline.stages[0];
  return first && now >= first.at ? 'due' : 'upcoming';
}

export interface DueReminder {
  id: string;
  deadline: Deadline;
  stage: Stage;
}

const sentIds = (plan: Plan) => new Set((plan.reminders ?? []).map((r) => r.id));

/** The reminders whose moment has come and that were not sent yet, oldest first. */
export function dueReminders(
  plan: Plan,
  now: Date,
  settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
): DueReminder[] {
  const sent = sentIds(plan);
  return watched(plan, settings)
    .filter((deadline) => !deadline.met)
    .flatMap((deadline) =>
      deadline.stages.map((stage) => ({ id: reminderId(deadline, stage), deadline, stage })),
    )
    .filter((reminder) => reminder.stage.at <= now && !sent.has(reminder.id))
    .sort((a, b) => a.stage.at.getTime() - b.stage.at.getTime());
}

/** The earliest moment a reminder of this plan is (or was) due and not yet sent; `undefined` when none is left. */
export function nextDueAt(
  plan: Plan,
  settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
): Date | undefined {
  const sent = sentIds(plan);
  let next: Date | undefined;
  for (const deadline of watched(plan, settings)) {
    if (deadline.met) continue;
    for (const stage of deadline.stages) {
      if (!sent.has(reminderId(deadline, stage)) && (!next || stage.at < next)) next = stage.at;
    }
  }
  return next;
}

/** Who is reminded: the lead responsible of an established plan, otherwise the convener. */
export function reminderRecipient(plan: Plan) {
  const lead = plan.status === 'established' ? plan.content?.leadResponsible : undefined;
  return lead
    ? { role: 'leadResponsible' as const, organisationId: lead.organisationId, person: lead.person }
    : {
        role: 'convener' as const,
        organisationId: plan.convener.organisationId,
        person: plan.convener.person,
      };
}
