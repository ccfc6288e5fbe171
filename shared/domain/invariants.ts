/**
 * What every plan keeps, by status, checked on every write — an edit, a command, the service's own — so
 * that no sequence of writes can leave a record the process forbids (an established plan stripped of its
 * lead responsible, its interventions or its follow-up). A write that would break one is refused (409,
 * the rule named) and nothing is written.
 */
import { refuse } from './commands/rules.ts';
import type { PlanContent } from './content.ts';
import { unlistedOrganisations } from './participants.ts';
import type { Plan } from './plan.ts';

/** Refuses unless the plan keeps the invariants of its status. */
export function assertInvariants(plan: Plan): void {
  if (plan.status === 'established') assertEstablishedContent(plan.content ?? {});
  // Every organisation named in a role takes part in the plan, in every status.
  const [unlisted] = unlistedOrganisations(plan);
  if (unlisted)
    refuse('not-a-participant', `${unlisted} names an organisation that does not take part`, unlisted);
  const listed = new Set((plan.organisations ?? []).map((o) => o.organisationId));
  for (const [i, invitation] of plan.invitations.entries()) {
    for (const [j, invitee] of invitation.invitees.entries()) {
      if (!listed.has(invitee.organisationId)) {
        const pointer = `/invitations/${i}/invitees/${j}/organisationId`;
        refuse('not-a-participant', `${pointer} names an organisation that does not take part`, pointer);
      }
    }
  }
}

/**
 * An established plan says who does what and when, and who answers for it: a lead responsible of a
 * municipality or a region with a named person reachable for reminders, at least one intervention with its
 * responsible organisation, and a follow-up date and place.
 */
export function assertEstablishedContent(content: PlanContent): void {
  const lead = content.leadResponsible;
  if (!lead) {
    refuse('lead-responsible-required', 'name the lead responsible', '/content/leadResponsible');
  }
  if (lead.principal === 'other') {
    refuse(
      'not-a-principal',
      `the lead responsible must belong to a municipality or a region, not ${lead.principalName}`,
      '/content/leadResponsible/principal',
    );
  }
  if (!lead.person.email && !lead.person.mobile) {
    refuse(
      'lead-responsible-unreachable',
      'give the lead responsible an e-mail address or a mobile number for reminders',
      '/content/leadResponsible/person',
    );
  }
  if ((content.interventions ?? []).length === 0) {
    refuse('intervention-required', 'add at least one intervention', '/content/interventions');
  }
  if (!content.followUp?.date || !content.followUp.place) {
    refuse('follow-up-required', 'set the follow-up date and place', '/content/followUp');
  }
}
