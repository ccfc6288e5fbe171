/**
 * The SIP plan record — one zod schema for types, validation and the API description.
 *
 * Parts a caller edits (`POST /plans`, `PATCH /plans/{id}`) are listed in {@link EDITABLE_PARTS}; the rest is
 * written by the service: ids, status, version, stamps, and the records of the process commands.
 */

import * as z from 'zod/mini';
import { Consent, ConsentRefusal } from './consent.ts';
import { KvaCode, PlanContent } from './content.ts';
import { ReminderRecord } from './deadlines/record.ts';
import { Individual, ParticipationPreferences } from './individual.ts';
import { pointerTokens } from './json-pointer.ts';
import { unlistedOrganisations } from './participants.ts';
import { Actor, OrganisationPerson, ParticipatingOrganisation, Representatives } from './people.ts';
import {
  Closure,
  Discharge,
  EarlyFollowUp,
  FollowUp,
  Invitation,
  Meeting,
  Notice,
  RequestRefusal,
} from './process.ts';
import { Bounds, Id, list, OrganisationId, Timestamp, text } from './schema.ts';

export const PlanStatus = z.enum([
  'initiated',
  'invited',
  'established',
  'closed',
  'consentRefused',
  'requestRefused',
  'notNeeded',
]);
export type PlanStatus = z.infer<typeof PlanStatus>;

export const Trigger = z.enum([
  'discharge',
  'ownRequest',
  'nextOfKinRequest',
  'professionalAssessment',
  'other',
]);

/** When the need for coordination was noticed, by whom, and why. Fixed once recorded. */
export const Initiation = z.strictObject({
  noticedAt: Timestamp,
  trigger: Trigger,
  noticedBy: OrganisationPerson,
  note: z.optional(text(Bounds.medium)),
});

export const SubGoal = z.strictObject({ id: z.optional(Id), text: text(Bounds.medium) });

const organisationsUnique = z.refine<{ organisationId: string }[]>(
  (orgs) => new Set(orgs.map((o) => o.organisationId)).size === orgs.length,
  { message: 'each organisation may take part once' },
);

/** The parts a caller writes directly. Everything else is the service's or a process command's. */
const editableShape = {
  individual: Individual,
  representatives: z.optional(Representatives),
  participation: z.optional(ParticipationPreferences),
  /** "Vad är viktigt för dig?" — in the individual's own words. */
  longTermGoal: z.optional(text(Bounds.medium)),
  subGoals: z.optional(list(SubGoal)),
  organisations: z.optional(list(ParticipatingOrganisation).check(organisationsUnique)),
  /** sammankallande: prepares and calls the meeting; receives the reminders until a lead responsible exists. */
  convener: z.optional(OrganisationPerson),
  content: z.optional(PlanContent),
  /** For a child: how the child's own voice was heard (what they said, how they took part). */
  childsVoice: z.optional(text(Bounds.long)),
};
export const EDITABLE_PARTS = Object.keys(editableShape) as (keyof typeof editableShape)[];

export const Plan = z.strictObject({
  planId: Id,
  status: PlanStatus,
  version: z.int().check(z.positive()),
  initiation: Initiation,
  ...editableShape,
  convener: OrganisationPerson,
  consents: list(Consent),
  consentRefusal: z.optional(ConsentRefusal),
  requestRefusal: z.optional(RequestRefusal),
  discharge: z.optional(Discharge),
  invitations: list(Invitation),
  meetings: list(Meeting),
  /** Set when the plan is established: KVÅ AU124, or AU125 when it came from a discharge. */
  establishment: z.optional(
    z.strictObject({ establishedAt: Timestamp, meetingId: z.optional(Id), kvaCode: KvaCode }),
  ),
  followUps: list(FollowUp),
  /** The plan cannot go on as agreed (see `EarlyFollowUp`): an early follow-up is due. */
  earlyFollowUp: z.optional(EarlyFollowUp),
  /** What the convener must learn from the record: a kallelse forwarded, an admission to inpatient care. */
  notices: list(Notice, Bounds.longList),
  /**
   * Legacy: where plans written before the reminder book kept the reminders handed on. Read by the check
   * as sent until `npm run migrate` moves them beside the plan; never written any more.
   */
  reminders: z.optional(list(ReminderRecord, 1_000)),
  closure: z.optional(Closure),
  /** A plan closed with `goalChanged` and restarted links both ways. */
  restartOf: z.optional(Id),
  restartedAs: z.optional(Id),
  createdAt: Timestamp,
  createdBy: Actor,
  updatedAt: Timestamp,
  updatedBy: Actor,
});
export type Plan = z.infer<typeof Plan>;

