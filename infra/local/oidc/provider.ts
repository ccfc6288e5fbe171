/**
 * The embedded OpenID Provider of the local runtime (oidc-provider): discovery, JWKS, the authorization
 * code flow with PKCE (S256) and a development sign-in page listing the demo directory, and — for
 * `npm run -s token` and the tests only — a grant that issues a token for a named identity. Its keys live
 * in the data folder and survive restarts. In AWS the region's own provider stands where this one stands
 * here; the gateway verifies tokens from either the same way.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KoaContextWithOIDC } from 'oidc-provider';
import Provider, { errors } from 'oidc-provider';
import type { ClaimNames } from '../../../shared/http/claims.ts';
import { DEMO_USERS, demoUser } from '../demo-users.ts';
import { IDLE_CONNECTION_MS } from '../server.ts';
import { MemoryAdapter } from './memory-adapter.ts';
import { signInErrorPage, signInPage } from './sign-in-page.tsx';
import { loadOrCreateProviderState } from './state.ts';

/** The API as a resource server: the audience its tokens carry, and the scopes it knows. */
export const API_RESOURCE = 'urn:sip:api';
export const API_AUDIENCE = 'sip-api';
export const API_SCOPES = ['sip.read', 'sip.write', 'report.read'];
/** RS256 only: API Gateway's JWT authorizer verifies RSA signatures only, so the local provider signs so too. */
export const SIGNING_ALGORITHM = 'RS256';

/** The dev-only grant behind `npm run -s token`: a token for a named identity, to a client holding the secret. */
export const IDENTITY_GRANT = 'urn:sip:params:oauth:grant-type:local-identity';
/** The public client of browsers (the workspace) and of the code-flow test: PKCE, loopback redirects. */
export const BROWSER_CLIENT_ID = 'sip-local';
export const BROWSER_REDIRECT_URI = 'http://127.0.0.1/signed-in';
/** The confidential client of `npm run -s token` and of the tests' token helper. */
export const TOKEN_CLIENT_ID = 'sip-token-cli';
/** The workspace's confidential client: its callback and the page after sign-out are under `/app/`. */
export const WEB_CLIENT_ID = 'sip-web';

/** A working day: tokens of the token CLI are pasted into a shell and used until evening. */
const ACCESS_TOKEN_SECONDS = 8 * 3600;
/** The API as the provider issues tokens for it: JWTs, signed as API Gateway can verify them. */
const API_RESOURCE_SERVER = {
  audience: API_AUDIENCE,
  scope: API_SCOPES.join(' '),
  accessTokenFormat: 'jwt',
  accessTokenTTL: ACCESS_TOKEN_SECONDS,
  jwt: { sign: { alg: SIGNING_ALGORITHM } },
} as const;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export interface LocalProvider {
  issuer: string;
  /** The secret of the token client ({@link TOKEN_CLIENT_ID}). */
  tokenClientSecret: string;
  /** The secret of the workspace's client ({@link WEB_CLIENT_ID}). */
  webClientSecret: string;
  close(): Promise<void>;
}

