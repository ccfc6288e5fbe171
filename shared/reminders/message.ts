/**
 * A reminder on its way: one deadline's stage, or one delivery (a kallelse, an ending notice), on one
 * channel. It names the plan by id and reference only — never the individual — and carries the
 * professional recipient's address.
 */
import * as z from 'zod/mini';
import { DEADLINE_KINDS } from '../domain/deadlines/deadlines.ts';
import { PLAN_ENDINGS } from '../domain/deadlines/deliveries.ts';
import type { Invitation, Invitee } from '../domain/process.ts';
import { HttpsUrl, Id, OrganisationId, Timestamp, text } from '../domain/schema.ts';

/**
 * For a kallelse: the meeting, by time and kind of place only (an address could be the individual's home),
 * and a digital meeting's video link.
 */
export const MeetingFacts = z.strictObject({
  invitationId: Id,
  startsAt: Timestamp,
  endsAt: z.optional(Timestamp),
  digital: z.boolean(),
  /** Where a digital meeting is held, when the kallelse names it. */
  videoLink: z.optional(HttpsUrl),
  participation: z.enum(['summoned', 'invited']),
  /** The calendar event's version: 0, then one more for each time the meeting moved. */
  sequence: z.int().check(z.nonnegative()),
});
export type MeetingFacts = z.infer<typeof MeetingFacts>;

/** What a kallelse e-mail to `invitee` says about the meeting of `invitation`, read from the plan. */
export function kallelseMeeting(
  invitation: z.infer<typeof Invitation>,
  invitee: Pick<z.infer<typeof Invitee>, 'participation'>,
): MeetingFacts {
  const place = invitation.place;
  return {
    invitationId: invitation.id,
    startsAt: invitation.startsAt,
    ...(invitation.endsAt && { endsAt: invitation.endsAt }),
    digital: place.kind === 'digital',
    ...(place.kind === 'digital' && place.videoLink && { videoLink: place.videoLink }),
    participation: invitee.participation,
    sequence: invitation.reschedules ?? 0,
  };
}

/** What the message is about: a stage of a deadline, the kallelse itself, or the plan's end. */
export const MessageSubject = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('deadline'),
    kind: z.enum(DEADLINE_KINDS as [string, ...string[]]),
    stage: text(50),
    /** When the deadline is due. */
    dueAt: Timestamp,
  }),
  z.strictObject({ type: z.literal('kallelse'), meeting: MeetingFacts, sentAt: Timestamp }),
  /** The plan no longer applies: how it ended and when. Nothing of why, nor of whom it was for. */
  z.strictObject({
    type: z.literal('planEnded'),
    outcome: z.enum(PLAN_ENDINGS),
    at: Timestamp,
  }),
]);

export const ReminderMessage = z.strictObject({
  /** `<planId>/<reminder id>/<channel>`: the unit of exactly-once delivery, whoever the recipient is. */
  deliveryId: text(400),
  /** The deadline's stage (`<deadline key>/<stage>`) or the delivery's id, as in the reminder book. */
  reminderId: text(300),
  planId: Id,
  about: MessageSubject,
  channel: z.enum(['email', 'sms']),
  /**
   * An e-mail address or an E.164 mobile number of the lead responsible, the convener, an invitee, or a
   * participating organisation's contact.
   */
  to: text(254),
  recipient: z.strictObject({
    role: z.enum(['leadResponsible', 'convener', 'invitee', 'participant']),
    organisationId: OrganisationId,
  }),
});

export type ReminderMessage = z.infer<typeof ReminderMessage>;
