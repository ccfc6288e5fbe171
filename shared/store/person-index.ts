/**
 * The person index: a companion of every plan write. One item per plan under the individual's identity
 * reference — a keyed hash, never the number — so that `GET /plans?personalIdentity=…` is a Query. Written
 * when a plan is created or its individual's identity changes, deleted from the old reference then.
 */
import type { PersonalIdentity } from '../domain/personal-identity.ts';
import type { IdentityReference } from '../privacy/identity-reference.ts';
import { keys } from './keys.ts';
import type { Companion, TransactItem } from './plan-store.ts';

export const personIndexWrites =
  (reference: IdentityReference | undefined): Companion =>
  ({ plan, previous }, tableName) => {
    const identity = plan.individual.personalIdentity;
    const before = previous?.individual.personalIdentity;
    if (before && sameIdentity(before, identity)) return [];
    // Only the API changes an individual's identity, and it always has the key: anything else is a bug.
    if (!reference) throw new Error('a plan write changed the personal identity without the identity key');
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.person(reference(identity), plan.planId), kind: 'person', planId: plan.planId },
        },
      },
    ];
    if (before)
      items.push({ Delete: { TableName: tableName, Key: keys.person(reference(before), plan.planId) } });
    return items;
  };

/** The same identity, whatever order its fields come in (a parse may reorder a reservnummer's). */
const sameIdentity = (a: PersonalIdentity, b: PersonalIdentity) =>
  a.type === b.type &&
  a.value === b.value &&
  (a.type !== 'reservnummer' || (b.type === 'reservnummer' && a.issuer === b.issuer));
