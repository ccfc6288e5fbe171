/** Wires the API function to the local gateway, against a given DynamoDB endpoint. */

import { jwtAuthorizer } from '../../shared/auth/access-token.ts';
import { allowedOrigins, loadConfig } from '../../shared/config.ts';
import { freePort } from './dynamodb-local.ts';
import { loadOrCreateIdentityKey } from './identity-key.ts';
import { API_AUDIENCE } from './oidc/provider.ts';
import { createLocalServer } from './server.ts';
import { localSettings } from './settings.ts';

export interface LocalApi {
  url: string;
  close(): Promise<void>;
}

export async function startLocalApi(options: {
  dynamoDbEndpoint: string;
  tableName: string;
  auditTableName: string;
  /** The identity key: in AWS a Secrets Manager secret, here a file in the data folder. */
  identityKeyFile: string;
  /** The issuer the gateway trusts, as the stack's `JwtIssuer` (locally: the embedded provider). */
  issuer: string;
  /** The audience tokens must carry, as the stack's `JwtAudience`. */
  audience?: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
  clock?: () => Date;
  /** The origins allowed by CORS (default: `CORS_ALLOWED_ORIGINS`, as the stack reads it). */
  allowedOrigins?: string[];
  /** The workspace's client secret at the local provider (`sip-web`). */
  webClientSecret: string;
}): Promise<LocalApi> {
  // The handler reads its configuration at import, as it does at a Lambda cold start.
  process.env.TABLE_NAME = options.tableName;
  process.env.AUDIT_TABLE_NAME = options.auditTableName;
  process.env.DYNAMODB_ENDPOINT = options.dynamoDbEndpoint;
  process.env.IDENTITY_KEY_FILE = loadOrCreateIdentityKey(options.identityKeyFile);
  process.env.REPORT_PRINCIPALS = localSettings().reportPrincipals;
  // The workspace signs in at the provider the gateway trusts, and is served where the API is.
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  process.env.JWT_ISSUER = options.issuer;
  process.env.JWT_AUDIENCE = options.audience ?? API_AUDIENCE;
  process.env.WEB_CLIENT_SECRET = options.webClientSecret;
  process.env.APP_BASE_URL = `http://${host}:${port}`;
  const { handler: api } = await import('../../functions/api/handler.ts');
  const { handler: docs } = await import('../../functions/docs/handler.ts');
  const { handler: web } = await import('../../functions/web/handler.ts');
  const server = createLocalServer({
    handlers: { api, docs, web },
    authorize: jwtAuthorizer({
      issuer: options.issuer,
      audience: [options.audience ?? API_AUDIENCE],
      claimNames: loadConfig().claimNames,
    }),
    allowedOrigins: options.allowedOrigins ?? allowedOrigins(),
    ...(options.log && { log: options.log }),
    ...(options.clock && { clock: options.clock }),
  });
  // Node closes an idle kept-alive connection after 5 s, and a client that picks that connection for its
  // next request in the same instant gets ECONNRESET (seen under load). Keep idle connections as long as
  // a load balancer in front of API Gateway would, so that it is always the client that closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
