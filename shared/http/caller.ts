/**
 * The caller, from the JWT claims that API Gateway's authorizer (or the local runtime, in its place) has
 * verified and put in the event. Which claims carry what is configuration ({@link ClaimNames}).
 */
import { UnauthenticatedError } from '../domain/errors.ts';
import { Actor } from '../domain/people.ts';
import type { Caller } from '../policy/policy.ts';
import { type ClaimNames, DEFAULT_CLAIM_NAMES } from './claims.ts';

type Claims = Record<string, string | number | boolean | string[]> | undefined;

/**
 * Reads the caller from verified claims, by the configured claim names. The user and organisation are
 * checked like any input: they are written into plans (`createdBy`) and organisation ids into keys, so a
 * token cannot smuggle in a value the model would refuse.
 */
export function callerFromClaims(claims: Claims, names: ClaimNames = DEFAULT_CLAIM_NAMES): Caller {
  const unit = claims?.[names.unit];
  const actor = Actor.safeParse({
    userId: claims?.[names.user],
    organisationId: claims?.[names.organisation],
    ...(typeof unit === 'string' && unit !== '' && { unitId: unit }),
  });
  if (!actor.success) {
    const claim = { userId: names.user, organisationId: names.organisation, unitId: names.unit } as const;
    const problems = actor.error.issues.map(
      (issue) => claim[issue.path[0] as keyof typeof claim] ?? String(issue.path[0]),
    );
    throw new UnauthenticatedError(
      `the token's ${[...new Set(problems)].join(' and ')} claim is missing or not usable`,
    );
  }
  const rawScopes = claims?.[names.scope] ?? claims?.scp ?? '';
  // API Gateway flattens array claims to "[a b]"; accept that, arrays and plain space-separated strings.
  const scopes = Array.isArray(rawScopes)
    ? rawScopes
    : String(rawScopes)
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/);
  return { ...actor.data, scopes: new Set(scopes.filter(Boolean)) };
}
