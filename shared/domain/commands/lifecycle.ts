/**
 * The plan's lifecycle as one state machine: which command may run in which status, and what it is
 * refused with otherwise. Statuses move only through the commands (`initiated` → `invited` →
 * `established` → `closed`, or to one of the other ends: `consentRefused`, `requestRefused`, `notNeeded`).
 */
import type { Plan, PlanStatus } from '../plan.ts';
import { type Rule, refuse } from './rules.ts';

/** The statuses in which a plan is over: read-only from then on. */
export const ENDED: readonly PlanStatus[] = ['closed', 'consentRefused', 'requestRefused', 'notNeeded'];
const OPEN: readonly PlanStatus[] = ['initiated', 'invited', 'established'];

export type CommandName =
  | 'giveConsent'
  | 'withdrawConsent'
  | 'refuseConsent'
  | 'sendInvitation'
  | 'respondToInvitation'
  | 'rescheduleInvitation'
  | 'establish'
  | 'recordFollowUp'
  | 'close'
  | 'restart'
  | 'refuseRequest'
  | 'recordDischargeEvent';

/** For each command: the statuses it may run in, and the rule that refuses it in each other open status. */
const MACHINE: Record<
  CommandName,
  { from: readonly PlanStatus[]; otherwise?: Partial<Record<PlanStatus, Rule>> }
> = {
  giveConsent: { from: OPEN },
  withdrawConsent: { from: OPEN },
  refuseConsent: { from: ['initiated', 'invited'], otherwise: { established: 'sip-already-established' } },
  sendInvitation: { from: OPEN },
  respondToInvitation: { from: OPEN },
  rescheduleInvitation: { from: OPEN },
  establish: {
    from: ['invited'],
    otherwise: { initiated: 'invitation-required', established: 'sip-already-established' },
  },
  recordFollowUp: {
    from: ['established'],
    otherwise: { initiated: 'not-established', invited: 'not-established' },
  },
  close: { from: OPEN },
  restart: { from: OPEN },
  refuseRequest: { from: ['initiated', 'invited'], otherwise: { established: 'sip-already-established' } },
  recordDischargeEvent: { from: OPEN },
};

/** Refuses `command` unless the plan's status allows it. */
export function assertAllowed(plan: Plan, command: CommandName): void {
  const { from, otherwise } = MACHINE[command];
  if (from.includes(plan.status)) return;
  if (ENDED.includes(plan.status))
    refuse('plan-closed', `the plan is ${plan.status}; it can be read but not changed`);
  refuse(
    otherwise?.[plan.status] ?? 'plan-closed',
    `${command} is not possible while the plan is ${plan.status}`,
  );
}

export const isOpen = (status: PlanStatus) => OPEN.includes(status);
