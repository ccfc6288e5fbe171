/**
 * Which claims of a token carry the user, the organisation, the unit and the scopes. The names are
 * configuration (`CLAIM_NAMES`), so that a region's identity provider is trusted as it issues its tokens —
 * SITHS through Inera's IdP, a municipality's own — without a proxy that rewrites claims. See docs/sign-in.md.
 */

export interface ClaimNames {
  user: string;
  organisation: string;
  /** Optional in a token: the unit within the organisation. */
  unit: string;
  /** OAuth 2.0 scopes, space-separated (`scp` is read too, as API Gateway does). */
  scope: string;
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = {
  user: 'sub',
  organisation: 'org_id',
  unit: 'unit_id',
  scope: 'scope',
};

/**
 * `CLAIM_NAMES` overrides any of the defaults as JSON, e.g. `{"organisation":"healthCareUnitHsaId"}`. An
 * unknown key or an empty name stops the function at init: a typo must not leave every caller without an
 * organisation.
 */
export function claimNamesFrom(json: string | undefined): ClaimNames {
  if (!json) return DEFAULT_CLAIM_NAMES;
  const overrides = JSON.parse(json) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_CLAIM_NAMES) || typeof value !== 'string' || value === '')
      throw new Error(`CLAIM_NAMES: ${key} must be one of user, organisation, unit, scope, naming a claim`);
  }
  return { ...DEFAULT_CLAIM_NAMES, ...(overrides as Partial<ClaimNames>) };
}
