/** The SIP meeting where the plan is established (upprättas), and the rules every established plan keeps. */
import * as z from 'zod/mini';
import { PlanContent } from '../content.ts';
import { assertEstablishedContent } from '../invariants.ts';
import type { Plan } from '../plan.ts';
import { meetingFacts } from '../process.ts';
import { Bounds, Id, text } from '../schema.ts';
import { toStockholmDate } from '../time.ts';
import { requireConsent } from './consent-rules.ts';
import { isChild } from './consents.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { assertHappened, assertNotBefore } from './moments.ts';
import { refuse } from './rules.ts';

export const MeetingInput = z.strictObject(meetingFacts);

export const EstablishInput = z.strictObject({
  meeting: MeetingInput,
  invitationId: z.optional(Id),
  content: PlanContent,
  /** For a child: how the child's own voice was heard. */
  childsVoice: z.optional(text(Bounds.long)),
});

/**
 * Establishes the plan at its meeting: needs an active consent to establish it, a lead responsible of a
 * municipality or a region who can be reached, an intervention with its responsible organisation, and a
 * follow-up date and place. KVÅ AU125 when the plan came from a discharge, AU124 otherwise.
 */
export function establish(
  plan: Plan,
  input: z.infer<typeof EstablishInput>,
  context: CommandContext,
): CommandResult {
  requireConsent(plan, 'planEstablishment', context.now);
  assertHappened(input.meeting.heldAt, context.now, '/meeting/heldAt');
  // The meeting the plan is established at is the one a kallelse called: it cannot come before it.
  const kallelse = input.invitationId
    ? plan.invitations.find((i) => i.id === input.invitationId)
    : plan.invitations.at(-1);
  if (input.invitationId && !kallelse) {
    refuse('unknown-invitation', `no kallelse ${input.invitationId} on this plan`, '/invitationId');
  }
  if (kallelse) {
    assertNotBefore(
      input.meeting.heldAt,
      kallelse.sentAt,
      'meeting-before-kallelse',
      `the meeting (${input.meeting.heldAt}) lies before its kallelse was sent (${kallelse.sentAt})`,
      '/meeting/heldAt',
    );
  }
  const childsVoice = input.childsVoice ?? plan.childsVoice;
  checkChild(plan, childsVoice);
  const content = withInterventionIds(input.content, context);
  checkContent(plan, content, input.meeting.heldAt);
  const meeting = {
    id: context.newId(),
    ...(input.invitationId && { invitationId: input.invitationId }),
    purpose: 'establishment' as const,
    ...input.meeting,
  };
  const fromDischarge =
    plan.initiation.trigger === 'discharge' || Boolean(plan.discharge?.readyForDischargeAt);
  return {
    plan: {
      ...plan,
      status: 'established',
      content,
      ...(childsVoice && { childsVoice }),
      meetings: [...plan.meetings, meeting],
      establishment: {
        establishedAt: input.meeting.heldAt,
        meetingId: meeting.id,
        kvaCode: fromDischarge ? 'AU125' : 'AU124',
      },
    },
  };
}

/**
 * The rules the content agreed at a meeting keeps, at establishment and at every revision: those of an
 * established plan (see `invariants.ts`), and a follow-up after the meeting.
 */
export function checkContent(plan: Plan, content: z.infer<typeof PlanContent>, meetingAt: string): void {
  assertEstablishedContent(content);
  const participants = new Set((plan.organisations ?? []).map((o) => o.organisationId));
  const lead = content.leadResponsible?.organisationId ?? '';
  for (const id of [lead, ...(content.interventions ?? []).map((i) => i.responsibleOrganisationId)]) {
    if (!participants.has(id)) refuse('not-a-participant', `add ${id} to the plan's organisations first`);
  }
  const followUp = content.followUp?.date ?? '';
  if (followUp <= toStockholmDate(new Date(meetingAt))) {
    refuse(
      'follow-up-in-past',
      `the follow-up (${followUp}) must lie after the meeting`,
      '/content/followUp/date',
    );
  }
}

/** A child's plan names the guardians and records how the child's own voice was heard. */
function checkChild(plan: Plan, childsVoice: string | undefined): void {
  if (!isChild(plan)) return;
  if (!plan.representatives?.some((r) => r.kind === 'guardian')) {
    refuse('guardian-required', 'the individual is under 18: add the guardians to the representatives');
  }
  if (!childsVoice) refuse('child-voice-missing', 'record how the child’s own voice was heard (childsVoice)');
}

/** Ids for the interventions and other actions agreed at a meeting: later edits and reviews refer to them. */
export function withInterventionIds(content: z.infer<typeof PlanContent>, context: CommandContext) {
  const withId = <T extends { id?: string | undefined }>(items: T[]) =>
    items.map((item) => (item.id ? item : { ...item, id: context.newId() }));
  return {
    ...content,
    ...(content.interventions && { interventions: withId(content.interventions) }),
    ...(content.otherActions && { otherActions: withId(content.otherActions) }),
  };
}
