/** kallelse: calling the SIP meeting, and the invitees' answers. */
import * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import { ParticipatingOrganisation, Person } from '../people.ts';
import type { Plan } from '../plan.ts';
import { MeetingPlace } from '../process.ts';
import { Bounds, OrganisationId, Timestamp, text } from '../schema.ts';
import { toStockholmTimestamp } from '../time.ts';
import { requireConsent } from './consent-rules.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { refuse } from './rules.ts';

export const SendInvitationInput = z.strictObject({
  /** Why the meeting is needed. */
  purpose: text(Bounds.medium),
  /** Default: the plan's long-term goal. */
  longTermGoal: z.optional(text(Bounds.medium)),
  questions: z.array(text(Bounds.medium)).check(z.minLength(1), z.maxLength(Bounds.list)),
  startsAt: Timestamp,
  endsAt: z.optional(Timestamp),
  place: MeetingPlace,
  /** Participating organisations; whether each is summoned or invited is as the plan records it. */
  invitees: z
    .array(
      z.strictObject({
        organisationId: OrganisationId,
        contribution: text(Bounds.medium),
        contact: z.optional(Person),
      }),
    )
    .check(z.minLength(1), z.maxLength(Bounds.list)),
});

/**
 * Sends a kallelse. Every invitee must take part in the plan and be named by an active information-sharing
 * consent; a digital meeting needs the individual's agreement; summoned parties are units of a principal.
 */
export function sendInvitation(
  plan: Plan,
  input: z.infer<typeof SendInvitationInput>,
  context: CommandContext,
): CommandResult {
  assertMeetingAhead(input, context.now);
  const longTermGoal = input.longTermGoal ?? plan.longTermGoal;
  if (!longTermGoal) {
    throw new ValidationError([
      { pointer: '/longTermGoal', detail: 'the kallelse states the long-term goal; the plan has none yet' },
    ]);
  }
  const invitees = input.invitees.map((invitee) => {
    const organisation = participating(plan, invitee.organisationId);
    if (organisation.participation === 'summoned' && organisation.principal === 'other') {
      refuse(
        'not-a-principal',
        `${organisation.organisationId} is not a unit of a municipality or a region: invite it instead`,
      );
    }
    return {
      organisationId: invitee.organisationId,
      participation: organisation.participation,
      ...((invitee.contact ?? organisation.contactPerson) && {
        contact: invitee.contact ?? organisation.contactPerson,
      }),
      contribution: invitee.contribution,
      responses: [],
    };
  });
  if (input.place.kind === 'digital' && !plan.participation?.digitalMeetingAgreed) {
    refuse(
      'digital-meeting-not-agreed',
      'record the individual’s agreement (participation.digitalMeetingAgreed) first',
    );
  }
  requireConsent(
    plan,
    'informationSharing',
    context.now,
    invitees.map((i) => i.organisationId),
  );
  const invitation = {
    id: context.newId(),
    purpose: input.purpose,
    longTermGoal,
    questions: input.questions,
    startsAt: input.startsAt,
    ...(input.endsAt && { endsAt: input.endsAt }),
    place: input.place,
    invitees,
    sentAt: toStockholmTimestamp(context.now),
    sentBy: context.actor,
  };
  return {
    plan: {
      ...plan,
      status: plan.status === 'initiated' ? 'invited' : plan.status,
      invitations: [...plan.invitations, invitation],
    },
  };
}

export const RespondInput = z
  .strictObject({
    /** The invitee answering. */
    organisationId: OrganisationId,
    kind: z.enum(['attend', 'substitute', 'decline', 'forward']),
    /** Who attends (`attend`, `substitute`). */
    attendee: z.optional(Person),
    /** The unit under the same principal that should come instead (`forward`). */
    forwardedTo: z.optional(ParticipatingOrganisation),
    note: z.optional(text(Bounds.medium)),
  })
  .check(
    z.superRefine((input, ctx) => {
      if ((input.kind === 'attend' || input.kind === 'substitute') && !input.attendee) {
        ctx.issues.push({
          code: 'custom',
          message: `say who attends (${input.kind})`,
          path: ['attendee'],
          input,
        });
      }
      if (input.kind === 'forward' && !input.forwardedTo) {
        ctx.issues.push({
          code: 'custom',
          message: 'name the unit the kallelse goes to',
          path: ['forwardedTo'],
          input,
        });
      }
    }),
  );

/**
 * Records an invitee's answer. A summoned party cannot decline; it sends someone, or forwards the kallelse
 * to the right unit under the same principal, which then becomes the invitee (and the convener is told).
 */
