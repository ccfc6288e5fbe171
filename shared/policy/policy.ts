/**
 * Who may do what. One pure function decides for every route; no route decides on its own.
 * The scope each action needs is declared here too, and the CDK stack reads it for the API Gateway
 * authorizer, so the gateway and the function can never disagree.
 */
import { participatingOrganisationIds } from '../domain/participants.ts';
import type { Plan } from '../domain/plan.ts';

export const SCOPES = ['sip.read', 'sip.write', 'report.read'] as const;
export type Scope = (typeof SCOPES)[number];

/** The authenticated caller, read from the token's claims in one place (`shared/http/caller.ts`). */
export interface Caller {
  userId: string;
  organisationId: string;
  unitId?: string | undefined;
  scopes: ReadonlySet<string>;
}

export const ACTIONS = {
  'plan.create': 'sip.write',
  'plan.read': 'sip.read',
  'plan.update': 'sip.write',
  'plan.list': 'sip.read',
} as const satisfies Record<string, Scope>;
export type Action = keyof typeof ACTIONS;

export type Decision =
  | { allowed: true }
  /** `conceal`: answer as if the plan did not exist, so that a refusal does not reveal it. */
  | { allowed: false; reason: string; conceal: boolean };

const allow: Decision = { allowed: true };

/**
 * May `caller` perform `action` (on `plan`, for actions on an existing plan)? The token must carry the
 * action's scope, and an organisation acts on a plan only if it takes part in it. A plan the caller may
 * not see is concealed: the answer is the same as for a plan that does not exist.
 */
export function decide(caller: Caller, action: Action, plan?: Plan): Decision {
  const scope = ACTIONS[action];
  if (!caller.scopes.has(scope)) {
    return { allowed: false, reason: `the token lacks the scope ${scope}`, conceal: false };
  }
  if (plan && !participatingOrganisationIds(plan).has(caller.organisationId)) {
    return { allowed: false, reason: 'your organisation does not take part in this plan', conceal: true };
  }
  return allow;
}

/**
 * A plan as it would be after a write must keep the caller's organisation among its participants:
 * otherwise the caller would create or edit a plan away from themselves.
 */
export function decideResult(caller: Caller, resulting: Plan): Decision {
  return participatingOrganisationIds(resulting).has(caller.organisationId)
    ? allow
    : { allowed: false, reason: 'your organisation must take part in the plan it writes', conceal: false };
}
