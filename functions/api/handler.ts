/**
 * The API function: one Lambda behind every route of the HTTP API. It adapts API Gateway's event to an
 * {@link ApiRequest}, checks the caller, and dispatches on the route key to a thin operation.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { commandOperation } from '../../shared/application/commands.ts';
import { loadServices, type Services } from '../../shared/application/services.ts';
import { startAuditTrail } from '../../shared/audit/trail.ts';
import { loadConfig } from '../../shared/config.ts';
import { MethodNotAllowedError, NotFoundError } from '../../shared/domain/errors.ts';
import type { ApiRequest, ApiResponse } from '../../shared/http/api.ts';
import { callerFromClaims } from '../../shared/http/caller.ts';
import {
  answerRead,
  problemErrors,
  problemResult,
  publishMetrics,
  securityHeaders,
  toResult,
} from '../../shared/http/middleware.ts';
import { matchRoute } from '../../shared/http/route-match.ts';
import { type ApiRouteKey, type CommandRouteKey, declaredRoute, ROUTES } from '../../shared/http/routes.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { planAuditLog } from './operations/audit.ts';
import { organisationDeadlines, planDeadlines } from './operations/deadlines.ts';
import { planDocument } from './operations/document.ts';
import { createPlan, getPlan, listPlans, listRevisions, patchPlan } from './operations/plans.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type Operation = (request: ApiRequest, services: Services) => Promise<ApiResponse> | ApiResponse;

/** The process commands' routes all run the command operation, with the command and action they declare. */
const commandOperations = Object.fromEntries(
  Object.entries(ROUTES).flatMap(([key, route]) =>
    'command' in route ? [[key, commandOperation(route.command, route.action)]] : [],
  ),
) as Record<CommandRouteKey, Operation>;

const operations: Record<ApiRouteKey, Operation> = {
  ...commandOperations,
  'POST /plans': createPlan,
  'GET /plans': listPlans,
  'GET /plans/{planId}': getPlan,
  'PATCH /plans/{planId}': patchPlan,
  'GET /plans/{planId}/revisions': listRevisions,
  'GET /plans/{planId}/document': planDocument,
  'GET /plans/{planId}/deadlines': planDeadlines,
  'GET /deadlines': organisationDeadlines,
  'GET /plans/{planId}/audit': planAuditLog,
  // Loaded on first use: reports are rare, and every cold start of the API would otherwise pay for them.
  'GET /reports/regional': async (request, services) =>
    (await import('./operations/reports.ts')).regionalReport(request, services),
};

const config = loadConfig();
// Read once per container, before the first request (a top-level await at cold start).
const services = await loadServices(config);

async function dispatch(event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> {
  // `HEAD /x` runs `GET /x`; the answer loses its content below.
  const declared = declaredRoute(event.routeKey);
  const routeKey = declared && declared in operations ? (declared as ApiRouteKey) : undefined;
  const route = routeKey && ROUTES[routeKey];
  const method = event.requestContext.http.method;
  // API Gateway has already verified the token (every route, `$default` too, needs one); this reads its claims.
  const caller = callerFromClaims(event.requestContext.authorizer?.jwt?.claims, config.claimNames);
  const now = new Date(event.requestContext.timeEpoch || Date.now());
  const operationId = route?.operationId ?? 'unmatched';
  const audit = startAuditTrail({
    caller,
    action: operationId,
    requestId: event.requestContext.requestId,
    now,
  });
  const request: ApiRequest = {
    caller,
    operationId,
    path: event.rawPath,
    pathParameters: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    // Bytes, not text: the one body reader (`readJsonBody`) decodes them and refuses what is not UTF-8. A body
    // API Gateway did not encode is text already; should it hold what it made of bad bytes, that is a U+FFFD.
    body:
      event.body === undefined
        ? undefined
        : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
    now,
    audit,
  };
  let result: APIGatewayProxyStructuredResultV2;
  try {
    result = toResult(routeKey ? await operations[routeKey](request, services) : unmatched(event));
  } catch (error) {
    result = problemResult(error, event);
  }
  result = answerRead(method, request.headers, result);
  // Every request a caller makes leaves exactly one entry: a write's went into its transaction; any other is
  // stored here, before the answer leaves. If it cannot be stored, the caller gets a 500, not the data.
  if (!audit.recorded) await services.audit.record(audit.entry(result.statusCode ?? 500));
  if (route && method !== 'GET' && method !== 'HEAD' && result.statusCode && result.statusCode < 400) {
    metrics.addMetric(operationId, MetricUnit.Count, 1);
  }
  return result;
}

/** Requests that match no route reach the `$default` route: 405 when the path exists with other methods. */
function unmatched(event: ApiEvent): never {
  const match = matchRoute(event.requestContext.http.method, event.rawPath);
  if (match && 'allowedMethods' in match) {
    throw new MethodNotAllowedError(
      `${event.requestContext.http.method} is not allowed here; use ${match.allowedMethods.join(', ')}`,
      match.allowedMethods,
    );
  }
  throw new NotFoundError(`no route ${event.requestContext.http.method} ${event.rawPath}`);
}

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .use(securityHeaders())
  .use(problemErrors())
  .handler(dispatch);
