/**
 * The API function: one Lambda behind every route of the HTTP API. It adapts API Gateway's event to an
 * {@link ApiRequest}, checks the caller, and dispatches on the route key to a thin operation.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config.ts';
import { MethodNotAllowedError, NotFoundError } from '../../shared/domain/errors.ts';
import type { ApiRequest, ApiResponse } from '../../shared/http/api.ts';
import { callerFromClaims } from '../../shared/http/caller.ts';
import { problemErrors, publishMetrics, toResult } from '../../shared/http/middleware.ts';
import { matchRoute } from '../../shared/http/route-match.ts';
import { type ApiRouteKey, ROUTES } from '../../shared/http/routes.ts';
import { newId } from '../../shared/ids.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { storesFor } from '../../shared/store/from-config.ts';
import { commandOperation } from './operations/commands.ts';
import { organisationDeadlines, planDeadlines } from './operations/deadlines.ts';
import { planDocument } from './operations/document.ts';
import {
  createPlan,
  getPlan,
  listPlans,
  listRevisions,
  patchPlan,
  type Services,
} from './operations/plans.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type Operation = (request: ApiRequest, services: Services) => Promise<ApiResponse> | ApiResponse;

const operations: Record<ApiRouteKey, Operation> = {
  'POST /plans': createPlan,
  'GET /plans': listPlans,
  'GET /plans/{planId}': getPlan,
  'PATCH /plans/{planId}': patchPlan,
  'GET /plans/{planId}/revisions': listRevisions,
  'GET /plans/{planId}/document': planDocument,
  'GET /plans/{planId}/deadlines': planDeadlines,
  'GET /deadlines': organisationDeadlines,
  'POST /plans/{planId}/consents': commandOperation('giveConsent'),
  'POST /plans/{planId}/consents/{consentId}/withdrawal': commandOperation('withdrawConsent'),
  'POST /plans/{planId}/consent-refusal': commandOperation('refuseConsent'),
  'POST /plans/{planId}/invitations': commandOperation('sendInvitation'),
  'POST /plans/{planId}/invitations/{invitationId}/responses': commandOperation('respondToInvitation'),
  'POST /plans/{planId}/invitations/{invitationId}/reschedule': commandOperation('rescheduleInvitation'),
  'POST /plans/{planId}/establishment': commandOperation('establish'),
  'POST /plans/{planId}/follow-ups': commandOperation('recordFollowUp'),
  'POST /plans/{planId}/closure': commandOperation('close'),
  'POST /plans/{planId}/restart': commandOperation('restart'),
  'POST /plans/{planId}/request-refusal': commandOperation('refuseRequest'),
  'POST /plans/{planId}/discharge-events': commandOperation('recordDischargeEvent'),
};

const config = loadConfig();
const services: Services = {
  plans: storesFor(config).plans,
  deadlineSettings: config.deadlineSettings,
  newId,
};

async function dispatch(event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> {
  const routeKey = event.routeKey as ApiRouteKey;
  if (!(routeKey in operations)) return toResult(unmatched(event));
  const request: ApiRequest = {
    // API Gateway has already verified the token (every route of this function needs one); this reads its claims.
    caller: callerFromClaims(event.requestContext.authorizer?.jwt?.claims),
    pathParameters: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    rawBody: event.body && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body,
    now: new Date(),
  };
  const response = await operations[routeKey](request, services);
  if (event.requestContext.http.method !== 'GET') {
    metrics.addMetric(ROUTES[routeKey].operationId, MetricUnit.Count, 1);
  }
  return toResult(response);
}

/** Requests that match no route reach the `$default` route: 405 when the path exists with other methods. */
function unmatched(event: ApiEvent): never {
  const match = matchRoute(event.requestContext.http.method, event.rawPath);
  if (match && 'allowedMethods' in match) {
    throw new MethodNotAllowedError(
      `${event.requestContext.http.method} is not allowed here; use ${match.allowedMethods.join(', ')}`,
    );
  }
  throw new NotFoundError(`no route ${event.requestContext.http.method} ${event.rawPath}`);
}

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .use(problemErrors())
  .handler(dispatch);
