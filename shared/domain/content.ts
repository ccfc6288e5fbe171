/** The plan itself: who does what, and when. Drafted before the meeting, established at it, revised at follow-ups. */

import * as z from 'zod/mini';
import { Person, Principal } from './people.ts';
import { FollowUpPlan } from './process.ts';
import { Bounds, CalendarDate, Id, list, OrganisationId, text } from './schema.ts';

/** insats: one thing someone will do, with who, when, how often, where, and the goal it serves. */
export const Intervention = z.strictObject({
  id: z.optional(Id),
  description: text(Bounds.medium),
  /** The organisation responsible. No organisation may decide another's interventions. */
  responsibleOrganisationId: OrganisationId,
  /** Who performs it (a role or a named person). */
  performer: text(),
  startDate: CalendarDate,
  endDate: z.optional(CalendarDate),
  /** When and how often: "twice a day", "once a week for eight weeks". */
  frequency: text(),
  place: text(),
  /** The goal it serves: the long-term goal or one of the sub-goals. */
  goal: text(Bounds.medium),
});
export type Intervention = z.infer<typeof Intervention>;

/** An action by someone other than the municipality or the region (Arbetsförmedlingen, next of kin …). */
export const OtherAction = z.strictObject({
  id: z.optional(Id),
  description: text(Bounds.medium),
  actor: text(),
  startDate: z.optional(CalendarDate),
  frequency: z.optional(text()),
});

/** huvudansvarig: one principal and a named person with overall responsibility; receives the reminders. */
export const LeadResponsible = z.strictObject({
  organisationId: OrganisationId,
  name: text(),
  principal: Principal,
  principalName: text(),
  person: Person,
});
export type LeadResponsible = z.infer<typeof LeadResponsible>;

export const PlanContent = z.strictObject({
  /** What the individual can do themselves. */
  selfActions: z.optional(list(text(Bounds.medium))),
  /** What the individual needs help and support with. */
  supportNeeds: z.optional(list(text(Bounds.medium))),
  interventions: z.optional(list(Intervention, Bounds.longList)),
  otherActions: z.optional(list(OtherAction)),
  /** Contact persons at each organisation. */
  contacts: z.optional(list(z.strictObject({ organisationId: OrganisationId, person: Person }))),
  leadResponsible: z.optional(LeadResponsible),
  followUp: z.optional(FollowUpPlan),
  /** Where views differ, recorded as they were put. */
  disagreements: z.optional(list(text(Bounds.long))),
  /** Whether the individual agrees with the planning (no signature is needed). */
  individualAgrees: z.optional(z.boolean()),
  individualComment: z.optional(text(Bounds.long)),
});
export type PlanContent = z.infer<typeof PlanContent>;

export const KvaCode = z.enum(['AU124', 'AU125', 'AW010']);