export function respondToInvitation(
  plan: Plan,
  input: z.infer<typeof RespondInput> & { invitationId: string },
  context: CommandContext,
): CommandResult {
  const invitation = plan.invitations.find((i) => i.id === input.invitationId);
  if (!invitation) refuse('unknown-invitation', `no kallelse ${input.invitationId} on this plan`);
  const invitee = invitation.invitees.find((i) => i.organisationId === input.organisationId);
  if (!invitee) refuse('not-an-invitee', `${input.organisationId} is not invited to this meeting`);
  if (input.kind === 'decline' && invitee.participation === 'summoned') {
    refuse(
      'summoned-cannot-decline',
      `${input.organisationId} is summoned: send someone, or forward to the right unit`,
    );
  }
  const response = {
    kind: input.kind,
    ...(input.attendee && { attendee: input.attendee }),
    ...(input.forwardedTo && {
      forwardedTo: {
        organisationId: input.forwardedTo.organisationId,
        name: input.forwardedTo.name,
        ...(input.forwardedTo.unit && { unit: input.forwardedTo.unit }),
        person: input.forwardedTo.contactPerson ?? { name: input.forwardedTo.name },
      },
    }),
    ...(input.note && { note: input.note }),
    respondedAt: toStockholmTimestamp(context.now),
    respondedBy: context.actor,
  };
  let invitees = invitation.invitees.map((i) =>
    i.organisationId === invitee.organisationId ? { ...i, responses: [...i.responses, response] } : i,
  );
  let next: Plan = plan;
  const target = input.forwardedTo;
  if (input.kind === 'forward' && target) {
    const from = participating(plan, invitee.organisationId);
    if (target.principal !== from.principal || target.principalName !== from.principalName) {
      refuse(
        'forward-outside-principal',
        `${from.organisationId} is under ${from.principalName}; ${target.organisationId} is not`,
      );
    }
    requireConsent(plan, 'informationSharing', context.now, [target.organisationId]);
    if (!invitees.some((i) => i.organisationId === target.organisationId)) {
      invitees = [
        ...invitees,
        {
          organisationId: target.organisationId,
          participation: invitee.participation,
          ...(target.contactPerson && { contact: target.contactPerson }),
          contribution: invitee.contribution,
          responses: [],
        },
      ];
    }
    const organisations = plan.organisations ?? [];
    next = {
      ...plan,
      organisations: organisations.some((o) => o.organisationId === target.organisationId)
        ? organisations
        : [...organisations, { ...target, participation: from.participation }],
      notices: [
        ...plan.notices,
        {
          id: context.newId(),
          at: toStockholmTimestamp(context.now),
          kind: 'invitationForwarded',
          message: `Kallelsen till ${from.name} har vidarebefordrats till ${target.name}.`,
          organisationId: target.organisationId,
        },
      ],
    };
  }
  return {
    plan: {
      ...next,
      invitations: next.invitations.map((i) => (i.id === invitation.id ? { ...invitation, invitees } : i)),
    },
  };
}

/** A kallelse calls a meeting still to come, and a meeting ends after it starts. */
function assertMeetingAhead(input: { startsAt: string; endsAt?: string | undefined }, now: Date): void {
  if (Date.parse(input.startsAt) <= now.getTime()) {
    refuse(
      'meeting-not-after-kallelse',
      `the meeting (${input.startsAt}) must start after the kallelse is sent`,
      '/startsAt',
    );
  }
  if (input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
    refuse('meeting-ends-before-start', 'endsAt must lie after startsAt', '/endsAt');
  }
}

function participating(plan: Plan, organisationId: string) {
  const organisation = plan.organisations?.find((o) => o.organisationId === organisationId);
  if (!organisation) refuse('not-a-participant', `add ${organisationId} to the plan's organisations first`);
  return organisation;
}

export const RescheduleInput = z.strictObject({ startsAt: Timestamp, endsAt: z.optional(Timestamp) });

/** Moves the meeting of a kallelse: the invitees get an update of the same calendar event. */
export function rescheduleInvitation(
  plan: Plan,
  input: z.infer<typeof RescheduleInput> & { invitationId: string },
  context: CommandContext,
): CommandResult {
  const invitation = plan.invitations.find((i) => i.id === input.invitationId);
  if (!invitation) refuse('unknown-invitation', `no kallelse ${input.invitationId} on this plan`);
  assertMeetingAhead(input, context.now);
  const { endsAt: _, ...rest } = invitation;
  const moved = {
    ...rest,
    startsAt: input.startsAt,
    ...(input.endsAt && { endsAt: input.endsAt }),
    rescheduledAt: toStockholmTimestamp(context.now),
    reschedules: (invitation.reschedules ?? 0) + 1,
  };
  return {
    plan: { ...plan, invitations: plan.invitations.map((i) => (i.id === invitation.id ? moved : i)) },
  };
}
