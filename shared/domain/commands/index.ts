/**
 * The process commands, by name: the input each takes and the function that applies it. `runCommand`
 * is the one way a command reaches a plan: the lifecycle first, then the command's own rules.
 */
import type * as z from 'zod/mini';
import type { Plan } from '../plan.ts';
import { CloseInput, close, RefuseRequestInput, RestartInput, refuseRequest, restart } from './closure.ts';
import {
  GiveConsentInput,
  giveConsent,
  RefuseConsentInput,
  refuseConsent,
  WithdrawConsentInput,
  withdrawConsent,
} from './consents.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { DischargeEventInput, recordDischargeEvent } from './discharge.ts';
import { EstablishInput, establish } from './establishment.ts';
import { FollowUpInput, recordFollowUp } from './follow-ups.ts';
import {
  RescheduleInput,
  RespondInput,
  rescheduleInvitation,
  respondToInvitation,
  SendInvitationInput,
  sendInvitation,
} from './invitations.ts';
import { assertAllowed, type CommandName } from './lifecycle.ts';

interface CommandDefinition {
  /** The request body. */
  input: z.ZodMiniType;
  // biome-ignore lint/suspicious/noExplicitAny: each command narrows its own input; the table only routes
  run: (plan: Plan, input: any, context: CommandContext) => CommandResult;
}

export const COMMANDS = {
  giveConsent: { input: GiveConsentInput, run: giveConsent },
  withdrawConsent: { input: WithdrawConsentInput, run: withdrawConsent },
  refuseConsent: { input: RefuseConsentInput, run: refuseConsent },
  sendInvitation: { input: SendInvitationInput, run: sendInvitation },
  respondToInvitation: { input: RespondInput, run: respondToInvitation },
  rescheduleInvitation: { input: RescheduleInput, run: rescheduleInvitation },
  establish: { input: EstablishInput, run: establish },
  recordFollowUp: { input: FollowUpInput, run: recordFollowUp },
  close: { input: CloseInput, run: close },
  restart: { input: RestartInput, run: restart },
  refuseRequest: { input: RefuseRequestInput, run: refuseRequest },
  recordDischargeEvent: { input: DischargeEventInput, run: recordDischargeEvent },
} as const satisfies Record<CommandName, CommandDefinition>;

/**
 * Applies a command to a plan. `input` is the parsed body together with the ids from the path
 * (`consentId`, `invitationId`). Throws a RuleViolation when a rule is broken; nothing is written then.
 */
export function runCommand(
  name: CommandName,
  plan: Plan,
  input: unknown,
  context: CommandContext,
): CommandResult {
  assertAllowed(plan, name);
  const command: CommandDefinition = COMMANDS[name];
  return command.run(plan, input, context);
}

export type { CommandName };
