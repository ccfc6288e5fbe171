/** The SIP meeting where the plan is established (upprättas), and the rules every established plan keeps. */
import * as z from 'zod/mini';
import { PlanContent } from '../content.ts';
import type { Plan } from '../plan.ts';
import { meetingFacts } from '../process.ts';
import { Bounds, Id, text } from '../schema.ts';
import { toStockholmDate } from '../time.ts';
import { requireConsent } from './consent-rules.ts';
import { isChild } from './consents.ts';
import type { CommandContext, CommandResult } from './context.ts';
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

/** The rules the content of an established plan keeps, at establishment and at every revision. */
export function checkContent(plan: Plan, content: z.infer<typeof PlanContent>, meetingAt: string): void {
  const lead = content.leadResponsible;
  if (!lead) refuse('lead-responsible-required', 'name the lead responsible (content.leadResponsible)');
  if (lead.principal === 'other') {
    refuse(
      'not-a-principal',
      `the lead responsible must belong to a municipality or a region, not ${lead.principalName}`,
    );
  }
  if (!lead.person.email && !lead.person.mobile) {
    refuse(
      'lead-responsible-unreachable',
      'give the lead responsible an e-mail address or a mobile number for reminders',
    );
  }
  const interventions = content.interventions ?? [];
  if (interventions.length === 0)
    refuse('intervention-required', 'add at least one intervention (content.interventions)');
  const participants = new Set((plan.organisations ?? []).map((o) => o.organisationId));
  for (const id of [lead.organisationId, ...interventions.map((i) => i.responsibleOrganisationId)]) {
    if (!participants.has(id)) refuse('not-a-participant', `add ${id} to the plan's organisations first`);
  }
  if (!content.followUp) refuse('follow-up-required', 'set the follow-up date and place (content.followUp)');
  if (content.followUp.date <= toStockholmDate(new Date(meetingAt))) {
    refuse('follow-up-in-past', `the follow-up (${content.followUp.date}) must lie after the meeting`);
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

export function withInterventionIds(content: z.infer<typeof PlanContent>, context: CommandContext) {
  return {
    ...content,
    ...(content.interventions && {
      interventions: content.interventions.map((i) => (i.id ? i : { ...i, id: context.newId() })),
    }),
  };
}
