/**
 * Finding the plans of one individual by personal identity number, for the API's list and the workspace's
 * Hitta plan alike. The number is looked up by its keyed hash, never stored or logged; the request's audit
 * entry names the individual by that reference. Finding a plan by the number ties the number to it, so a plan
 * is found only by a reader whose consent gives it the identity.
 */
import { ValidationError } from '../domain/errors.ts';
import type { PlanStatus } from '../domain/plan.ts';
import { toStockholmDate } from '../domain/time.ts';
import type { ApiRequest } from '../http/api.ts';
import { decide, type PlanAccess, releasedTo } from '../policy/policy.ts';
import { identityFromQuery } from '../privacy/identity-reference.ts';
import type { Services } from './kit.ts';

export async function findByPersonalIdentity(
  request: ApiRequest,
  services: Services,
  personalIdentity: string,
  status?: PlanStatus,
) {
  const parsed = identityFromQuery(personalIdentity, toStockholmDate(request.now));
  if ('problem' in parsed)
    throw new ValidationError([{ parameter: 'personalIdentity', detail: parsed.problem }]);
  const individualRef = services.identityReference(parsed.identity);
  request.audit.concerns({ individualRef });
  const ids = await services.plans.planIdsOf(individualRef);
  const listed = await services.plans.listedFor(request.caller.organisationId, ids);
  return listed
    .filter(
      (l) =>
        (!status || l.summary.status === status) &&
        decide(request.caller, 'plan.read', request.now, l.access ?? null).allowed,
    )
    .map((l) => ({
      summary: l.summary,
      released: releasedTo(l.access as PlanAccess, request.caller.organisationId, request.now),
    }))
    .filter(({ released }) => released.has('identity'));
}
