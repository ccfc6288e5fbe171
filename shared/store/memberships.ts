/**
 * Membership items: one per organisation taking part in a plan, carrying the plan's summary. They back
 * "the plans my organisation takes part in" as a Query, and are rewritten with every plan write.
 */
import { participatingOrganisationIds } from '../domain/participants.ts';
import type { Plan, PlanSummary } from '../domain/plan.ts';
import { accessOf, type PlanAccess } from '../policy/policy.ts';
import { keys } from './keys.ts';
import type { Companion, TransactItem } from './plan-store.ts';

/**
 * What a list shows of a plan. No personal data: a name change never fans out to these items. No deadline
 * states either: those pass with the clock and change with the lead times; `GET /deadlines` reads the plans.
 */
export function summarise(plan: Plan): PlanSummary {
  return {
    planId: plan.planId,
    status: plan.status,
    version: plan.version,
    trigger: plan.initiation.trigger,
    noticedAt: plan.initiation.noticedAt,
    convenerOrganisationId: plan.convener.organisationId,
    ...(plan.content?.leadResponsible && {
      leadResponsibleOrganisationId: plan.content.leadResponsible.organisationId,
    }),
    ...(plan.content?.followUp && { followUpDate: plan.content.followUp.date }),
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  };
}

/** A plan as a list sees it: its summary, and what the policy needs to decide whether the caller may see it. */
export interface Listed {
  summary: PlanSummary;
  /** Missing on an item written before access facts were: such a plan is listed to no one until written again. */
  access: PlanAccess | undefined;
}

/**
 * Puts a membership for every organisation taking part now; deletes those of organisations that left.
 * Taking part is not yet seeing: a list shows a membership only when the policy allows, decided from the
 * access facts the item carries.
 */
export const membershipWrites: Companion = ({ plan, previous }, tableName) => {
  const current = participatingOrganisationIds(plan);
  const summary = summarise(plan);
  const access = accessOf(plan);
  const puts: TransactItem[] = [...current].map((organisationId) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...keys.membership(organisationId, plan.planId),
        ...keys.membershipByStatus(organisationId, plan.status, plan.planId),
        kind: 'membership',
        summary,
        access,
      },
    },
  }));
  const left = previous ? [...participatingOrganisationIds(previous)].filter((id) => !current.has(id)) : [];
  const deletes: TransactItem[] = left.map((organisationId) => ({
    Delete: { TableName: tableName, Key: keys.membership(organisationId, plan.planId) },
  }));
  return [...puts, ...deletes];
};
