/** Which organisations take part in a plan. */
import type { Plan } from './plan.ts';

/**
 * Every organisation that takes part: the one that noticed the need, the convener, the participating
 * organisations, the lead responsible, the organisations responsible for interventions, and the invitees.
 * These are the organisations whose lists show the plan.
 */
export function participatingOrganisationIds(plan: Plan): Set<string> {
  const ids = new Set<string>([plan.initiation.noticedBy.organisationId, plan.convener.organisationId]);
  for (const organisation of plan.organisations ?? []) ids.add(organisation.organisationId);
  const content = plan.content;
  if (content?.leadResponsible) ids.add(content.leadResponsible.organisationId);
  for (const intervention of content?.interventions ?? []) ids.add(intervention.responsibleOrganisationId);
  for (const invitation of plan.invitations)
    for (const invitee of invitation.invitees) ids.add(invitee.organisationId);
  return ids;
}
