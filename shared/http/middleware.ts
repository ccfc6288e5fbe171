/** middy middlewares shared by the HTTP handlers. */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError } from '../domain/errors.ts';
import { logger, metrics } from '../observability/powertools.ts';
import type { ApiResponse } from './api.ts';
import { problemOf, problemResponse } from './problem.ts';

/** An operation's response as API Gateway expects it: JSON unless the operation set another type for a string body. */
export function toResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  const headers = { ...response.headers };
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
  // RFC 9110 15.5.2: a 401 says how to authenticate.
  const headers: Record<string, string> = problem.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
  return toResult(problemResponse({ ...problem, requestId: event.requestContext?.requestId }, headers));
}

/** Turns every error into a problem response. Goes last in the chain, so it sees errors from everything before it. */
export function problemErrors(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      request.response = problemResult(request.error, request.event);
    },
  };
}

/** Publishes metrics only when an invocation recorded some, so reads stay free of metric output. */
export function publishMetrics(): MiddlewareObj {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}
