/** Minimal API Gateway HTTP API (v2) events, for invoking the handler directly. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

export function apiEvent(options: {
  routeKey: string;
  path: string;
  method?: string;
  pathParameters?: Record<string, string>;
  claims?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** The body is base64 (as API Gateway hands over bytes it does not take for text). */
  isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? options.routeKey.split(' ')[0] ?? 'GET';
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'test',
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      // Unique, as API Gateway's are: the audit log keys each request's entry by it.
      requestId: randomUUID(),
      routeKey: options.routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: options.claims ?? {}, scopes: [] },
      },
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}
