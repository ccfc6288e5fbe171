/**
 * The caller, from the JWT claims that API Gateway's authorizer (or the local runtime, in its place) has
 * verified and put in the event. The one place that knows the claim names.
 */
import { UnauthenticatedError } from '../domain/errors.ts';
import type { Caller } from '../policy/policy.ts';

export const CLAIMS = {
  user: 'sub',
  organisation: 'org_id',
  unit: 'unit_id',
  /** OAuth 2.0 scopes, space-separated (API Gateway also accepts `scp`). */
  scope: 'scope',
} as const;

type Claims = Record<string, string | number | boolean | string[]> | undefined;

export function callerFromClaims(claims: Claims): Caller {
  const user = claims?.[CLAIMS.user];
  const organisation = claims?.[CLAIMS.organisation];
  if (typeof user !== 'string' || user === '')
    throw new UnauthenticatedError('the token names no user (sub)');
  if (typeof organisation !== 'string' || organisation === '') {
    throw new UnauthenticatedError(`the token names no organisation (${CLAIMS.organisation})`);
  }
  const unit = claims?.[CLAIMS.unit];
  const rawScopes = claims?.[CLAIMS.scope] ?? claims?.scp ?? '';
  // API Gateway flattens array claims to "[a b]"; accept that, arrays and plain space-separated strings.
  const scopes = Array.isArray(rawScopes)
    ? rawScopes
    : String(rawScopes)
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/);
  return {
    userId: user,
    organisationId: organisation,
    unitId: typeof unit === 'string' && unit !== '' ? unit : undefined,
    scopes: new Set(scopes.filter(Boolean)),
  };
}
