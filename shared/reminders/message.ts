/**
 * A reminder on its way: one deadline, one stage, one channel. It names the plan by id and reference only —
 * never the individual — and carries the professional recipient's address.
 */
import * as z from 'zod/mini';
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

export const ReminderMessage = z.strictObject({
  meeting: z.optional(MeetingFacts),
  /** `<planId>/<deadline key>/<stage>/<channel>`: the unit of exactly-once delivery. */
  deliveryId: text(400),
  reminderId: text(300),
  planId: Id,
  kind: z.enum([
    'kallelseAfterDischarge',
    'meetingAfterNeed',
    'startWithoutDelay',
    'invitationResponses',
    'followUp',
    'consentExpiry',
    'kallelseDelivery',
  ]),
  stage: text(50),
  dueAt: Timestamp,
  channel: z.enum(['email', 'sms']),
  /** An e-mail address or an E.164 mobile number of the lead responsible or the convener. */
  to: text(254),
  recipient: z.strictObject({
    role: z.enum(['leadResponsible', 'convener', 'invitee']),
    organisationId: OrganisationId,
  }),
});

export type ReminderMessage = z.infer<typeof ReminderMessage>;
