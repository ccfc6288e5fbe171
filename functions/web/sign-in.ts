/**
 * The workspace as an OpenID Connect relying party (openid-client): the authorization code flow with PKCE
 * (S256), `state` and `nonce`, through the workspace's own confidential client, against the issuer the gateway
 * trusts; and RP-initiated logout. The provider's metadata is discovered once per container.
 */
import * as oidc from 'openid-client';
import type { SigningIn } from '../../shared/store/sessions.ts';

/** The API's scopes: the provider grants the ones the user's roles allow. */
const SCOPE = 'openid profile sip.read sip.write report.read';

export interface SignInSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The workspace's own address (`APP_BASE_URL`): the callback and the page after sign-out are under it. */
  appBaseUrl: string;
}

export interface Tokens {
  accessToken: string;
  /** Epoch ms. */
  accessTokenExpiresAt: number;
  idToken?: string | undefined;
  /** The user's name, from the ID token. */
  name?: string | undefined;
}

export function signInClient(settings: SignInSettings) {
  const base = settings.appBaseUrl.replace(/\/$/, '');
  const redirectUri = `${base}/app/signed-in`;
  const signedOutUri = `${base}/app/signed-out`;
  let configuration: Promise<oidc.Configuration> | undefined;
  const discover = () => {
    configuration ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        oidc.ClientSecretBasic(settings.clientSecret),
        // Only the local provider is plain HTTP (on loopback); a region's issuer is HTTPS.
        settings.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        configuration = undefined; // try again with the next sign-in
        throw error;
      });
    return configuration;
  };

  return {
    /** Where to send the browser to sign in, and what the callback must find again. */
    async start(returnTo: string): Promise<{ url: string; pending: SigningIn }> {
      const config = await discover();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const pending: SigningIn = {
        kind: 'signingIn',
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier,
        returnTo,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },

    /** The provider's answer (`/app/signed-in?code=…&state=…`) exchanged for tokens; throws if anything is off. */
    async finish(callback: URL, pending: SigningIn, now: number): Promise<Tokens> {
      const config = await discover();
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      return {
        accessToken: tokens.access_token,
        accessTokenExpiresAt: now + (tokens.expiresIn() ?? 0) * 1000,
        idToken: tokens.id_token,
        name: typeof tokens.claims()?.name === 'string' ? String(tokens.claims()?.name) : undefined,
      };
    },

    /** The provider's end-session address (RP-initiated logout), back to the signed-out page. */
    async signOutUrl(idToken: string | undefined): Promise<string> {
      const config = await discover();
      if (!config.serverMetadata().end_session_endpoint) return signedOutUri;
      return oidc.buildEndSessionUrl(config, {
        post_logout_redirect_uri: signedOutUri,
        ...(idToken && { id_token_hint: idToken }),
      }).href;
    },
  };
}

export type SignInClient = ReturnType<typeof signInClient>;
