/**
 * The deadlines the service watches (DOMAIN.md, "Deadlines the service watches"), as pure functions of a
 * plan and the moment asked about.
 *
 * Each deadline has a stable key, the moment it is due (`dueAt`: the end of its last calendar day, which is
 * when it turns overdue), and its stages — the moments a reminder goes out. A deadline that is met or moot
 * has no reminders left. Nothing here knows which reminders were sent: that is the service's bookkeeping,
 * kept beside the plan (`shared/store/reminder-book.ts`); {@link dueReminders} takes it as an argument.
 */
import { ENDED } from '../commands/lifecycle.ts';
import { withdrawnFor } from '../consent.ts';
import type { Plan } from '../plan.ts';
import { addCalendarDays, addStockholmDays, startOfStockholmDay, toStockholmDate } from '../time.ts';
import { type Delivery, deliveriesOf } from './deliveries.ts';
import { DEFAULT_DEADLINE_SETTINGS, type DeadlineSettings } from './settings.ts';

export type DeadlineKind =
  | 'kallelseAfterDischarge'
  | 'meetingAfterNeed'
  | 'startWithoutDelay'
  | 'invitationResponses'
  | 'followUp'
  | 'consentExpiry';

export const DEADLINE_KINDS: readonly DeadlineKind[] = [
  'kallelseAfterDischarge',
  'meetingAfterNeed',
  'startWithoutDelay',
  'invitationResponses',
  'followUp',
  'consentExpiry',
];

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
  /** Met, or moot (the plan ended, the meeting it was about was held): nothing more to remind of. */
  met: boolean;
  stages: Stage[];
}

export type DeadlineState = 'upcoming' | 'due' | 'overdue' | 'met';

/** The id of one reminder: one deadline, one stage. Sent exactly once, whoever it goes to. */
export const reminderId = (deadline: Pick<Deadline, 'key'>, stage: Pick<Stage, 'name'>) =>
  `${deadline.key}/${stage.name}`;

/** The end of the `days`-th calendar day after an instant's Stockholm date (= the start of the next day). */
const endOfDayAfter = (instant: string, days: number) =>
  startOfStockholmDay(addCalendarDays(toStockholmDate(new Date(instant)), days + 1));
const startOfDayAfter = (instant: string, days: number) =>
  startOfStockholmDay(addCalendarDays(toStockholmDate(new Date(instant)), days));

/**
 * Every deadline of the plan at `now`, met or not. `now` bounds only the follow-up's weekly repeats: every
 * repeat up to `now` and the next one, so that a check after downtime sees them all at once and sends only
 * the latest.
 */
export function deadlinesOf(
  plan: Plan,
  now: Date,
  settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
): Deadline[] {
  const ended = ENDED.includes(plan.status);
  const invited = plan.invitations.length > 0;
  const established = plan.establishment !== undefined;
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

  const meetingHeld = plan.meetings.length > 0 || established;
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
      // Answers are for a meeting to come: once it was held or the plan established, they are moot.
      met: met(answered || held || established),
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
    const repeatAt = (n: number) =>
      startOfStockholmDay(addCalendarDays(followUp.date, 1 + settings.followUpRepeatDays * n));
    // Weekly after it turns overdue, until recorded: every repeat up to now, and the next one.
    const repeats: Stage[] = [];
    for (let n = 1; settings.followUpRepeatDays > 0; n++) {
      repeats.push({ name: `overdue-${n + 1}`, at: repeatAt(n) });
      if (repeatAt(n) > now) break;
    }
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
    // Renewed: a later consent of the same kind, not withdrawn, that lasts longer — and, to share
    // information, names every recipient this one still names: the others would lose access at the lapse.
    const stillNamed = consent.recipients.filter((id) => withdrawnFor(consent, id) === undefined);
    const renewed = plan.consents.some(
      (other) =>
        other.id !== consent.id &&
        other.kind === consent.kind &&
        !other.withdrawnAt &&
        new Date(other.expiresAt) > expiresAt &&
        (consent.kind !== 'informationSharing' ||
          stillNamed.every((id) => other.recipients.includes(id) && withdrawnFor(other, id) === undefined)),
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
 * A deadline's state at `now` — the one rule the check, `GET /plans/{id}/deadlines`, `GET /deadlines` and
 * the reports share: `met`; `overdue` from `dueAt` (a consent past `expiresAt` has lapsed); `due` from its
 * first stage; `upcoming` before.
 */
export function stateOf(deadline: Deadline, now: Date): DeadlineState {
  if (deadline.met) return 'met';
  if (now >= deadline.dueAt) return 'overdue';
  const first = deadline.stages[0];
  return first && now >= first.at ? 'due' : 'upcoming';
}

/** Something due to go out: a stage of a deadline (to the lead responsible or convener), or a delivery. */
export type DueReminder =
  | { id: string; at: Date; deadline: Deadline; stage: Stage; delivery?: undefined }
  | { id: string; at: Date; delivery: Delivery; deadline?: undefined; stage?: undefined };

/** Everything that goes out at some moment, unless met or moot: each deadline's stages and each delivery. */
function pending(plan: Plan, now: Date, settings: DeadlineSettings): DueReminder[] {
  const stages: DueReminder[] = deadlinesOf(plan, now, settings)
    .filter((deadline) => !deadline.met)
    .flatMap((deadline) =>
      deadline.stages.map((stage) => ({ id: reminderId(deadline, stage), at: stage.at, deadline, stage })),
    );
  const deliveries: DueReminder[] = deliveriesOf(plan, now)
    .filter((delivery) => !delivery.moot)
    .map((delivery) => ({ id: delivery.id, at: delivery.at, delivery }));
  return [...stages, ...deliveries];
}

/**
 * What has come due by `now` and was not handled yet (`handled`: the ids in the bookkeeping), oldest first.
 * Several stages of one deadline due at once (after downtime) are all listed; the check sends the latest.
 */
export function dueReminders(
  plan: Plan,
  handled: ReadonlySet<string>,
  now: Date,
  settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
): DueReminder[] {
  return pending(plan, now, settings)
    .filter((reminder) => reminder.at <= now && !handled.has(reminder.id))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The earliest moment something of this plan is (or was) due and not handled; `undefined` when nothing is
 * left. Without `handled` (a plan write, which does not read the bookkeeping) it may name a moment already
 * handled: the check then reads the plan once and moves the entry on — early, never late.
 */
export function nextDueAt(
  plan: Plan,
  now: Date,
  settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
  handled: ReadonlySet<string> = new Set(),
): Date | undefined {
  let next: Date | undefined;
  for (const reminder of pending(plan, now, settings)) {
    if (!handled.has(reminder.id) && (!next || reminder.at < next)) next = reminder.at;
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