/** The parts of a plan every reader with access sees; the categories of `information.ts` release the rest. */
export const FRAME_PARTS = [
  'planId',
  'status',
  'version',
  'convener',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
] as const;

/**
 * A plan as one reader sees it (`releasedView` in `information.ts`): the frame, whose plan it is by name,
 * and whatever parts its consent releases. Below the top level, the individual's identity and contact
 * details, the initiation's note and a follow-up's findings may be withheld too.
 */
export const PlanView = z.extend(
  z.partial(
    Plan,
    Object.fromEntries(
      Object.keys(Plan.shape)
        .filter((key) => !(FRAME_PARTS as readonly string[]).includes(key))
        .map((key) => [key, true]),
    ) as { [K in Exclude<keyof typeof Plan.shape, (typeof FRAME_PARTS)[number]>]: true },
  ),
  {
    individual: z.extend(z.partial(Individual), { name: Individual.shape.name }),
    initiation: z.optional(z.partial(Initiation)),
    followUps: z.optional(list(z.partial(FollowUp))),
    invitations: z.optional(list(z.partial(Invitation))),
  },
);
export type PlanView = z.infer<typeof PlanView>;

/** `POST /plans`: the initiation and any of the editable parts. */
/** Every organisation the plan names in a role must take part in it (see `unlistedOrganisations`). */
const organisationsListed = z.superRefine((parts: Pick<Plan, 'organisations' | 'content'>, ctx) => {
  for (const pointer of unlistedOrganisations(parts)) {
    ctx.issues.push({
      code: 'custom',
      message: 'add this organisation to organisations first',
      path: pointerTokens(pointer),
      input: parts,
    });
  }
});

export const CreatePlanRequest = z
  .strictObject({ initiation: Initiation, ...editableShape })
  .check(organisationsListed);
export type CreatePlanRequest = z.infer<typeof CreatePlanRequest>;

/** The editable parts of a plan, as validated after a merge patch has been applied. */
export const EditableParts = z.strictObject(editableShape).check(organisationsListed);
export type EditableParts = z.infer<typeof EditableParts>;

/** A revision: who changed the plan, when, and which fields (paths only, never values: no personal data is copied). */
export const Revision = z.strictObject({
  planId: Id,
  version: z.int(),
  action: text(64),
  at: Timestamp,
  by: Actor,
  /** JSON Pointers (RFC 6901) of the fields that changed. */
  changes: z.array(z.string()),
  /** A change of who may read the plan (a consent withdrawn for some recipients): the organisations it concerns. */
  organisations: z.optional(z.array(OrganisationId)),
});
export type Revision = z.infer<typeof Revision>;

/** What a list of plans shows: enough to find and sort plans, no personal data. */
export const PlanSummary = z.strictObject({
  planId: Id,
  status: PlanStatus,
  version: z.int(),
  trigger: Trigger,
  noticedAt: Timestamp,
  convenerOrganisationId: z.string(),
  leadResponsibleOrganisationId: z.optional(z.string()),
  followUpDate: z.optional(z.string()),
  /** Legacy: list items written before deadlines were read from the plans carry a copy; ignored. */
  openDeadlines: z.optional(z.array(z.unknown())),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PlanSummary = z.infer<typeof PlanSummary>;

/** A list item as one reader sees it: what comes from withheld parts of the plan is left out. */
export const PlanSummaryView = z.partial(PlanSummary, {
  trigger: true,
  noticedAt: true,
  leadResponsibleOrganisationId: true,
  followUpDate: true,
});
