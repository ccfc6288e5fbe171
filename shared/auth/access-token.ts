/**
 * Access tokens verified as the HTTP API's JWT authorizer verifies them: by the local gateway, which stands
 * in for the authorizer, and by the workspace, which holds a signed-in user's token and verifies it on every
 * page. Like API Gateway it reads the issuer's discovery
 * document, takes the keys from its `jwks_uri`, and refuses a token unless its signature verifies with one
 * of them under an allowed algorithm, `iss` is the issuer, `aud` one of the audiences, `exp` is present and
 * past now, and `nbf` and `iat` are not in the future. Then it checks the claims as the caller type expects
 * them — API Gateway hands the function every claim as a string, so a numeric `sub` would pass there as text;
 * here it is refused where it can still be told apart.
 */
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { ClaimNames } from '../http/claims.ts';

export interface JwtAuthorizerOptions {
  issuer: string;
  audience: string[];
  claimNames: ClaimNames;
  /** The algorithm allow-list (API Gateway verifies RSA signatures only). */
  algorithms?: string[];
}

/** Header parameters by which a token would bring its own key: never trusted, only the issuer's keys are. */
const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'];
/** RFC 6749 § 3.3: scope-tokens separated by single spaces. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export type Authorize = (token: string) => Promise<JWTPayload>;

/** A verifier of bearer tokens for one trusted issuer; throws with the reason when a token is refused. */
export function jwtAuthorizer(options: JwtAuthorizerOptions): Authorize {
  const algorithms = options.algorithms ?? ['RS256'];
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const issuerKeys = () => {
    keys ??= discoverKeys(options.issuer).catch((error: unknown) => {
      keys = undefined; // try again with the next request
      throw error;
    });
    return keys;
  };

  return async (token) => {
    const header = decodeProtectedHeader(token);
    const own = KEY_HEADERS.filter((name) => name in header);
    if (own.length > 0)
      throw new Error(
        `the token brings its own key (${own.join(', ')} header); only the issuer's keys are trusted`,
      );
    const { payload } = await jwtVerify(token, await issuerKeys(), {
      issuer: options.issuer,
      audience: options.audience,
      algorithms,
      requiredClaims: ['iss', 'aud', 'exp'],
    });
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000)
      throw new Error('the token is issued in the future ("iat")');
    const problem = claimsProblem(payload, options.claimNames);
    if (problem) throw new Error(problem);
    return payload;
  };
}

async function discoverKeys(issuer: string): Promise<JWTVerifyGetKey> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the issuer's discovery document answered ${response.status}`);
  const discovery = (await response.json()) as { issuer?: string; jwks_uri?: string };
  if (discovery.issuer !== issuer || !discovery.jwks_uri)
    throw new Error('the discovery document names another issuer or no jwks_uri');
  // API Gateway keeps an issuer's keys for two hours; a token with an unknown `kid` fetches them anew sooner.
  return createRemoteJWKSet(new URL(discovery.jwks_uri), { cacheMaxAge: 2 * 3600 * 1000 });
}

/** What is wrong with the claims as the caller is read from them, if anything. */
export function claimsProblem(payload: JWTPayload, names: ClaimNames): string | undefined {
  const nonEmpty = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (!nonEmpty(payload[names.user])) return `the "${names.user}" claim must be a non-empty string`;
  if (!nonEmpty(payload[names.organisation]))
    return `the "${names.organisation}" claim must be a non-empty string`;
  if (names.unit in payload && !nonEmpty(payload[names.unit]))
    return `the "${names.unit}" claim, when present, must be a non-empty string`;
  for (const claim of new Set([names.scope, 'scp'])) {
    if (!(claim in payload)) continue;
    const value = payload[claim];
    const wellFormed =
      typeof value === 'string'
        ? value.split(' ').every((scope) => SCOPE_TOKEN.test(scope))
        : Array.isArray(value) &&
          value.every((scope) => typeof scope === 'string' && SCOPE_TOKEN.test(scope));
    if (!wellFormed) return `the "${claim}" claim must be space-separated scopes`;
  }
  return undefined;
}

/**
 * A verified token's payload as API Gateway hands its claims to a function: every claim a string, arrays
 * flattened to `[a b]`. The local gateway puts these in the event, the workspace reads its user's the same way.
 */
export function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      Array.isArray(value) ? `[${value.join(' ')}]` : String(value),
    ]),
  );
}
