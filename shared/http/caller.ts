/**
 * The caller, from the JWT claims that API Gateway's authorizer (or the local runtime, in its place) has
 * verified and put in the event. The one place that knows the claim names.
 */
import { UnauthenticatedError } from '../domain/errors.ts';
import { Actor } from '../domain/people.ts';
import type { Caller } from '../policy/policy.ts';

export const CLAIMS = {
  user: 'sub',
  organisation: 'org_id',
  unit: 'unit_id',
  /** OAuth 2.0 scopes, space-separated (API Gateway also accepts `scp`). */
  scope: 'scope',
} as const;

type Claims = Record<string, string | number | boolean | string[]> | undefined;

/**
 * Reads the caller from verified claims. The user and organisation are checked like any input: they are
 * written into plans (`createdBy`) and organisation ids into keys, so a token cannot smuggle in a value
 * the model would refuse.
 */
export function callerFromClaims(claims: Claims): Caller {
  const unit = claims?.[CLAIMS.unit];
  const actor = Actor.safeParse({
    userId: claims?.[CLAIMS.user],
    organisationId: claims?.[CLAIMS.organisation],
    ...(typeof unit === 'string' && unit !== '' && { unitId: unit }),
  });
  if (!actor.success) {
    const claim = { userId: CLAIMS.user, organisationId: CLAIMS.organisation, unitId: CLAIMS.unit } as const;
    const names = actor.error.issues.map(
      (issue) => claim[issue.path[0] as keyof typeof claim] ?? String(issue.path[0]),
    );
    throw new UnauthenticatedError(
      `the token's ${[...new Set(names)].join(' and ')} claim is missing or not usable`,
    );
  }
  const rawScopes = claims?.[CLAIMS.scope] ?? claims?.scp ?? '';
  // API Gateway flattens array claims to "[a b]"; accept that, arrays and plain space-separated strings.
  const scopes = Array.isArray(rawScopes)
    ? rawScopes
    : String(rawScopes)
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/);
  return { ...actor.data, scopes: new Set(scopes.filter(Boolean)) };
}
