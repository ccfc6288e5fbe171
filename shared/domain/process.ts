/** The records the process commands write: kallelse, meetings, follow-ups, closure, discharge, refusals. */

import * as z from 'zod/mini';
import { Actor, OrganisationPerson, Participation, Person } from './people.ts';
import { Bounds, CalendarDate, HttpsUrl, Id, list, OrganisationId, Timestamp, text } from './schema.ts';

/** Where a meeting is held: a municipal or regional venue, the individual's home, or digitally. */
export const MeetingPlace = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['municipalVenue', 'regionalVenue', 'home', 'other']),
    address: text(Bounds.medium),
  }),
  z.strictObject({
    kind: z.literal('digital'),
    /** The video meeting's address: in the plan, the kallelse e-mail and its calendar event. */
    videoLink: z.optional(
      HttpsUrl.check(
        z.meta({ description: 'The video meeting: sent in the kallelse and its calendar event.' }),
      ),
    ),
    // The earlier, unchecked name, never sent to anyone; still accepted so that plans stored with it stay valid.
    link: z.optional(
      z.url().check(z.maxLength(Bounds.medium), z.meta({ deprecated: true, description: 'Use videoLink.' })),
    ),
  }),
]);

export const InvitationResponse = z.strictObject({
  kind: z.enum(['attend', 'substitute', 'decline', 'forward']),
  attendee: z.optional(Person),
  forwardedTo: z.optional(OrganisationPerson),
  note: z.optional(text(Bounds.medium)),
  respondedAt: Timestamp,
  respondedBy: Actor,
});

export const Invitee = z.strictObject({
  organisationId: OrganisationId,
  participation: Participation,
  contact: z.optional(Person),
  /** What this party can contribute at the meeting. */
  contribution: text(Bounds.medium),
  responses: list(InvitationResponse),
});

/** kallelse: the call to a SIP meeting. */
export const Invitation = z.strictObject({
  id: Id,
  /** Why the meeting is needed. */
  purpose: text(Bounds.medium),
  longTermGoal: text(Bounds.medium),
  questions: z.array(text(Bounds.medium)).check(z.minLength(1), z.maxLength(Bounds.list)),
  startsAt: Timestamp,
  endsAt: z.optional(Timestamp),
  place: MeetingPlace,
  invitees: z.array(Invitee).check(z.minLength(1), z.maxLength(Bounds.list)),
  sentAt: Timestamp,
  sentBy: Actor,
  /** Set when the meeting time changed: the invitees get an update of the same calendar event. */
  rescheduledAt: z.optional(Timestamp),
  /** How many times the meeting moved: the calendar event's SEQUENCE. */
  reschedules: z.optional(z.int().check(z.nonnegative())),
});

/** What a meeting was: when, who attended, who led it — as recorded by establishment and follow-up. */
export const meetingFacts = {
  heldAt: Timestamp,
  attendees: z
    .array(
      z.strictObject({ name: text(), organisationId: z.optional(OrganisationId), role: z.optional(text()) }),
    )
    .check(z.maxLength(Bounds.longList)),
  leader: Person,
};

/** SIP-möte: a meeting held, where the plan is established or followed up. */
export const Meeting = z.strictObject({
  id: Id,
  invitationId: z.optional(Id),
  purpose: z.enum(['establishment', 'followUp']),
  ...meetingFacts,
});

export const FollowUpPlan = z.strictObject({ date: CalendarDate, place: text(Bounds.medium) });

/** At a follow-up: whether an intervention was done, and whether it had the intended effect. */
export const InterventionReview = z.strictObject({
  interventionId: Id,
  done: z.boolean(),
  effect: z.enum(['intended', 'partly', 'none', 'tooEarly']),
  comment: z.optional(text(Bounds.medium)),
});

/** `revised`: the next follow-up is booked; `closed`: the plan ends. */
export const FollowUpOutcome = z.enum(['revised', 'closed']);