export async function startLocalProvider(options: {
  /** Where the keys, cookie keys and the token client's secret are kept (`<DATA_DIR>/oidc-provider.json`). */
  stateFile: string;
  claimNames: ClaimNames;
  /** Where the workspace is served (`http://127.0.0.1:3000`): its client's redirects are registered under it. */
  workspaceUrl: string;
  port?: number;
  host?: string;
}): Promise<LocalProvider> {
  const state = await loadOrCreateProviderState(options.stateFile);
  const names = options.claimNames;
  const host = options.host ?? '127.0.0.1';
  // The issuer names the port, so the server listens before the provider exists.
  let app: RequestListener | undefined;
  const server: Server = createServer((req, res) => (app ? app(req, res) : res.end()));
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;

  /** The organisation and unit claims of a person of the demo directory. */
  const directoryClaims = (accountId: string) => {
    const user = demoUser(accountId);
    return user
      ? { [names.organisation]: user.organisation.id, ...(user.unitId && { [names.unit]: user.unitId }) }
      : undefined;
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: BROWSER_CLIENT_ID,
        client_name: 'SIP (lokalt)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [BROWSER_REDIRECT_URI],
      },
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'SIP — arbetsytan (lokalt)',
        client_secret: state.webClientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${options.workspaceUrl}/app/signed-in`],
        post_logout_redirect_uris: [`${options.workspaceUrl}/app/signed-out`],
      },
      {
        client_id: TOKEN_CLIENT_ID,
        client_secret: state.tokenClientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [IDENTITY_GRANT],
        response_types: [],
        redirect_uris: [],
      },
    ],
    adapter: MemoryAdapter,
    jwks: state.jwks,
    cookies: { keys: state.cookieKeys },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name', names.organisation, names.unit] },
    findAccount: (_ctx, accountId) => {
      const user = demoUser(accountId);
      if (!user) return undefined;
      return {
        accountId,
        claims: () => ({ sub: accountId, name: user.name, ...directoryClaims(accountId) }),
      };
    },
    // The access token carries who the caller acts for: the demo directory's, or the identity grant's.
    extraTokenClaims: (_ctx, token) =>
      token.extra ?? ('accountId' in token ? directoryClaims(String(token.accountId)) : undefined),
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE)
            throw new errors.InvalidTarget(`the only resource is ${API_RESOURCE}`);
          return API_RESOURCE_SERVER;
        },
      },
    },
    pkce: { required: () => true },
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALGORITHM },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: ACCESS_TOKEN_SECONDS,
      Grant: ACCESS_TOKEN_SECONDS,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = signInErrorPage(String(out.error_description ?? out.error));
    },
  });

  provider.registerGrantType(
    IDENTITY_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const params = ctx.oidc.params as Record<string, string | undefined>;
      const scopes = (params.scope ?? '').split(/[\s,]+/).filter(Boolean);
      const unknown = scopes.filter((scope) => !API_SCOPES.includes(scope) || !SCOPE_TOKEN.test(scope));
      if (unknown.length > 0)
        throw new errors.InvalidScope(`unknown scope ${unknown.join(' ')}`, unknown.join(' '));
      if (!params.organisation) throw new errors.InvalidRequest('organisation is required');
      const expiresIn = params.expires_in ? Number(params.expires_in) : ACCESS_TOKEN_SECONDS;
      if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > ACCESS_TOKEN_SECONDS)
        throw new errors.InvalidRequest(
          `expires_in is a whole number of seconds up to ${ACCESS_TOKEN_SECONDS}`,
        );
      const client = ctx.oidc.client;
      if (!client) throw new errors.InvalidClient('client authentication failed');
      const accountId = params.user || 'local-user';
      const grant = new provider.Grant({ accountId, clientId: client.clientId });
      grant.addResourceScope(API_RESOURCE, scopes.join(' '));
      const token = new provider.AccessToken({
        accountId,
        client,
        grantId: await grant.save(),
        gty: 'local_identity',
        scope: scopes.join(' ') || undefined,
        expiresIn,
        resourceServer: new provider.ResourceServer(API_RESOURCE, API_RESOURCE_SERVER),
      });
      token.extra = {
        [names.organisation]: params.organisation,
        ...(params.unit && { [names.unit]: params.unit }),
      };
      ctx.body = {
        access_token: await token.save(),
        token_type: 'Bearer',
        expires_in: expiresIn,
        ...(token.scope && { scope: token.scope }),
      };
    },
    ['organisation', 'user', 'unit', 'scope', 'expires_in'],
  );

  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(\/sign-in|\/cancel)?$/.exec(ctx.path);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const scopes = String(details.params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    /** Grants the signed-in person the requested scopes their roles allow, and refuses the rest. */
    const grantFor = async (accountId: string) => {
      const roles = demoUser(accountId)?.roles ?? [];
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(scopes.filter((s) => s === 'openid' || s === 'profile').join(' '));
      const asked = scopes.filter((s) => API_SCOPES.includes(s));
      grant.addResourceScope(API_RESOURCE, asked.filter((s) => roles.includes(s as never)).join(' '));
      grant.rejectResourceScope(API_RESOURCE, asked.filter((s) => !roles.includes(s as never)).join(' '));
      return grant.save();
    };
    const finish = async (result: Record<string, unknown>) => {
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
        mergeWithLastSubmission: false,
      });
      ctx.status = 303;
      ctx.redirect(returnTo);
    };
    if (ctx.method === 'GET' && !match[2]) {
      if (details.prompt.name === 'consent' && details.session?.accountId) {
        // A first-party client of the service: no consent screen, the roles decide.
        return finish({ consent: { grantId: await grantFor(details.session.accountId) } });
      }
      ctx.type = 'html';
      ctx.set('cache-control', 'no-store');
      ctx.body = signInPage({
        action: `/interaction/${match[1]}/sign-in`,
        cancel: `/interaction/${match[1]}/cancel`,
        users: DEMO_USERS,
      });
      return;
    }
    if (ctx.method === 'POST' && match[2] === '/cancel')
      return finish({ error: 'access_denied', error_description: 'the sign-in was cancelled' });
    if (ctx.method === 'POST' && match[2] === '/sign-in') {
      const form = new URLSearchParams(await readForm(ctx.req));
      const accountId = form.get('user') ?? '';
      if (!demoUser(accountId)) {
        ctx.status = 400;
        ctx.type = 'text/plain';
        ctx.body = 'choose a person from the list';
        return;
      }
      return finish({ login: { accountId }, consent: { grantId: await grantFor(accountId) } });
    }
    return next();
  });

  app = provider.callback();
  return {
    issuer,
    tokenClientSecret: state.tokenClientSecret,
    webClientSecret: state.webClientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readForm(req: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) reject(new Error('the form is too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
