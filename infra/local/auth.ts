/**
 * Tokens from the local OpenID Provider for a named identity, through its dev-only identity grant: what
 * `npm run -s token` and the tests' token helper ask for. The provider signs them with its own key; the
 * gateway verifies them against its JWKS like any other token.
 */
import { IDENTITY_GRANT, TOKEN_CLIENT_ID } from './oidc/provider.ts';

export interface TokenRequest {
  organisationId: string;
  userId?: string | undefined;
  unitId?: string | undefined;
  scopes?: string[] | undefined;
  /** Lifetime in seconds (default and at most 8 hours: a working day). */
  expiresIn?: number;
  /**
   * Tests only: a token the provider would never issue — another issuer or audience, or an expired one.
   * The tests' helper signs these with the provider's key itself (test/support/tokens.ts).
   */
  issuer?: string;
  audience?: string;
}

/** Asks the provider at `issuer` for an access token for `request`; throws with the provider's reason. */
export async function requestToken(
  issuer: string,
  clientSecret: string,
  request: Omit<TokenRequest, 'issuer' | 'audience'>,
): Promise<string> {
  const scopes = request.scopes ?? ['sip.read', 'sip.write'];
  const body = new URLSearchParams({
    grant_type: IDENTITY_GRANT,
    organisation: request.organisationId,
    ...(request.userId && { user: request.userId }),
    ...(request.unitId && { unit: request.unitId }),
    // No scope asked for is a token without scopes (the API then answers 403), not a default.
    ...(scopes.length > 0 && { scope: scopes.join(' ') }),
    ...(request.expiresIn !== undefined && { expires_in: String(request.expiresIn) }),
  });
  const send = () =>
    fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${TOKEN_CLIENT_ID}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
    });
  // Once more when the connection failed: a pooled keep-alive connection the server closed meanwhile (a race
  // under load) is no refusal. A provider that is not there fails the second time too.
  const response = await send().catch(send);
  const json = (await response.json()) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !json.access_token)
    throw new Error(
      `the provider refused the token: ${json.error_description ?? json.error ?? response.status}`,
    );
  return json.access_token;
}