/** What a follow-up found and decided: as recorded by the command, and as kept. */
export const followUpTerms = {
  /** Progress against the goals. */
  progress: text(Bounds.long),
  /** New circumstances: a new school, a new address … */
  newCircumstances: z.optional(text(Bounds.long)),
  interventions: list(InterventionReview, Bounds.longList),
  otherInterventionsNeeded: z.optional(text(Bounds.long)),
  outcome: FollowUpOutcome,
  /** Outcome `revised`: the next follow-up. */
  nextFollowUp: z.optional(FollowUpPlan),
};

/** uppföljning: a follow-up held against the plan. KVÅ AW010. */
export const FollowUp = z.strictObject({
  id: Id,
  meetingId: z.optional(Id),
  heldAt: Timestamp,
  early: z.boolean(),
  ...followUpTerms,
  kvaCode: z.literal('AW010'),
  recordedAt: Timestamp,
  recordedBy: Actor,
});

export const ClosureReason = z.enum([
  'needsMet',
  'noNewNeedsExpected',
  'consentWithdrawn',
  'goalChanged',
  'other',
]);

/**
 * avslut: the end of the plan. Everyone involved learns that it no longer applies. Why the plan ends, whom
 * the keeper told by other means (`informed`), where the individual can turn and when they were told: as
 * given, and as kept.
 */
export const closureTerms = {
  reason: ClosureReason,
  /** Required with reason `other`. */
  reasonText: z.optional(text(Bounds.medium)),
  /** Who was told that the plan no longer applies. */
  informed: z.array(text()).check(z.maxLength(Bounds.list)),
  /** Where the individual can turn if a need arises again. */
  whereToTurn: text(Bounds.medium),
  /**
   * When the individual was told that the plan ends and where to turn: a moment that has happened. The
   * participating organisations are told by the service itself (the ending notices, docs/reminders.md).
   */
  individualToldAt: z.optional(Timestamp),
};

export const Closure = z.strictObject({
  closedAt: Timestamp,
  ...closureTerms,
  recordedBy: Actor,
});

/** A request for a SIP refused: only in exceptional cases, with the reason documented. */
export const RequestRefusal = z.strictObject({
  refusedAt: Timestamp,
  reason: text(Bounds.long),
  recordedBy: Actor,
});

/** Something the convener must be told, kept in the plan (and later sent by the reminder channel). */
export const Notice = z.strictObject({
  id: Id,
  at: Timestamp,
  kind: z.enum(['invitationForwarded', 'admittedToInpatientCare', 'leadResponsibleWithoutConsent']),
  message: text(Bounds.medium),
  organisationId: z.optional(OrganisationId),
});

/**
 * Why an established plan needs a follow-up before its planned date: the lead responsible calls an early
 * one (DOMAIN.md, step 6). Set by the write that made it so; cleared by the next follow-up.
 */
export const EarlyFollowUp = z.strictObject({
  since: Timestamp,
  reason: z.enum(['leadResponsibleWithoutConsent']),
});

/** In- och utskrivning from inpatient care. `readyForDischargeAt` starts the three-day kallelse deadline. */
export const Discharge = z.strictObject({
  inpatientUnit: z.optional(OrganisationPerson),
  admittedAt: z.optional(Timestamp),
  readyForDischargeAt: z.optional(Timestamp),
  dischargedAt: z.optional(Timestamp),
  /** Set when an established plan's individual is admitted again: follow it up and revise, or close and restart. */
  reviewNeeded: z.optional(z.boolean()),
  /** The assessment that no SIP is needed, sent to every participating unit. */
  sipNotNeeded: z.optional(
    z.strictObject({
      /** When inpatient care made the assessment (reported by it, so possibly before it was recorded). */
      assessedAt: Timestamp,
      reason: text(Bounds.medium),
      /** Every participating organisation: each is sent the ending notice (docs/reminders.md). */
      sentTo: z.array(OrganisationId).check(z.maxLength(Bounds.list)),
      /** When the service recorded it and the process ended: the moment the notices fall due. */
      recordedAt: z.optional(Timestamp),
    }),
  ),
});
