/** Wires the functions (API, docs, workspace) to the local gateway, against a given DynamoDB endpoint. */

import type { AddressInfo } from 'node:net';
import { type Authorize, jwtAuthorizer } from '../../shared/auth/access-token.ts';
import { allowedOrigins, loadConfig } from '../../shared/config.ts';
import type { FunctionName } from '../../shared/http/routes.ts';
import { loadOrCreateIdentityKey } from './identity-key.ts';
import { API_AUDIENCE } from './oidc/provider.ts';
import { createLocalServer, type LocalHandler } from './server.ts';
import { localSettings } from './settings.ts';

export interface LocalApi {
  url: string;
  close(): Promise<void>;
}

/** Where sign-in happens: the issuer the gateway trusts and the workspace's client secret there. */
export interface SignInProvider {
  issuer: string;
  webClientSecret: string;
}

export async function startLocalApi(options: {
  dynamoDbEndpoint: string;
  tableName: string;
  auditTableName: string;
  /** The identity key: in AWS a Secrets Manager secret, here a file in the data folder. */
  identityKeyFile: string;
  /**
   * The provider the gateway trusts (as the stack's `JwtIssuer`) and the workspace signs in at — or a function
   * that starts it, once the API's address is known: the provider registers the workspace's redirects under it.
   */
  signIn: SignInProvider | ((workspaceUrl: string) => Promise<SignInProvider>);
  /** The audience tokens must carry, as the stack's `JwtAudience`. */
  audience?: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
  clock?: () => Date;
  /** The origins allowed by CORS (default: `CORS_ALLOWED_ORIGINS`, as the stack reads it). */
  allowedOrigins?: string[];
}): Promise<LocalApi> {
  // The port is bound first, so that the workspace's address is known before anything is registered under it
  // (choosing a free port and binding it later would race with every other server on the machine).
  const functions: Partial<Record<FunctionName, LocalHandler>> = {};
  let authorize: Authorize | undefined;
  const loaded =
    (name: FunctionName): LocalHandler =>
    (event, context) =>
      (functions[name] as LocalHandler)(event, context);
  const server = createLocalServer({
    handlers: { api: loaded('api'), docs: loaded('docs'), web: loaded('web') },
    authorize: (token) => (authorize as Authorize)(token),
    allowedOrigins: options.allowedOrigins ?? allowedOrigins(),
    ...(options.log && { log: options.log }),
    ...(options.clock && { clock: options.clock }),
  });
  // Node closes an idle kept-alive connection after 5 s, and a client that picks that connection for its
  // next request in the same instant gets ECONNRESET (seen under load). Keep idle connections as long as
  // a load balancer in front of API Gateway would, so that it is always the client that closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const signIn = typeof options.signIn === 'function' ? await options.signIn(url) : options.signIn;

  // The handlers read their configuration at import, as they do at a Lambda cold start.
  process.env.TABLE_NAME = options.tableName;
  process.env.AUDIT_TABLE_NAME = options.auditTableName;
  process.env.DYNAMODB_ENDPOINT = options.dynamoDbEndpoint;
  process.env.IDENTITY_KEY_FILE = loadOrCreateIdentityKey(options.identityKeyFile);
  process.env.REPORT_PRINCIPALS = localSettings().reportPrincipals;
  // The workspace signs in at the provider the gateway trusts, and is served where the API is.
  process.env.JWT_ISSUER = signIn.issuer;
  process.env.JWT_AUDIENCE = options.audience ?? API_AUDIENCE;
  process.env.WEB_CLIENT_SECRET = signIn.webClientSecret;
  process.env.APP_BASE_URL = url;
  functions.api = (await import('../../functions/api/handler.ts')).handler;
  functions.docs = (await import('../../functions/docs/handler.ts')).handler;
  functions.web = (await import('../../functions/web/handler.ts')).handler;
  authorize = jwtAuthorizer({
    issuer: signIn.issuer,
    audience: [options.audience ?? API_AUDIENCE],
    claimNames: loadConfig().claimNames,
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
