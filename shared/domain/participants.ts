/** Which organisations take part in a plan, and where each is reached. */
import type { Person } from './people.ts';
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

/**
 * The e-mail address an organisation taking part is told things at (the ending notice): the first of these
 * people the plan names for it that has an e-mail address —
 *
 * 1. the lead responsible's person, when the organisation is the lead responsible's;
 * 2. the convener's person, when it is the convener's — a role person before any general contact, because
 *    that person answers for the plan itself; the lead before the convener, because the lead takes over;
 * 3. its `contactPerson` among the participating organisations;
 * 4. its contact person in the plan's content (`contacts`);
 * 5. its contact in the latest kallelse that names one for it;
 * 6. the person who noticed the need, when it is the noticing organisation — last, as that was a moment at
 *    the start of the process, perhaps long ago and in another capacity.
 *
 * `undefined` when the plan names no address for it: the notice is then recorded as undeliverable.
 */
export function organisationEmail(plan: Plan, organisationId: string): string | undefined {
  const of = (owner: { organisationId: string } | undefined, person: Person | undefined) =>
    owner?.organisationId === organisationId ? person : undefined;
  const lead = plan.content?.leadResponsible;
  const candidates: (Person | undefined)[] = [
    of(lead, lead?.person),
    of(plan.convener, plan.convener.person),
    plan.organisations?.find((o) => o.organisationId === organisationId)?.contactPerson,
    ...(plan.content?.contacts ?? []).map((c) => of(c, c.person)),
    ...plan.invitations
      .toReversed()
      .flatMap((invitation) => invitation.invitees.map((invitee) => of(invitee, invitee.contact))),
    of(plan.initiation.noticedBy, plan.initiation.noticedBy.person),
  ];
  return candidates.find((person) => person?.email)?.email;
}
