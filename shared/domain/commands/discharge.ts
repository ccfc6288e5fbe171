/** In- och utskrivning: what inpatient care reports about the individual, and what it starts. */
import * as z from 'zod/mini';
import { participatingOrganisationIds } from '../participants.ts';
import { OrganisationPerson } from '../people.ts';
import type { Plan } from '../plan.ts';
import { Bounds, Timestamp, text } from '../schema.ts';
import { toStockholmTimestamp } from '../time.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { assertHappened } from './moments.ts';
import { refuse } from './rules.ts';

export const DischargeEventInput = z
  .strictObject({
    event: z.enum(['admitted', 'readyForDischarge', 'discharged', 'sipNotNeeded']),
    at: Timestamp,
    inpatientUnit: z.optional(OrganisationPerson),
    /** `sipNotNeeded`: the assessment. */
    reason: z.optional(text(Bounds.medium)),
  })
  .check(
    z.refine((input) => input.event !== 'sipNotNeeded' || Boolean(input.reason), {
      message: 'give the assessment that no SIP is needed',
      path: ['reason'],
    }),
  );

/**
 * `admitted`: an established plan is flagged for a follow-up or a restart, and the convener is told.
 * `readyForDischarge` (utskrivningsklar) starts the three-day kallelse deadline. `sipNotNeeded` records the
 * assessment as sent to every participating unit and ends the process: the deadline check then sends each
 * of them the ending notice (`deliveriesOf`), due from the moment it was recorded here.
 */
export function recordDischargeEvent(
  plan: Plan,
  input: z.infer<typeof DischargeEventInput>,
  context: CommandContext,
): CommandResult {
  assertHappened(input.at, context.now, '/at');
  const discharge = { ...plan.discharge, ...(input.inpatientUnit && { inpatientUnit: input.inpatientUnit }) };
  switch (input.event) {
    case 'admitted': {
      if (plan.status !== 'established')
        return { plan: { ...plan, discharge: { ...discharge, admittedAt: input.at } } };
      const notice = {
        id: context.newId(),
        at: toStockholmTimestamp(context.now),
        kind: 'admittedToInpatientCare' as const,
        message:
          'Den enskilde har skrivits in i slutenvård: följ upp och revidera planen, eller avsluta och starta om.',
      };
      return {
        plan: {
          ...plan,
          discharge: { ...discharge, admittedAt: input.at, reviewNeeded: true },
          notices: [...plan.notices, notice],
        },
      };
    }
    case 'readyForDischarge':
      return { plan: { ...plan, discharge: { ...discharge, readyForDischargeAt: input.at } } };
    case 'discharged':
      return { plan: { ...plan, discharge: { ...discharge, dischargedAt: input.at } } };
    case 'sipNotNeeded': {
      if (plan.status === 'established')
        refuse('sip-already-established', 'the plan is established: close it instead');
      const sentTo = [...participatingOrganisationIds(plan)];
      return {
        plan: {
          ...plan,
          status: 'notNeeded',
          discharge: {
            ...discharge,
            sipNotNeeded: {
              assessedAt: input.at,
              reason: input.reason ?? '',
              sentTo,
              recordedAt: toStockholmTimestamp(context.now),
            },
          },
        },
      };
    }
  }
}
