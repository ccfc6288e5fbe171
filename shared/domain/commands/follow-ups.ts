/** uppföljning: the planned (or an early) review of an established plan. KVÅ AW010. */
import * as z from 'zod/mini';
import { PlanContent } from '../content.ts';
import type { Plan } from '../plan.ts';
import { followUpTerms } from '../process.ts';
import { toStockholmDate, toStockholmTimestamp } from '../time.ts';
import { CloseInput, closure } from './closure.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { checkContent, MeetingInput, withInterventionIds } from './establishment.ts';
import { assertHappened, assertNotBefore } from './moments.ts';
import { refuse } from './rules.ts';

export const FollowUpInput = z
  .strictObject({
    meeting: MeetingInput,
    ...followUpTerms,
    /** Outcome `revised`: the plan content as revised at this follow-up (optional). */
    content: z.optional(PlanContent),
    /** Outcome `closed`: why, who was told, where the individual can turn and when they were told. */
    closure: z.optional(CloseInput),
  })
  .check(
    z.refine((input) => input.outcome !== 'closed' || Boolean(input.closure), {
      message: 'a closing follow-up says why, who was told and where to turn',
      path: ['closure'],
    }),
  );

/**
 * Records a follow-up. `revised` books the next follow-up (and may revise the content, which must still
 * keep the rules of an established plan); `closed` closes the plan. Early when held before the planned date.
 */
export function recordFollowUp(
  plan: Plan,
  input: z.infer<typeof FollowUpInput>,
  context: CommandContext,
): CommandResult {
  assertHappened(input.meeting.heldAt, context.now, '/meeting/heldAt');
  if (plan.establishment) {
    assertNotBefore(
      input.meeting.heldAt,
      plan.establishment.establishedAt,
      'follow-up-before-establishment',
      `the follow-up (${input.meeting.heldAt}) lies before the plan was established (${plan.establishment.establishedAt})`,
      '/meeting/heldAt',
    );
  }
  const current = plan.content ?? {};
  const known = new Set((current.interventions ?? []).map((i) => i.id));
  for (const { interventionId } of input.interventions) {
    if (!known.has(interventionId))
      refuse('unknown-intervention', `no intervention ${interventionId} in the plan`);
  }
  const heldOn = toStockholmDate(new Date(input.meeting.heldAt));
  const meeting = { id: context.newId(), purpose: 'followUp' as const, ...input.meeting };
  const followUp = {
    id: context.newId(),
    meetingId: meeting.id,
    heldAt: input.meeting.heldAt,
    early: current.followUp ? heldOn < current.followUp.date : false,
    progress: input.progress,
    ...(input.newCircumstances && { newCircumstances: input.newCircumstances }),
    interventions: input.interventions,
    ...(input.otherInterventionsNeeded && { otherInterventionsNeeded: input.otherInterventionsNeeded }),
    outcome: input.outcome,
    ...(input.nextFollowUp && { nextFollowUp: input.nextFollowUp }),
    kvaCode: 'AW010' as const,
    recordedAt: toStockholmTimestamp(context.now),
    recordedBy: context.actor,
  };
  const { reviewNeeded: _, ...discharge } = plan.discharge ?? {};
  const { earlyFollowUp: _early, ...held } = plan;
  const recorded: Plan = {
    ...held,
    meetings: [...plan.meetings, meeting],
    followUps: [...plan.followUps, followUp],
    ...(plan.discharge && { discharge }),
  };
  if (input.outcome === 'closed' && input.closure)
    return { plan: closure(recorded, input.closure, context, '/closure/individualToldAt') };
  if (!input.nextFollowUp)
    refuse('follow-up-required', 'a revised plan books its next follow-up (nextFollowUp)');
  const content = { ...withInterventionIds(input.content ?? current, context), followUp: input.nextFollowUp };
  checkContent(plan, content, input.meeting.heldAt);
  return { plan: { ...recorded, content } };
}
