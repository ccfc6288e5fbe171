/** Which organisations take part in a plan. */
import type { Plan } from './plan.ts';

/**
 * Every organisation that takes part: the one that noticed the need, the convener, and the participating
 * organisations. The lead responsible, the organisations responsible for interventions, the contacts and
 * the invitees must be among the participating organisations (see {@link unlistedOrganisations}), so naming
 * an organisation elsewhere in a plan never lets it in by a side door.
 */
export function participatingOrganisationIds(
  plan: Pick<Plan, 'initiation' | 'convener' | 'organisations'>,
): Set<string> {
  const ids = new Set<string>([plan.initiation.noticedBy.organisationId, plan.convener.organisationId]);
  for (const organisation of plan.organisations ?? []) ids.add(organisation.organisationId);
  return ids;
}

/** The places in the editable parts that name an organisation missing from `organisations`, as JSON Pointers. */
export function unlistedOrganisations(parts: Pick<Plan, 'organisations' | 'content'>): string[] {
  const listed = new Set((parts.organisations ?? []).map((o) => o.organisationId));
  const content = parts.content;
  const references: [string, string | undefined][] = [
    ['/content/leadResponsible/organisationId', content?.leadResponsible?.organisationId],
    ...(content?.interventions ?? []).map((i, index): [string, string] => [
      `/content/interventions/${index}/responsibleOrganisationId`,
      i.responsibleOrganisationId,
    ]),
    ...(content?.contacts ?? []).map((c, index): [string, string] => [
      `/content/contacts/${index}/organisationId`,
      c.organisationId,
    ]),
  ];
  return references.filter(([, id]) => id !== undefined && !listed.has(id)).map(([pointer]) => pointer);
}
