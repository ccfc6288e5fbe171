/** avslut: closing a plan, restarting it after a changed goal, and refusing a request for a SIP. */
import * as z from 'zod/mini';
import type { Plan } from '../plan.ts';
import { newPlan } from '../plan-edits.ts';
import { type ClosureReason, closureTerms } from '../process.ts';
import { Bounds, Timestamp, text } from '../schema.ts';
import { toStockholmTimestamp } from '../time.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { assertHappened } from './moments.ts';
import { refuse } from './rules.ts';

export const CloseInput = z.strictObject(closureTerms).check(
  z.refine((input) => input.reason !== 'other' || Boolean(input.reasonText), {
    message: 'say why the plan is closed when the reason is other',
    path: ['reasonText'],
  }),
);

/**
 * The plan, closed. Without "where to turn", the individual is pointed to the lead responsible or the
 * convener. `individualToldAt` is a moment reported, so it has happened; `pointer` names it in the body of
 * the command that closes. Every participating organisation is then told by the deadline check (the
 * ending notices of `deliveriesOf`), from `closedAt`.
 */
export function closure(
  plan: Plan,
  input: {
    reason: z.infer<typeof ClosureReason>;
    reasonText?: string | undefined;
    informed: string[];
    whereToTurn?: string | undefined;
    individualToldAt?: string | undefined;
  },
  context: CommandContext,
  pointer = '/individualToldAt',
): Plan {
  if (input.individualToldAt) assertHappened(input.individualToldAt, context.now, pointer);
  const contact = plan.content?.leadResponsible ?? plan.convener;
  return {
    ...plan,
    status: 'closed',
    closure: {
      closedAt: toStockholmTimestamp(context.now),
      reason: input.reason,
      ...(input.reasonText && { reasonText: input.reasonText }),
      informed: input.informed,
      whereToTurn: input.whereToTurn ?? `Kontakta ${contact.name} om behovet av samordnat stöd uppstår igen.`,
      ...(input.individualToldAt && { individualToldAt: input.individualToldAt }),
      recordedBy: context.actor,
    },
  };
}

export function close(plan: Plan, input: z.infer<typeof CloseInput>, context: CommandContext): CommandResult {
  return { plan: closure(plan, input, context) };
}

export const RestartInput = z.strictObject({
  /** The changed long-term goal the new plan starts from. */
  longTermGoal: text(Bounds.medium),
  informed: z.array(text()).check(z.maxLength(Bounds.list)),
  whereToTurn: z.optional(text(Bounds.medium)),
  /** When the individual was told that the plan ends and where to turn. */
  individualToldAt: z.optional(Timestamp),
});

/**
 * Closes the plan with `goalChanged` and opens a new one for the same individual, linked both ways. The new
 * plan keeps who takes part but none of the consents: it needs new consent.
 */
export function restart(
  plan: Plan,
  input: z.infer<typeof RestartInput>,
  context: CommandContext,
): CommandResult {
  const created = newPlan(
    {
      initiation: {
        noticedAt: toStockholmTimestamp(context.now),
        trigger: plan.initiation.trigger,
        noticedBy: plan.convener,
        note: `Omstart av plan ${plan.planId} efter ändrat långsiktigt mål.`,
      },
      individual: plan.individual,
      ...(plan.representatives && { representatives: plan.representatives }),
      ...(plan.participation && { participation: plan.participation }),
      ...(plan.organisations && { organisations: plan.organisations }),
      convener: plan.convener,
      longTermGoal: input.longTermGoal,
    },
    context.newId(),
    context,
  );
  created.restartOf = plan.planId;
  const closed = closure(
    plan,
    {
      reason: 'goalChanged',
      informed: input.informed,
      whereToTurn: input.whereToTurn,
      individualToldAt: input.individualToldAt,
    },
    context,
  );
  return { plan: { ...closed, restartedAs: created.planId }, created };
}

export const RefuseRequestInput = z.strictObject({ reason: text(Bounds.long) });

/** A SIP requested by the individual or next of kin may be refused only exceptionally, with the reason documented. */
export function refuseRequest(
  plan: Plan,
  input: z.infer<typeof RefuseRequestInput>,
  context: CommandContext,
): CommandResult {
  if (plan.initiation.trigger !== 'ownRequest' && plan.initiation.trigger !== 'nextOfKinRequest') {
    refuse('not-a-request', `the plan was started by ${plan.initiation.trigger}, not by a request`);
  }
  return {
    plan: {
      ...plan,
      status: 'requestRefused',
      requestRefusal: {
        refusedAt: toStockholmTimestamp(context.now),
        reason: input.reason,
        recordedBy: context.actor,
      },
    },
  };
}
