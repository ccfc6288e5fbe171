/** middy middlewares shared by the HTTP handlers. */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, MethodNotAllowedError } from '../domain/errors.ts';
import { logger, metrics } from '../observability/powertools.ts';
import type { ApiResponse } from './api.ts';
import { problemOf, problemResponse } from './problem.ts';
import { withSecurityHeaders } from './security.ts';

/**
 * An operation's response as API Gateway expects it: JSON unless the operation set another type for a string
 * body. The API's answers carry plans, people and who did what: no cache stores them unless the operation
 * says otherwise.
 */
export function toResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...response.headers };
  if (response.body === undefined) return { statusCode: response.status, headers };
  const contentType = headers['content-type'];
  // Bytes (a spreadsheet) travel base64-encoded, as API Gateway expects them.
  if (response.body instanceof Uint8Array) {
    return {
      statusCode: response.status,
      headers,
      body: Buffer.from(response.body).toString('base64'),
      isBase64Encoded: true,
    };
  }
  if (typeof response.body === 'string' && contentType && !contentType.includes('json')) {
    return { statusCode: response.status, headers, body: response.body };
  }
  return {
    statusCode: response.status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(response.body),
  };
}

/**
 * The problem response for an error. Domain errors say what is wrong; anything else is logged (stack, no
 * request data) and answered with a generic 500.
 */
export function problemResult(
  error: unknown,
  event: APIGatewayProxyEventV2,
): APIGatewayProxyStructuredResultV2 {
  if (!(error instanceof DomainError)) {
    logger.error('unexpected error', { error, routeKey: event.routeKey });
    metrics.addMetric('UnexpectedErrors', 'Count', 1);
  }
  const problem = problemOf(error, event.rawPath);
  const headers: Record<string, string> = {};
  // RFC 9110 15.5.2 and RFC 6750 3.1: a 401 says how to authenticate. A request reaches a function only with
  // a token the gateway verified, so here the token was sent and is not usable.
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer error="invalid_token"';
  // RFC 9110 15.5.6: a 405 lists the methods the resource allows.
  if (error instanceof MethodNotAllowedError) headers.allow = error.allowed.join(', ');
  return toResult(problemResponse({ ...problem, requestId: event.requestContext?.requestId }, headers));
}

const KEPT_BY_304 = ['etag', 'cache-control', 'content-location', 'vary', 'expires'];

/**
 * What HTTP asks of every answer to a read: 304 with no content when the client's copy is current
 * (`If-None-Match`, RFC 9110 13.1.2 and 15.4.5), and no content for HEAD (9.3.2), which runs as GET.
 */
export function answerRead(
  method: string,
  requestHeaders: Record<string, string | undefined>,
  result: APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 {
  if (method !== 'GET' && method !== 'HEAD') return result;
  const etag = result.headers?.etag;
  const ifNoneMatch = requestHeaders['if-none-match'];
  if (result.statusCode === 200 && typeof etag === 'string' && ifNoneMatch && matchesAny(ifNoneMatch, etag)) {
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).filter(([name]) => KEPT_BY_304.includes(name.toLowerCase())),
    );
    return { statusCode: 304, headers };
  }
  if (method === 'HEAD') {
    const { body: _, ...withoutContent } = result;
    return withoutContent;
  }
  return result;
}

/** If-None-Match's weak comparison: `*`, or any listed tag equal to `etag` once `W/` is set aside. */
function matchesAny(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Turns every error into a problem response. Goes last in the chain, so it sees errors from everything before it. */
export function problemErrors(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      request.response = problemResult(request.error, request.event);
    },
  };
}

/**
 * Every answer of the function with the security headers (`security.ts`), an error's too. Goes before
 * `problemErrors()` in the chain, so that its `onError` runs after the problem is made.
 */
export function securityHeaders(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const secure = async (request: { response: APIGatewayProxyStructuredResultV2 | undefined | null }) => {
    if (request.response) request.response = withSecurityHeaders(request.response);
  };
  return { after: secure, onError: secure };
}

/** Publishes metrics only when an invocation recorded some, so reads stay free of metric output. */
export function publishMetrics(): MiddlewareObj {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}
